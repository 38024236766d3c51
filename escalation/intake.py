"""The one intake pipeline every channel feeds.

In ONE transaction: de-duplicate on the provider's id, find or create the person and their
open contact, store the message with its triage, read what the person says of their own
safety ("HELP", "it can wait", a button), route, queue the one reply in the outbox, relay to
the mentor holding the contact. A handler answers its provider only after this returns, so
"200" always means "stored".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Callable, Mapping
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from escalation import texts
from escalation.channels import REPLY_CHANNEL, SMS, TELEGRAM, VOICE, identity_kind
from escalation.emergency import LANGUAGE_REGION, emergency_number
from escalation.flood import FloodGuard
from escalation.i18n import translate
from escalation.opt_out import Choice, OptOutWords, OptWord
from escalation.opt_out import default_words as default_opt_out_words
from escalation.privacy import READ as PRIVACY_READ
from escalation.privacy import RETENTION_MONTHS, PrivacyWord, PrivacyWords, full_text
from escalation.privacy import BUTTON as PRIVACY_BUTTON
from escalation.privacy import SENT as PRIVACY_SENT
from escalation.privacy import WITHDRAWN as PRIVACY_WITHDRAWN
from escalation.privacy import default_words as default_privacy_words
from escalation.referrals.workflow import Referrals
from escalation.replies import AutoReply, Situation, choose_reply, guidance_due
from escalation.relay import Relay
from escalation.routing import RouteOutcome, Router
from escalation.safety_words import Ask, Reading, SafetyWords, default_words
from escalation.triage import Level, Triage, TriageResult
from storage import blocks, contacts, opt_outs, outbox, people, tags
from storage.db import SessionFactory
from storage.events import append_event, last_event_at, person_event_counts
from storage.kv import KeyValueStore
from storage.models import Contact, Person
from storage.types import storable

log = structlog.get_logger(__name__)

SEEN_TTL_SECONDS = 7 * 24 * 3600
ATTEMPTS = 3
CONTEXT_WINDOW = timedelta(hours=6)  # earlier messages that can turn "tonight" into an emergency
CONTEXT_MESSAGES = 5
REGION_LANGUAGE = {region: language for language, region in LANGUAGE_REGION.items()}


@dataclass(frozen=True)
class InboundMessage:
    """One message from a person, whatever the channel it came by."""

    channel: str
    sender: str
    text: str
    provider_message_id: str
    received_at: datetime
    region: str | None = None
    pressed: Ask | None = None  # a tapped "I need someone now" / "I'm safe, it can wait" button
    via: str | None = None  # voicemail | missed_call: a call became this message (the card says so)
    floor: Level | None = None  # at least this urgent, whatever the words (a call nobody took)
    privacy: bool = False  # a tapped "Your privacy" button: the full privacy notice, like PRIVACY


@dataclass(frozen=True)
class IntakeResult:
    duplicate: bool
    person_id: int | None = None
    contact_id: int | None = None
    message_id: int | None = None
    new_person: bool = False
    new_contact: bool = False
    reply_queued: bool = False
    level: Level = Level.LOW
    categories: tuple[str, ...] = ()
    urgency_raised: bool = False
    asked: Ask | None = None


class Intake:
    def __init__(
        self,
        sessions: SessionFactory,
        kv: KeyValueStore,
        *,
        triage: Triage,
        idle_after: timedelta,
        clock: Callable[[], datetime],
        crisis_lines: Mapping[str, str] | None = None,
        zone: ZoneInfo = ZoneInfo("Europe/London"),
        router: Router | None = None,
        relay: Relay | None = None,
        on_committed: Callable[[IntakeResult], None] | None = None,
        safety_words: SafetyWords | None = None,
        referrals: Referrals | None = None,
        opt_out_words: OptOutWords | None = None,
        privacy_words: PrivacyWords | None = None,
        privacy_months: int = RETENTION_MONTHS,
        privacy_notice: bool = True,
        flood: FloodGuard | None = None,
    ) -> None:
        self._sessions = sessions
        self._kv = kv
        self._triage = triage
        self._idle_after = idle_after
        self._clock = clock
        self._crisis_lines = dict(crisis_lines or {})
        self._router = router
        self._relay = relay
        self._zone = zone
        self._on_committed = on_committed
        self._words = safety_words or default_words()
        self._referrals = referrals
        self._opt_words = opt_out_words or default_opt_out_words()
        self._privacy_words = privacy_words or default_privacy_words()
        self._privacy_months = privacy_months
        self._privacy_notice = privacy_notice
        self._flood = flood  # a person over the rate limit: their messages reach the mentor in one batch

    def now(self) -> datetime:
        """The intake's clock, for an inbound event that carries no time of its own (a button)."""
        return self._clock()

    async def receive(self, message: InboundMessage) -> IntakeResult:
        """Store one inbound message exactly once; safe to call again with the same message."""
        message = replace(message, text=storable(message.text), sender=storable(message.sender),
                          provider_message_id=storable(message.provider_message_id))
        key = f"seen:{message.channel}:{message.provider_message_id}"
        if await self._seen(key):
            return IntakeResult(duplicate=True)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                result = await self._store(message)
                break
            except IntegrityError:
                # A concurrent delivery of the same message, or of this person's first one,
                # won the race; the retry finds what it stored.
                if attempt == ATTEMPTS:
                    raise
                log.info("intake race, retrying", attempt=attempt)
        await self._remember(key)
        if not result.duplicate and self._on_committed is not None:
            self._on_committed(result)
        return result

    async def _store(self, message: InboundMessage) -> IntakeResult:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if await contacts.message_exists(session, message.channel, message.provider_message_id):
                return IntakeResult(duplicate=True)
            if self._referrals is not None and await self._referrals.agency_reply(
                    session, message.channel, message.sender, message.text, now):
                return IntakeResult(duplicate=False, reply_queued=False)  # an agency's acknowledgement
            kind = identity_kind(message.channel)
            person = await people.find_person(session, kind, message.sender)
            new_person = person is None
            if person is None:
                person = await people.create_person(session, kind, message.sender, now)
            contact, new_contact = await self._current_contact(session, person, message.channel, now)
            blocked = await blocks.active(session, person.id) is not None
            flooding = (not blocked and self._flood is not None
                        and await self._flood.over(person.id, message.provider_message_id, now))
            context = await contacts.recent_inbound_texts(session, contact.id, now - CONTEXT_WINDOW, CONTEXT_MESSAGES)
            triage = self._triage.classify(message.text, context)
            opting, confirm = await self._opt_out(session, message, now)
            asking = None if opting is not None else self._privacy(message)
            if new_person:
                word = opting or (asking if isinstance(asking, PrivacyWord) else None)
                person.language = (word.language(REGION_LANGUAGE.get(message.region or ""), triage.lang)
                                   if word is not None else triage.lang)
            mentor_wrote = None if new_contact else await contacts.last_mentor_message_at(session, contact.id)
            # a bare STOP / START / PRIVACY is not a safety answer, and is not routed as a new alert by itself
            reading = (None if opting is not None or asking is not None
                       else self._reading(contact, message, new_contact, mentor_wrote))
            triage, explained = as_stored(triage, reading, opting is not None, asking is not None, message)
            level = Level.parse(explained["level"])
            message_id = await contacts.add_message(
                session, contact, channel=message.channel, direction="in", sender_kind="person",
                body=message.text, at=message.received_at,
                provider_message_id=message.provider_message_id, triage=explained)
            await append_event(session, contact.id, "message_received", f"person:{person.id}", now,
                               message_id=message_id, channel=message.channel,
                               level=level.label, categories=list(triage.categories),
                               **({"over_rate_limit": True} if flooding else {}))
            await tags.add_tags(session, contact.id, tags.CATEGORY, triage.categories)
            raised = await _raise_urgency(session, contact, level, triage, message_id, now)
            # a blocked person is stored, not routed; an emergency (a plea for help is one) is
            # routed all the same: safety first (README: Abuse limits)
            held = blocked and level < Level.EMERGENCY
            if blocked:
                await append_event(session, contact.id, blocks.BLOCKED_MESSAGE, "system", now,
                                   message_id=message_id, routed=not held)
            # a flood is batched for the mentor, but a rise or an emergency goes through at once
            batched = flooding and not raised and level < Level.EMERGENCY
            # held: no referral proposed, no alert, no card, no automatic reply, nothing relayed
            if self._referrals is not None and not held:  # before routing: the cards say what was proposed or told
                await self._referrals.consider(session, contact, person, level, triage.categories, now)
            if opting is not None:  # STOP / START and PRIVACY are honoured for everyone, blocked or not
                queued = await self._opted(session, person, contact, message, opting, confirm, new_contact,
                                           message_id, now)
            elif asking is not None:
                queued = await self._full_notice(session, person, contact, message, asking, new_contact,
                                                 message_id, now)
            elif held:
                queued = False
            else:
                outcome, wait_until = await self._route(session, contact, person, reading, new_contact, raised,
                                                        message_id, now)
                queued = await self._reply(session, person, contact, message, level, reading, outcome, wait_until,
                                           new_person, new_contact, mentor_wrote, now)
            if self._relay is not None and not new_contact and asking is None and not held:  # PRIVACY is no distress
                relay = self._relay.hold if batched else self._relay.to_mentor
                queued = await relay(session, contact, person, message_id, message.text, now) or queued
                if opting is not None and opting.choice is Choice.STOP and confirm:
                    await self._relay.opted_out(session, contact, person, message_id, now)
        return IntakeResult(False, person.id, contact.id, message_id, new_person, new_contact, queued,
                            level, triage.categories, raised, reading.ask if reading else None)

    async def _opt_out(self, session: AsyncSession, message: InboundMessage,
                       now: datetime) -> tuple[OptWord | None, bool]:
        """SMS STOP / START, read only from an SMS that is nothing but the word: (the word, whether
        it changed anything and is confirmed). A START from a person who is not stopped is an
        ordinary message. Any other message from a stopped number lets what answers it through;
        a message from a Telegram chat that had blocked the bot lifts the block."""
        if message.channel == TELEGRAM:
            await opt_outs.lift(session, TELEGRAM, message.sender)
            return None, False
        word = self._opt_words.read(message.text) if message.channel == SMS else None
        if word is not None and word.choice is Choice.STOP:
            return word, await opt_outs.stop(session, SMS, message.sender, now, how="word")
        if word is not None and await opt_outs.lift(session, SMS, message.sender):
            return word, True
        if REPLY_CHANNEL[message.channel] == SMS:
            await opt_outs.wrote(session, SMS, message.sender, now)
        return None, False

    async def _opted(self, session: AsyncSession, person: Person, contact: Contact, message: InboundMessage,
                     word: OptWord, confirm: bool, new_contact: bool, message_id: int, now: datetime) -> bool:
        """A bare STOP / START: on the timeline, confirmed once in the person's language, and not
        an alert by itself (an open alert goes on; the holder sees the message; the triage's own
        reading of the word is kept as ``triage_level``). A contact the word alone opened is
        closed at once: there is nothing to answer."""
        stopping = word.choice is Choice.STOP
        await append_event(session, contact.id, "opted_out" if stopping else "opted_in", f"person:{person.id}",
                           now, message_id=message_id, channel=message.channel, how="word", words=word.source)
        queued = False
        if confirm:
            text = translate(texts.OPTED_OUT if stopping else texts.OPTED_IN, person.language,
                             emergency_number=emergency_number(message.region, person.language))
            await self._send(session, contact, message, AutoReply("opted_out" if stopping else "opted_in", text),
                             now, notice=True)
            queued = True
        if new_contact:
            await contacts.close_contact(session, contact, now, reason="opted_out" if stopping else "opted_in",
                                         actor="system")
        return queued

    def _privacy(self, message: InboundMessage) -> PrivacyWord | bool | None:
        """A tapped "Your privacy" button (True), a message that is only a privacy word, or None."""
        if message.privacy:
            return True
        return self._privacy_words.read(message.text) if message.channel in (SMS, TELEGRAM) else None

    async def _full_notice(self, session: AsyncSession, person: Person, contact: Contact, message: InboundMessage,
                           asking: PrivacyWord | bool, new_contact: bool, message_id: int, now: datetime) -> bool:
        """PRIVACY or the button: the full notice in the person's language, recorded as read (the
        acknowledgement). Not an alert by itself: an open contact goes on as it was; a contact the
        word alone opened is closed at once (nothing to answer, so nobody is left unseen)."""
        text = full_text(person.language, emergency_number(message.region, person.language), self._privacy_months)
        await self._send(session, contact, message, AutoReply("privacy_full", text), now)
        await append_event(session, contact.id, PRIVACY_READ, f"person:{person.id}", now, message_id=message_id,
                           channel=message.channel, how="button" if asking is True else "word",
                           language=person.language)
        if new_contact:
            await contacts.close_contact(session, contact, now, reason="privacy", actor="system")
        return True

    async def _short_notice(self, session: AsyncSession, person: Person, contact: Contact,
                            message: InboundMessage, now: datetime) -> None:
        """The short privacy notice, queued after the first reply (the safety question) of a
        contact read as medium or low, once a person: it is owed until it was sent or the person
        read the full text. At high or above ("I want to die" is high) it waits for the person's
        next contact: a text about data helps nobody in a crisis, and it would queue ahead of
        whatever is sent to them next."""
        if contact.urgency and Level.parse(contact.urgency) >= Level.HIGH:
            return
        seen = await person_event_counts(session, person.id, (PRIVACY_SENT, PRIVACY_READ, PRIVACY_WITHDRAWN))
        if seen[PRIVACY_READ] or seen[PRIVACY_SENT] > seen[PRIVACY_WITHDRAWN]:
            return
        channel = REPLY_CHANNEL[message.channel]
        telegram = channel == TELEGRAM
        text = translate(texts.PRIVACY_NOTICE_TELEGRAM if telegram else texts.PRIVACY_NOTICE_SMS, person.language,
                         months=self._privacy_months)
        buttons = ((translate(texts.BUTTON_PRIVACY, person.language), PRIVACY_BUTTON),) if telegram else ()
        await self._send(session, contact, message, AutoReply("privacy_notice", text, buttons), now)
        await append_event(session, contact.id, PRIVACY_SENT, "system", now, channel=channel,
                           language=person.language)

    def _reading(self, contact: Contact, message: InboundMessage, new_contact: bool,
                 mentor_wrote: datetime | None) -> Reading | None:
        """What the person says of their own safety: a button, or only words that say it. A bare
        "no" answers the safety question only while it is open and no mentor has written."""
        if message.pressed is not None:
            return Reading(message.pressed, message.text, "button")
        pending = not new_contact and contact.safety_answer is None and mentor_wrote is None
        return self._words.read(message.text, question_pending=pending)

    async def _route(self, session: AsyncSession, contact: Contact, person: Person, reading: Reading | None,
                     new_contact: bool, raised: bool, message_id: int,
                     now: datetime) -> tuple[RouteOutcome, datetime | None]:
        """Alert for a new contact, a rise or a plea; else follow up (a mentor must answer). Then
        record the person's safety answer; "it can wait" may let the contact wait (returned)."""
        if self._router is None:
            return RouteOutcome(None), None
        level = Level.parse(contact.urgency or "low")
        asked_now = reading is not None and reading.ask is Ask.NOW
        if asked_now:  # first, so that the cards say so
            await self._router.safety_answer(session, contact, Ask.NOW, now)
        if new_contact or raised or asked_now:
            outcome = await self._router.route(session, contact, person, level, now, message_id)
        else:
            outcome = await self._router.follow_up(session, contact, person, message_id, now)
        if reading is None or asked_now:
            return outcome, outcome.wait_until
        return outcome, await self._router.safety_answer(session, contact, reading.ask, now)

    async def _reply(self, session: AsyncSession, person: Person, contact: Contact, message: InboundMessage,
                     level: Level, reading: Reading | None, outcome: RouteOutcome, wait_until: datetime | None,
                     new_person: bool, new_contact: bool, mentor_wrote: datetime | None, now: datetime) -> bool:
        asked = reading.ask if reading else None
        guidance = guidance_due(
            asked_now=asked is Ask.NOW, message_emergency=level >= Level.EMERGENCY,
            contact_emergency=contact.urgency == Level.EMERGENCY.label, now=now,
            last_guidance=await last_event_at(session, contact.id, "emergency_guidance_queued"),
            last_mentor_message=mentor_wrote)
        situation = Situation(person.language, message.region, message.channel, new_person, new_contact, guidance,
                              asked, outcome.gap, outcome.answer_from, wait_until, now)
        reply = choose_reply(situation, self._crisis_lines, self._zone)
        if reply is None:
            return False
        await self._send(session, contact, message, reply, now)
        if self._privacy_notice and new_contact and reply.kind != "emergency_guidance" and asked is not Ask.NOW:
            await self._short_notice(session, person, contact, message, now)  # after, never before, the question
        return True

    async def _current_contact(
        self, session: AsyncSession, person: Person, channel: str, now: datetime
    ) -> tuple[Contact, bool]:
        contact = await contacts.open_contact_of(session, person.id)
        if contact is not None and now - contact.last_activity_at > self._idle_after:
            await contacts.close_contact(session, contact, now, reason="idle", actor="system")
            contact = None
        if contact is not None:
            # a contact a call opened, that nobody took, gets its first message as a new one
            return contact, (contact.channel == VOICE and contact.assigned_mentor_id is None
                             and not await contacts.has_inbound(session, contact.id))
        return await contacts.open_contact(session, person.id, channel, now), True

    async def contact_for_call(self, session: AsyncSession, person: Person, channel: str,
                               now: datetime) -> Contact:
        """The contact a phone call belongs to: the person's open one, or a new one (the same
        rule as a message's, so that one person has one thread whatever the channel)."""
        contact, _ = await self._current_contact(session, person, channel, now)
        return contact

    async def _send(self, session: AsyncSession, contact: Contact, message: InboundMessage,
                    reply: AutoReply, now: datetime, notice: bool = False) -> None:
        channel = REPLY_CHANNEL[message.channel]
        reply_id = await contacts.add_message(session, contact, channel=channel, direction="out",
                                              sender_kind="system", body=reply.text, at=now)
        options = {"buttons": [list(b) for b in reply.buttons]} if reply.buttons else None
        if notice:  # the confirmation of a stop goes to the stopped number
            options = {**(options or {}), opt_outs.NOTICE: True}
        item_id = await outbox.enqueue(session, dedupe_key=f"{reply.kind}:{reply_id}", channel=channel,
                                       address=message.sender, body=reply.text, now=now,
                                       contact_id=contact.id, message_id=reply_id, options=options)
        kind = "emergency_guidance_queued" if reply.kind == "emergency_guidance" else "reply_queued"
        await append_event(session, contact.id, kind, "system", now, outbox_id=item_id, reply=reply.kind)
        if reply.kind == "emergency_guidance":
            await self._withdraw_notice(session, contact, now)

    async def _withdraw_notice(self, session: AsyncSession, contact: Contact, now: datetime) -> None:
        """A privacy notice still queued when the contact became an emergency would go out ahead
        of the guidance (a person's messages leave in order): it is withdrawn, and owed again."""
        if await outbox.withdraw_pending(session, contact.id, "privacy_notice", "withdrawn: an emergency", now):
            await append_event(session, contact.id, PRIVACY_WITHDRAWN, "system", now)

    async def _seen(self, key: str) -> bool:
        try:
            return await self._kv.seen(key)
        except Exception:  # the fast path is optional; the database still de-duplicates
            log.warning("key-value store unavailable, de-duplicating in the database only")
            return False

    async def _remember(self, key: str) -> None:
        try:
            await self._kv.remember(key, SEEN_TTL_SECONDS)
        except Exception:
            log.warning("key-value store unavailable, could not remember a stored delivery")


def as_stored(triage: TriageResult, reading: Reading | None, opt_word: bool, privacy_word: bool,
              message: InboundMessage) -> tuple[TriageResult, dict[str, object]]:
    """The triage as it is kept and acted on: the person's own answer ("it can wait", "NOW") and
    the words for the helpline (STOP / START, PRIVACY: the model reads "stop" as a risk, so they
    are not triaged; what it said is kept as ``triage_level``), and a call's floor."""
    if reading is not None and reading.ask is Ask.WAIT:
        triage = answered_it_can_wait(triage)
    said = triage.level
    if opt_word or privacy_word:
        triage = answered_it_can_wait(triage)
    explained = triage.as_dict() if reading is None or reading.ask is not Ask.NOW else asked_for_help(triage, reading)
    for word, rule in ((opt_word, "opt_out_word"), (privacy_word, "privacy_word")):
        if word:
            explained.update(triage_level=said.label, rules=[*explained["rules"], rule])
    if message.via or message.floor:
        explained = from_a_call(explained, message.via, message.floor)
    return triage, explained


def from_a_call(explained: dict[str, object], via: str | None, floor: Level | None) -> dict[str, object]:
    """A voicemail or a missed call: the card says so, and a call nobody took is at least
    ``floor`` urgent (someone rang and could not get through), with the rule that raised it."""
    explained = dict(explained, via=via)
    if floor is not None and Level.parse(str(explained["level"])) < floor:
        explained.update(level=floor.label, triage_level=explained["level"],
                         rules=[*explained["rules"], f"{via or 'call'}_not_taken"])
    return explained


def answered_it_can_wait(triage: TriageResult) -> TriageResult:
    """"WAIT", "wacht", "aspetta" alone answer the safety question: they are not a message to
    triage (the model, seeing one word, may read anything into it), and the answer is recorded
    as such. It never lowers the contact: a contact is as urgent as its most urgent message."""
    return triage._replace(level=Level.LOW, categories=(), matched=(), rules=(), lowered=False)


def asked_for_help(triage: TriageResult, reading: Reading) -> dict[str, object]:
    """The triage's reading, raised to emergency because the person asked for someone now.
    What the triage alone said stays in ``triage_level``, so corrections and training see it."""
    explained = triage.as_dict()
    explained.update(
        level=Level.EMERGENCY.label, triage_level=triage.level.label, asked_for_help=True,
        rules=[*explained["rules"], "asked_for_help_now"],
        matched=[*explained["matched"], {"phrase": reading.words, "kind": "self_escalation",
                                         "level": Level.EMERGENCY.label, "source": reading.source}])
    return explained


async def _raise_urgency(
    session: AsyncSession, contact: Contact, level: Level, triage: TriageResult, message_id: int, now: datetime
) -> bool:
    """A contact is as urgent as its most urgent message; a rise is an event routing acts on."""
    before = Level.parse(contact.urgency) if contact.urgency else None
    if before is not None and level <= before:
        return False
    contact.urgency = level.label
    await append_event(session, contact.id, "urgency_raised", "triage", now, message_id=message_id,
                       before=before.label if before else None, after=level.label,
                       categories=list(triage.categories), rules=list(triage.rules))
    return True
