"""SMS STOP / START: a message that is only an opt-out word (or a start word) is read here.

The words are a data file (``data/opt_out_words.txt``) a coordinator can review. Only the whole
message counts, trimmed, in any case, with trailing punctuation: "please make it stop" is a
message like any other. Channel-free: the intake decides which channels read these words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path

from escalation.i18n import word_language

DATA = Path(__file__).with_name("data") / "opt_out_words.txt"
TRAILING = ".!?,;:…¡¿'\"’ \t\r\n"


class Choice(str, Enum):
    STOP = "stop"
    START = "start"


@dataclass(frozen=True)
class OptWord:
    choice: Choice
    word: str  # as the file has it
    languages: tuple[str, ...]
    source: str  # "opt_out_words.txt:31"

    def language(self, region_language: str | None, guessed: str) -> str:
        """The language to confirm in, for a person the helpline does not know yet."""
        return word_language(self.languages, region_language, guessed)


class OptOutWordsError(ValueError):
    """The words file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class OptOutWords:
    words: dict[str, OptWord]

    def read(self, text: str) -> OptWord | None:
        return self.words.get(text.strip().casefold().rstrip(TRAILING).strip())


def load(path: Path = DATA) -> OptOutWords:
    words: dict[str, OptWord] = {}
    section: Choice | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            try:
                section = Choice(line[1:-1].strip())
            except ValueError:
                raise OptOutWordsError(f"{path.name}:{number}: unknown section {line} (use [stop], [start])") from None
            continue
        if section is None:
            raise OptOutWordsError(f"{path.name}:{number}: a word before any [section]")
        word, *languages = line.split()
        key = word.casefold()
        if key in words:
            raise OptOutWordsError(f"{path.name}:{number}: {word!r} is listed twice")
        words[key] = OptWord(section, word, tuple(languages), f"{path.name}:{number}")
    return OptOutWords(words)


@lru_cache(maxsize=1)
def default_words() -> OptOutWords:
    return load()
