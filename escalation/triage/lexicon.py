"""Reading the lexicon files: one per language, written and reviewed by people, not code.

Format (see ``data/README.md``): ``[section]`` headers, then one phrase pattern a line.
A phrase is words separated by spaces, where ``word*`` is any word starting so,
``(a|b|c)`` is one of those words, ``[word]`` may be left out, ``~`` (or ``~5``) skips up to
3 (or 5) words within a sentence, and ``#`` is any number. Anything wrong stops start-up with
the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from escalation.triage.model import CATEGORIES, Level
from escalation.triage.normalise import tokenise

MODIFIERS = ("negation", "affirm", "past", "habit", "present", "idiom", "quote", "third_party")
WORD_LISTS = ("detect", "boundary")  # plain word lists: language detection, clause breaks
MARKERS = ("plan", "means", "time", "goodbye", "underway", "weapon", "happening", "child_present",
           "overdose")
DEFAULT_GAP = 3


class LexiconError(ValueError):
    """A lexicon or rules file that cannot be read; the message starts with ``file:line``."""


@dataclass(frozen=True)
class Element:
    """One position of a pattern: alternatives of one or more words, a gap, or a number."""

    words: frozenset[str] = frozenset()  # one-word alternatives, the common case
    prefixes: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()  # several-word alternatives ("going to")
    optional: bool = False
    gap: int = 0  # > 0: skip up to this many tokens
    number: bool = False


@dataclass(frozen=True)
class Entry:
    """One pattern line, with the section it belongs to."""

    kind: str  # category name, "marker:<name>", or a modifier name
    level: Level | None
    elements: tuple[Element, ...]
    text: str
    source: str
    lang: str
    order: int = 0  # position among all entries: ties between matches sort the same every run

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The pattern over " " + tokens joined by spaces + " ": each element takes its leading
        space, so matches start and end on token boundaries, and the C engine does the search."""
        return re.compile("".join(_element_regex(e) for e in self.elements) + "(?= )")

    @cached_property
    def words(self) -> frozenset[str]:
        """Every literal word of the pattern: "can not go on" owns its "not"."""
        return frozenset(w for e in self.elements for w in (*e.words, *(t for p in e.phrases for t in p)))


@dataclass
class Lexicon:
    lang: str
    entries: list[Entry] = field(default_factory=list)
    detect: set[str] = field(default_factory=set)
    boundary: set[str] = field(default_factory=set)
    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _element_regex(element: Element) -> str:
    if element.gap:
        return f"(?: [^ .]+){{0,{element.gap}}}"
    if element.number:
        body = r"\d+"
    else:
        options = sorted(element.words, key=len, reverse=True)
        options += [" ".join(phrase) for phrase in element.phrases]
        alternatives = [re.escape(o) for o in options] + [re.escape(p) + "[^ ]*" for p in element.prefixes]
        body = "(?:" + "|".join(sorted(alternatives, key=len, reverse=True)) + ")"
    return f"(?: {body})?" if element.optional else f" {body}"


_HEADER = re.compile(r"^\[([a-z_:]+)(?:\s+([a-z_]+))?\]$")


def load_lexicon(path: Path) -> Lexicon:
    lexicon = Lexicon(lang=path.stem)
    section: tuple[str, Level | None] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = "" if raw.lstrip().startswith("#") else raw.strip()
        if not line:
            continue
        where = f"{path.name}:{number}"
        try:
            if line.startswith("["):
                section = _section(line)
            elif section is None:
                raise ValueError("a phrase before any [section] header")
            else:
                _add_line(lexicon, section, line, where)
        except ValueError as error:
            raise LexiconError(f"{where}: {error}") from None
    return lexicon


def _section(line: str) -> tuple[str, Level | None]:
    match = _HEADER.match(line)
    if not match:
        raise ValueError(f"bad section header {line!r}; expected [category level] or [marker name]")
    name, arg = match.group(1), match.group(2)
    if name in CATEGORIES:
        if arg is None:
            raise ValueError(f"[{name}] needs a level: [{name} high]")
        return name, Level.parse(arg)
    if name == "marker":
        if arg not in MARKERS:
            raise ValueError(f"unknown marker {arg!r} (known: {', '.join(MARKERS)})")
        return f"marker:{arg}", None
    if name in MODIFIERS + WORD_LISTS + ("normalise",) and arg is None:
        return name, None
    raise ValueError(f"unknown section [{line[1:-1]}]")


def _add_line(lexicon: Lexicon, section: tuple[str, Level | None], line: str, where: str) -> None:
    kind, level = section
    if kind in WORD_LISTS:
        getattr(lexicon, kind).update(w for word in line.split() for w in tokenise(word))
    elif kind == "normalise":
        word, sep, replacement = line.partition("=")
        if not sep or not word.strip() or not replacement.strip():
            raise ValueError("expected 'word = replacement words'")
        lexicon.expansions[word.strip()] = tuple(replacement.split())
    else:
        lexicon.entries.append(Entry(kind, level, compile_pattern(line), line, where, lexicon.lang, len(lexicon.entries)))


def compile_pattern(pattern: str) -> tuple[Element, ...]:
    elements = tuple(_element(part) for part in split_pattern(pattern))
    if not elements or all(e.optional or e.gap for e in elements):
        raise ValueError(f"pattern {pattern!r} has no word that must be there")
    if elements[0].gap or elements[-1].gap:
        raise ValueError(f"pattern {pattern!r} cannot start or end with ~")
    return elements


def split_pattern(pattern: str) -> list[str]:
    """Split on spaces outside ( ) and [ ], so that "(going to|will)" stays one part."""
    parts, current, depth = [], "", 0
    for char in pattern:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            if depth < 0:
                raise ValueError(f"unbalanced brackets in {pattern!r}")
        if char.isspace() and depth == 0:
            if current:
                parts.append(current)
            current = ""
        else:
            current += char
    if depth != 0:
        raise ValueError(f"unbalanced brackets in {pattern!r}")
    return parts + ([current] if current else [])


def _element(part: str) -> Element:
    if re.fullmatch(r"~\d*", part):
        return Element(gap=int(part[1:] or DEFAULT_GAP))
    optional = part.startswith("[") and part.endswith("]")
    body = part[1:-1] if optional else part
    if body == "#":
        return Element(number=True, optional=optional)
    if body.startswith("(") and body.endswith(")"):
        options = body[1:-1].split("|")
    elif any(c in body for c in "()[]|"):
        raise ValueError(f"unbalanced brackets in {part!r}")
    else:
        options = [body]
    words, prefixes, phrases = set(), [], []
    for option in options:
        prefix = option.endswith("*")
        folded = tokenise(option[:-1] if prefix else option)
        if not folded:
            raise ValueError(f"empty alternative in {part!r}")
        if prefix:
            if len(folded) != 1 or len(folded[0]) < 3:
                raise ValueError(f"prefix {option!r} must be one word of at least 3 letters")
            prefixes.append(folded[0])
        elif len(folded) == 1:
            words.add(folded[0])
        else:
            phrases.append(tuple(folded))
    return Element(frozenset(words), tuple(prefixes), tuple(phrases), optional)
