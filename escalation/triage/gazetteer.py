"""Gazetteers: the named things of risk (medicines, places, methods, body signs, goodbyes) as
data files a coordinator can review, one pattern a line, per language or country.

A gazetteer says what a word *is* ("zopiclone" is a medicine, "Scheveningen pier" a height), not
how urgent a message is: its matches are features of the triage model and markers of its rules,
so a message naming a sleeping tablet the training data never saw still reads as one naming
a medicine. File names are ``NAME.AREA.txt`` (``medicine.uk.txt``, ``place.nl.txt``); the
patterns are the lexicons' (see ``data/README.md``); a comment may follow two spaces and ``#``.
"""

from __future__ import annotations

from pathlib import Path

from escalation.triage.lexicon import Entry, LexiconError, compile_pattern, split_pattern

FOLDER = "gazetteers"
INFLECTED = 6  # a name of this many letters or more also matches with another ending
GAZETTEERS = ("medicine", "drug", "method", "place", "weapon", "body", "finality", "time", "slang")


def load_gazetteers(folder: Path) -> list[Entry]:
    """Every gazetteer pattern as a lexicon entry of kind ``gaz:NAME``; a bad line raises
    LexiconError naming file and line, like a lexicon."""
    entries: list[Entry] = []
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else ():
        name, _, area = path.stem.partition(".")
        if name not in GAZETTEERS or not area:
            raise LexiconError(f"{path.name}:1: a gazetteer is named NAME.AREA.txt with NAME one of "
                               f"{', '.join(GAZETTEERS)}")
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            line = raw.split("  #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            try:
                elements = compile_pattern(inflected(line))
            except ValueError as error:
                raise LexiconError(f"{path.name}:{number}: {error}") from None
            entries.append(Entry(f"gaz:{name}", None, elements, line, f"{FOLDER}/{path.name}:{number}", area,
                                 len(entries)))
    return entries


def inflected(pattern: str) -> str:
    """Names take endings the file need not list: "tachipirina" also matches "tachipirine",
    "zopiclone" "zopiclones", "bleeding" "bleedin". Every one-word name or alternative of
    ``INFLECTED`` letters or more becomes a prefix of all but its last letter."""
    def one(option: str) -> str:
        word = option.strip()
        if len(word) >= INFLECTED and word.isalpha() and " " not in word:
            return word[:-1] + "*"
        return option

    parts = []
    for part in split_pattern(pattern):
        optional = part.startswith("[") and part.endswith("]")
        body = part[1:-1] if optional else part
        if body.startswith("(") and body.endswith(")"):
            body = "(" + "|".join(one(o) for o in body[1:-1].split("|")) + ")"
        else:
            body = one(body)
        parts.append(f"[{body}]" if optional else body)
    return " ".join(parts)
