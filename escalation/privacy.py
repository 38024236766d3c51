"""The privacy notice: a short one after a new person's first reply, and the full text on request.

The words that ask for the full text (PRIVACY, privacybeleid, informativa ...) are a data file
(``data/privacy_words.txt``) read like the opt-out words: only the whole message counts. The full
text is a data file per language (``data/privacy_<language>.txt``) a data protection officer can
edit; ``{months}`` and ``{emergency_number}`` in it are filled in. Channel-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from escalation.i18n import DEFAULT_LANGUAGE, word_language

DATA_DIR = Path(__file__).with_name("data")
WORDS = DATA_DIR / "privacy_words.txt"
TRAILING = ".!?,;:…¡¿'\"’ \t\r\n"
RETENTION_MONTHS = 12  # what the notice says until a retention setting says otherwise
BUTTON = "p:privacy"  # the Telegram button's data
PRESSED = "[button] Privacy"  # what a tap is stored as in the transcript
SENT = "privacy_notice_sent"  # contact events
READ = "privacy_notice_read"


@dataclass(frozen=True)
class PrivacyWord:
    word: str
    languages: tuple[str, ...]
    source: str  # "privacy_words.txt:14"

    def language(self, region_language: str | None, guessed: str) -> str:
        """The language of the full text, for a person the helpline does not know yet."""
        return word_language(self.languages, region_language, guessed)


class PrivacyWordsError(ValueError):
    """The words file is malformed; the message names the file and line."""


def _key(text: str) -> str:
    return " ".join(text.strip().casefold().rstrip(TRAILING).replace("_", " ").split())


@dataclass(frozen=True)
class PrivacyWords:
    words: dict[str, PrivacyWord]

    def read(self, text: str) -> PrivacyWord | None:
        return self.words.get(_key(text))


def load(path: Path = WORDS) -> PrivacyWords:
    words: dict[str, PrivacyWord] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        word, *languages = line.split()
        key = _key(word)
        if key in words:
            raise PrivacyWordsError(f"{path.name}:{number}: {word!r} is listed twice")
        words[key] = PrivacyWord(word, tuple(languages), f"{path.name}:{number}")
    return PrivacyWords(words)


@lru_cache(maxsize=1)
def default_words() -> PrivacyWords:
    return load()


@lru_cache(maxsize=None)
def _full_text_file(language: str) -> str | None:
    path = DATA_DIR / f"privacy_{language}.txt"
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None


def full_text(language: str | None, emergency_number: str, months: int = RETENTION_MONTHS) -> str:
    """The full notice in the person's language (English if there is none in theirs)."""
    text = _full_text_file(language or DEFAULT_LANGUAGE) or _full_text_file(DEFAULT_LANGUAGE) or ""
    return text.replace("{months}", str(months)).replace("{emergency_number}", emergency_number)
