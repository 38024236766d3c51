"""Phone numbers as the helpline stores them: E.164, with the country they belong to."""

from __future__ import annotations

import phonenumbers


def normalise_phone(raw: str) -> tuple[str, str | None]:
    """E.164 and region for a number Twilio sent; anything unparseable is kept as it came.

    Keeping an odd sender (a short code, an alphanumeric id) rather than refusing it means a
    message is never dropped for its sender's format.
    """
    candidate = raw.strip()
    try:
        parsed = phonenumbers.parse(candidate, None)
    except phonenumbers.NumberParseException:
        return candidate, None
    if not phonenumbers.is_possible_number(parsed):
        return candidate, None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return e164, phonenumbers.region_code_for_number(parsed)
