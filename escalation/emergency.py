"""Which emergency number to give a person: 999 in the UK, 112 in the Netherlands and Italy."""

from __future__ import annotations

EMERGENCY_NUMBERS = {"GB": "999", "NL": "112", "IT": "112"}
LANGUAGE_REGION = {"en": "GB", "nl": "NL", "it": "IT"}


def emergency_number(region: str | None, language: str | None = None, default: str = "999") -> str:
    """By the phone number's country when known, else by language, else the helpline's default.

    112 also works from any mobile in the UK, so a wrong guess between 999 and 112 still connects.
    """
    if region in EMERGENCY_NUMBERS:
        return EMERGENCY_NUMBERS[region]
    if region:
        return "112"
    return EMERGENCY_NUMBERS.get(LANGUAGE_REGION.get(language or "", ""), default)
