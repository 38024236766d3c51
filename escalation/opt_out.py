"""SMS STOP / START: a message that is only an opt-out word (or a start word) is read here.

The words are a data file (``data/opt_out_words.txt``) a coordinator can review. Only the whole
message counts, trimmed, in any case, with trailing punctuation: "please make it stop" is a
message like any other. Channel-free: the intake decides which channels read these words.
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from pathlib import Path

from escalation.word_lists import ListedWord, WordList
from escalation.word_lists import load as load_words

DATA = Path(__file__).with_name("data") / "opt_out_words.txt"


class Choice(str, Enum):
    STOP = "stop"
    START = "start"


class OptWord(ListedWord):
    """A word of the [stop] or [start] section."""

    @property
    def choice(self) -> Choice:
        return Choice(self.section)


OptOutWords = WordList[OptWord]


def load(path: Path = DATA) -> OptOutWords:
    return load_words(path, tuple(c.value for c in Choice), OptWord)


@lru_cache(maxsize=1)
def default_words() -> OptOutWords:
    return load()
