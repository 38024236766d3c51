"""Which automatic reply a person gets, before any mentor acts.

Emergency guidance comes first and at once: call the emergency number, a mentor is being
alerted, and a free crisis line. It is repeated at most every few minutes however many
messages arrive, so that a person in crisis is not drowned in copies. Otherwise a person's
first message gets the welcome and a returning person's new contact an acknowledgement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from escalation import texts
from escalation.emergency import emergency_number
from escalation.i18n import DEFAULT_LANGUAGE, translate
from escalation.triage.model import Level

GUIDANCE_REPEAT_MINUTES = 10


@dataclass(frozen=True)
class AutoReply:
    kind: str  # "emergency_guidance" | "welcome" | "acknowledgement"
    text: str


def gap_notice(answer_from: datetime | None, zone: ZoneInfo, language: str, region: str | None) -> AutoReply:
    number = emergency_number(region, language)
    if answer_from is None:
        return AutoReply("gap_notice", translate(texts.GAP_UNKNOWN, language, emergency_number=number))
    local = answer_from.astimezone(zone)
    when = format_datetime(local, "EEEE HH:mm", tzinfo=zone, locale=language)
    return AutoReply("gap_notice", translate(texts.GAP_UNTIL, language, when=when, emergency_number=number))


def choose_reply(
    *,
    level: Level,
    new_person: bool,
    new_contact: bool,
    guidance_sent_recently: bool,
    language: str,
    region: str | None,
    crisis_lines: Mapping[str, str],
) -> AutoReply | None:
    number = emergency_number(region, language)
    if level >= Level.EMERGENCY and not guidance_sent_recently:
        line = crisis_lines.get(language) or crisis_lines.get(DEFAULT_LANGUAGE, "")
        text = translate(texts.EMERGENCY, language, emergency_number=number, crisis_line=line)
        return AutoReply("emergency_guidance", text)
    if not new_contact:
        return None
    if new_person:
        return AutoReply("welcome", translate(texts.WELCOME, language, emergency_number=number))
    return AutoReply("acknowledgement", translate(texts.NEW_CONTACT, language, emergency_number=number))
