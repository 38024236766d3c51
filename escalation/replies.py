"""Which automatic reply a person gets, before any mentor acts, and never one that promises
what is not happening.

One message answers one message, composed knowing what routing just did: in a rota gap the
emergency guidance says nobody is on duty (never "a mentor is being alerted" followed by "no
mentor is on duty"), and the welcome says what happens next at this hour. Emergency guidance
comes first and at once; it is repeated at most every few minutes, so that a person in crisis
is not drowned in copies, but always when they ask for help again or write again unanswered.
Every new contact is asked whether the person is safe right now and how to say they are not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from escalation import texts
from escalation.channels import TELEGRAM
from escalation.emergency import emergency_number
from escalation.i18n import DEFAULT_LANGUAGE, translate
from escalation.safety_words import BUTTONS, Ask

GUIDANCE_REPEAT_MINUTES = 10
PLEA_REPEAT_SECONDS = 60  # a second "HELP" within a minute has just been answered


@dataclass(frozen=True)
class AutoReply:
    kind: str  # emergency_guidance | welcome | acknowledgement | gap_notice | can_wait | more_told
    text: str
    buttons: tuple[tuple[str, str], ...] = ()  # (label, data) for a Telegram inline keyboard


@dataclass(frozen=True)
class Situation:
    """What the reply depends on: the person, what they asked, and what routing did."""

    language: str
    region: str | None
    channel: str
    new_person: bool = False
    new_contact: bool = False
    guidance: bool = False  # emergency guidance is due (see ``guidance_due``)
    ask: Ask | None = None
    gap: bool = False  # nobody on call: the coordinators were alerted
    answer_from: datetime | None = None  # in a gap, when cover starts (None: not known)
    # a low contact at night: until when it may wait if the person says so; after "it can
    # wait", when a mentor will answer (None: as soon as they can)
    wait_until: datetime | None = None
    now: datetime | None = None


def guidance_due(*, asked_now: bool, message_emergency: bool, contact_emergency: bool, now: datetime,
                 last_guidance: datetime | None, last_mentor_message: datetime | None) -> bool:
    """Guidance goes with every plea for help (not twice a minute), with an emergency message
    unless sent in the last few minutes, and again when the person of an emergency contact
    writes after that with no mentor reply since."""
    if last_guidance is None:
        return asked_now or contact_emergency
    since = now - last_guidance
    if asked_now:
        return since >= timedelta(seconds=PLEA_REPEAT_SECONDS)
    if not contact_emergency or since < timedelta(minutes=GUIDANCE_REPEAT_MINUTES):
        return False
    return message_emergency or last_mentor_message is None or last_mentor_message < last_guidance


def choose_reply(s: Situation, crisis_lines: Mapping[str, str], zone: ZoneInfo) -> AutoReply | None:
    number = emergency_number(s.region, s.language)
    if s.guidance:
        return _guidance(s, number, crisis_lines, zone)
    if s.ask is Ask.WAIT:
        return _can_wait(s, number, zone)
    if s.new_contact:
        return _first_reply(s, number, zone)
    if s.gap:
        return gap_notice(s.answer_from, zone, s.language, s.region)
    return None


def gap_notice(answer_from: datetime | None, zone: ZoneInfo, language: str, region: str | None) -> AutoReply:
    number = emergency_number(region, language)
    if answer_from is None:
        return AutoReply("gap_notice", translate(texts.GAP_UNKNOWN, language, emergency_number=number))
    return AutoReply("gap_notice", translate(texts.GAP_UNTIL, language, when=when(answer_from, zone, language),
                                             emergency_number=number))


def more_told(language: str, region: str | None = None) -> AutoReply:
    return AutoReply("more_told", translate(texts.MORE_TOLD, language,
                                            emergency_number=emergency_number(region, language)))


def when(at: datetime, zone: ZoneInfo, language: str, now: datetime | None = None) -> str:
    """"08:00" later today, else "Friday 08:00", in the person's language."""
    local = at.astimezone(zone)
    today = now is not None and now.astimezone(zone).date() == local.date()
    return format_datetime(local, "HH:mm" if today else "EEEE HH:mm", tzinfo=zone, locale=language)


def _guidance(s: Situation, number: str, crisis_lines: Mapping[str, str], zone: ZoneInfo) -> AutoReply:
    line = crisis_lines.get(s.language) or crisis_lines.get(DEFAULT_LANGUAGE, "")
    if not s.gap:
        text = translate(texts.EMERGENCY, s.language, emergency_number=number, crisis_line=line)
    elif s.answer_from is None:
        text = translate(texts.EMERGENCY_GAP, s.language, emergency_number=number, crisis_line=line)
    else:
        text = translate(texts.EMERGENCY_GAP_UNTIL, s.language, emergency_number=number, crisis_line=line,
                         when=when(s.answer_from, zone, s.language, s.now))
    return AutoReply("emergency_guidance", text)


def _can_wait(s: Situation, number: str, zone: ZoneInfo) -> AutoReply:
    later = s.wait_until
    if later is None:
        return AutoReply("can_wait", translate(texts.WAIT_SOON, s.language), _buttons(s, (Ask.NOW,)))
    text = translate(texts.WAIT_UNTIL, s.language, when=when(later, zone, s.language, s.now), emergency_number=number)
    return AutoReply("can_wait", text, _buttons(s, (Ask.NOW,)))


def _first_reply(s: Situation, number: str, zone: ZoneInfo) -> AutoReply:
    """Who we are, what happens next at this hour, are you safe right now, the emergency number."""
    parts = [translate(texts.WELCOME if s.new_person else texts.RETURNING, s.language)]
    if not s.gap:
        parts.append(translate(texts.TOLD, s.language))
    elif s.answer_from is None:
        parts.append(translate(texts.TOLD_GAP, s.language))
    else:
        parts.append(translate(texts.TOLD_GAP_UNTIL, s.language, when=when(s.answer_from, zone, s.language, s.now)))
    parts.append(_question(s, zone))
    parts.append(translate(texts.DANGER, s.language, emergency_number=number))
    return AutoReply("welcome" if s.new_person else "acknowledgement", " ".join(parts),
                     _buttons(s, (Ask.NOW, Ask.WAIT)))


def _question(s: Situation, zone: ZoneInfo) -> str:
    telegram = s.channel == TELEGRAM
    if s.wait_until is None:
        return translate(texts.ASK_TELEGRAM if telegram else texts.ASK_SMS, s.language)
    return translate(texts.ASK_TELEGRAM_UNTIL if telegram else texts.ASK_SMS_UNTIL, s.language,
                     when=when(s.wait_until, zone, s.language, s.now))


def _buttons(s: Situation, asks: tuple[Ask, ...]) -> tuple[tuple[str, str], ...]:
    if s.channel != TELEGRAM:
        return ()
    labels = {Ask.NOW: texts.BUTTON_NOW, Ask.WAIT: texts.BUTTON_WAIT}
    return tuple((translate(labels[a], s.language), BUTTONS[a]) for a in asks)
