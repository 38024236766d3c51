"""Every word a person reads exists in English, Dutch and Italian, with the same placeholders."""

from __future__ import annotations

import re

import pytest

from escalation import texts
from escalation.i18n import _catalogue, available_languages, translate

MESSAGES = [value for name, value in vars(texts).items() if name.isupper() and isinstance(value, str)]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_the_partnerships_three_languages_have_catalogues():
    assert set(available_languages()) >= {"en", "nl", "it"}


@pytest.mark.parametrize("language", ["nl", "it"])
@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m[:30])
def test_each_message_is_translated_with_the_same_placeholders(language, message):
    translated = _catalogue(language).get(message)
    assert translated and translated != message, f"no {language} translation for {message[:40]!r}"
    assert set(PLACEHOLDER.findall(translated)) == set(PLACEHOLDER.findall(message))


def test_an_unknown_language_falls_back_to_english():
    assert translate(texts.WELCOME, "pl", emergency_number="999") == texts.WELCOME.format(emergency_number="999")
