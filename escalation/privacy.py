"""The privacy notice: a short one after a new person's first reply, and the full text on request.

The words that ask for the full text (PRIVACY, privacybeleid, informativa ...) are a data file
(``data/privacy_words.txt``) read like the opt-out words: only the whole message counts. The full
text is a data file per language (``data/privacy_<language>.txt``) a data protection officer can
edit; ``{months}`` and ``{emergency_number}`` in it are filled in. Channel-free.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from escalation.i18n import DEFAULT_LANGUAGE
from escalation.word_lists import ListedWord, WordList
from escalation.word_lists import load as load_words

DATA_DIR = Path(__file__).with_name("data")
WORDS = DATA_DIR / "privacy_words.txt"
RETENTION_MONTHS = 12  # what the notice says until a retention setting says otherwise
BUTTON = "p:privacy"  # the Telegram button's data
PRESSED = "[button] Privacy"  # what a tap is stored as in the transcript
SENT = "privacy_notice_sent"  # contact events
READ = "privacy_notice_read"
WITHDRAWN = "privacy_notice_withdrawn"  # still queued when the contact became an emergency: owed again


PrivacyWord = ListedWord
PrivacyWords = WordList[ListedWord]


def load(path: Path = WORDS) -> PrivacyWords:
    return load_words(path)


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
