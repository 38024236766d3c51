"""What the person says of their own safety: "I need someone now", or "I'm safe, it can wait".

This is not triage and never asks it. A message that is only a help word or a short plea makes
the contact an emergency whatever the triage read; "it can wait" is the only thing that lets a
low contact wait for the morning. The words are a data file (``data/safety_words.txt``) that a
coordinator can review; every word works in every language.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "safety_words.txt"
SECTIONS = ("now", "link", "plea", "no", "wait", "safe", "polite", "spelling")
MAX_WORDS = 12
_REPEATS = re.compile(r"([^\W\d_])\1+")
_NOT_WORD = re.compile(r"[^\w]+|_")


class Ask(str, Enum):
    NOW = "now"  # the person needs someone now
    WAIT = "wait"  # the person is safe and it can wait


# The data of the person's two buttons ("I need someone now", "I'm safe, it can wait"), and
# what a tap is stored as in the transcript.
BUTTONS = {Ask.NOW: "p:now", Ask.WAIT: "p:wait"}
PRESSED = {Ask.NOW: "[button] I need someone now", Ask.WAIT: "[button] I'm safe, it can wait"}


@dataclass(frozen=True)
class Reading:
    """What the message asks, and the words that said so (for the explanation and the card)."""

    ask: Ask
    words: str  # what the person wrote
    source: str  # "safety_words.txt:42", or "button"


class SafetyWordsError(ValueError):
    """The words file is malformed; the message names the file and line."""


Phrases = dict[tuple[str, ...], int]  # words -> line in the file


@dataclass(frozen=True)
class SafetyWords:
    now: Phrases  # one word each
    link: Phrases
    pleas: Phrases
    no: Phrases
    wait: Phrases
    safe: Phrases
    polite: Phrases
    symbols: frozenset[str]  # emoji that count as "sos"
    spelling: dict[str, tuple[str, ...]]  # text-speak -> words
    vocabulary: frozenset[str]  # every word of every list, to split "ineedhelp"
    name: str = DATA.name

    def words(self, text: str) -> tuple[str, ...]:
        """The message as words of the lists: spelt out, and run-together words split."""
        for symbol in self.symbols:
            text = text.replace(symbol, " sos ")
        out: list[str] = []
        for word in normalise(text):
            for part in self._split(word):
                out.extend(self.spelling.get(part, (part,)))
        return tuple(out)

    def _split(self, word: str) -> tuple[str, ...]:
        if word in self.vocabulary or len(word) < 5:
            return (word,)
        for cut in range(1, len(word)):
            head, tail = word[:cut], word[cut:]
            if head in self.vocabulary and (len(head) > 1 or head == "i"):
                rest = (tail,) if tail in self.vocabulary and len(tail) > 1 else self._split(tail)
                if all(part in self.vocabulary for part in rest):
                    return (head, *rest)
        return (word,)

    def read(self, text: str, question_pending: bool = False) -> Reading | None:
        """``question_pending``: the person has not answered "are you safe right now?" and no
        mentor has written yet, so a bare "no" is an answer to that question."""
        words = self.words(text)
        if not words or len(words) > MAX_WORDS:
            return None
        said = " ".join(text.split())
        line = _strong_line(words, [self.pleas, self.now], [self.link, self.polite])
        if line is not None:
            return Reading(Ask.NOW, said, f"{self.name}:{line}")
        line = _strong_line(words, [self.wait], [self.safe, self.polite])
        if line is not None:
            return Reading(Ask.WAIT, said, f"{self.name}:{line}")
        if question_pending and words in self.no:
            return Reading(Ask.NOW, said, f"{self.name}:{self.no[words]} (no, to the safety question)")
        return None


def _strong_line(words: tuple[str, ...], strong: list[Phrases], weak: list[Phrases]) -> int | None:
    """If the words are made only of known phrases with at least one strong one, the line of
    the first strong phrase; else None. Tried at every split, so "i'm ok it can wait" is
    "i'm ok" + "it can wait" however the lists overlap."""
    longest = max((len(p) for table in strong + weak for p in table), default=1)
    # reached[i]: the line of a strong phrase on some way to cover words[:i] (0: none yet)
    reached: dict[int, int] = {0: 0}
    for i in range(len(words)):
        if i not in reached:
            continue
        for j in range(i + 1, min(len(words), i + longest) + 1):
            piece = words[i:j]
            line = next((t[piece] for t in strong if piece in t), None)
            if line is None and not any(piece in t for t in weak):
                continue
            found = reached[i] or (line or 0)
            if reached.get(j, 0) == 0:
                reached[j] = found
    return reached.get(len(words)) or None


def normalise(text: str) -> list[str]:
    """Lower case, no accents, no punctuation or emoji, and a doubled letter as one, so that
    "HEEELP!!" is "help" and "wachtt" is "wacht" (the words file is read the same way)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return _REPEATS.sub(r"\1", _NOT_WORD.sub(" ", plain)).split()


def load(path: Path = DATA) -> SafetyWords:
    entries: dict[str, Phrases] = {name: {} for name in SECTIONS}
    symbols: set[str] = set()
    spelling: dict[str, tuple[str, ...]] = {}
    section: str | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            if section not in SECTIONS:
                raise SafetyWordsError(f"{path.name}:{number}: unknown section [{section}] (use {', '.join(SECTIONS)})")
            continue
        if section is None:
            raise SafetyWordsError(f"{path.name}:{number}: a word before any [section]")
        words = tuple(normalise(line))
        if section == "now" and not words and len(line) == 1:
            symbols.add(line)
            continue
        if section == "spelling":
            if len(words) < 2:
                raise SafetyWordsError(f"{path.name}:{number}: [spelling] takes 'written meant', not {line!r}")
            spelling[words[0]] = words[1:]
            continue
        if not words or (section in ("now", "link", "no") and len(words) != 1):
            raise SafetyWordsError(f"{path.name}:{number}: [{section}] takes one word a line, not {line!r}")
        entries[section].setdefault(words, number)
    tables = {name: _spelt(table, spelling) for name, table in entries.items() if name != "spelling"}
    vocabulary = frozenset(w for table in tables.values() for phrase in table for w in phrase) | set(spelling)
    return SafetyWords(tables["now"], tables["link"], tables["plea"], tables["no"], tables["wait"],
                       tables["safe"], tables["polite"], frozenset(symbols), spelling, vocabulary, path.name)


def _spelt(table: Phrases, spelling: dict[str, tuple[str, ...]]) -> Phrases:
    """The file's phrases read as messages are: "till morning" is "until morning"."""
    spelt: Phrases = {}
    for phrase, line in table.items():
        spelt.setdefault(tuple(w for word in phrase for w in spelling.get(word, (word,))), line)
    return spelt


@lru_cache(maxsize=4)
def default_words(folder: Path | None = None) -> SafetyWords:
    """The packaged words, or ``safety_words.txt`` in an edited triage folder
    (``HELPLINE_TRIAGE_DATA``) when it holds one."""
    edited = folder / DATA.name if folder is not None else None
    return load(edited if edited is not None and edited.is_file() else DATA)
