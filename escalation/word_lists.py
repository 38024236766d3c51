"""Word lists a coordinator reviews (STOP / START, PRIVACY): a message counts only when it is
one of the words, whole, in any case, with spaces and trailing punctuation ignored.

A line is ``word language language ...`` (a phrase joins its words with "_"), "#" starts a
comment, and an optional ``[section]`` line says what the words after it do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Generic, TypeVar

from escalation.i18n import word_language

TRAILING = ".!?,;:…¡¿'\"’ \t\r\n"


class WordListError(ValueError):
    """The words file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class ListedWord:
    word: str  # as the file has it
    languages: tuple[str, ...]
    source: str  # "opt_out_words.txt:31"
    section: str | None = None

    def language(self, region_language: str | None, guessed: str) -> str:
        """The language to answer in, for a person the helpline does not know yet."""
        return word_language(self.languages, region_language, guessed)


W = TypeVar("W", bound=ListedWord)


def key(text: str) -> str:
    return " ".join(text.strip().casefold().rstrip(TRAILING).replace("_", " ").split())


@dataclass(frozen=True)
class WordList(Generic[W]):
    words: dict[str, W]

    def read(self, text: str) -> W | None:
        return self.words.get(key(text))


def load(path: Path, sections: tuple[str, ...] = (), make: Callable[..., W] = ListedWord) -> WordList[W]:
    """The words of ``path``; with ``sections``, every word must come under one of them."""
    words: dict[str, W] = {}
    section: str | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if sections and line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            if section not in sections:
                raise WordListError(f"{path.name}:{number}: unknown section {line} "
                                    f"(use {', '.join(f'[{s}]' for s in sections)})")
            continue
        if sections and section is None:
            raise WordListError(f"{path.name}:{number}: a word before any [section]")
        word, *languages = line.split()
        if key(word) in words:
            raise WordListError(f"{path.name}:{number}: {word!r} is listed twice")
        words[key(word)] = make(word, tuple(languages), f"{path.name}:{number}", section)
    return WordList(words)
