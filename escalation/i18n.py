"""One gettext-style translation function for every word a person or mentor reads.

Catalogues are Babel ``.po`` files under ``escalation/locale/<lang>/LC_MESSAGES``; they are
read directly (no compile step) so that a coordinator's edit to a catalogue takes effect on
restart. English is the source language: an English catalogue may stay empty.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).with_name("locale")
DEFAULT_LANGUAGE = "en"


def N_(message: str) -> str:
    """Mark a string for extraction (``pybabel extract -k N_``) without translating it yet."""
    return message


@lru_cache(maxsize=None)
def _catalogue(language: str) -> dict[str, str]:
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=language)
    return {str(m.id): str(m.string) for m in catalogue if m.id and m.string and not m.fuzzy}


def available_languages() -> list[str]:
    found = {p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES" / "messages.po").is_file()}
    return sorted(found | {DEFAULT_LANGUAGE})


def translate(message: str, language: str | None = None, **values: object) -> str:
    """The text in the person's language, falling back to English, with ``{name}`` filled in."""
    text = _catalogue(language or DEFAULT_LANGUAGE).get(message, message)
    return text.format(**values) if values else text


def word_language(languages: tuple[str, ...], region_language: str | None, guessed: str) -> str:
    """The language to answer a one-word message in (STOP, PRIVACY) for a person the helpline does
    not know yet: the word's own language if it has one, else that of the number's country or the
    triage's guess when the word belongs to it, else the word's first."""
    if len(languages) == 1:
        return languages[0]
    for language in (region_language, guessed):
        if language in languages:
            return language
    return languages[0] if languages else guessed
