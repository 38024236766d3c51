"""The one intake pipeline every channel feeds.

In ONE transaction: de-duplicate on the provider's id, find or create the person and their
open contact, store the message, append events, queue the reply in the outbox. A handler
answers its provider only after this returns, so "200" always means "stored".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Mapping
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from escalation.channels import REPLY_CHANNEL, identity_kind
from escalation.replies import GUIDANCE_REPEAT_MINUTES, AutoReply, choose_reply, gap_notice
from escalation.relay import Relay
from escalation.routing import RouteOutcome, Router
from escalation.triage import Level, Triage, TriageResult
from storage import contacts, outbox, people, tags
from storage.db import SessionFactory
from storage.events import append_event, last_event_at
from storage.kv import KeyValueStore
from storage.models import Contact, Person

log = structlog.get_logger(__name__)

SEEN_TTL_SECONDS = 7 * 24 * 3600
ATTEMPTS = 3
CONTEXT_WINDOW = timedelta(hours=6)  # earlier messages that can turn "tonight" into an emergency
CONTEXT_MESSAGES = 5


@dataclass(frozen=True)
class InboundMessage:
    """One message from a person, whatever the channel it came by."""

    channel: str
    sender: str
    text: str
    provider_message_id: str
    received_at: datetime
    region: str | None = None


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

    async def receive(self, message: InboundMessage) -> IntakeResult:
        """Store one inbound message exactly once; safe to call again with the same message."""
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
            kind = identity_kind(message.channel)
            person = await people.find_person(session, kind, message.sender)
            new_person = person is None
            if person is None:
                person = await people.create_person(session, kind, message.sender, now)
            contact, new_contact = await self._current_contact(session, person, message.channel, now)
            context = await contacts.recent_inbound_texts(session, contact.id, now - CONTEXT_WINDOW, CONTEXT_MESSAGES)
            triage = self._triage.classify(message.text, context)
            if new_person:
                person.language = triage.lang
            message_id = await contacts.add_message(
                session, contact, channel=message.channel, direction="in", sender_kind="person",
                body=message.text, at=message.received_at,
                provider_message_id=message.provider_message_id, triage=triage.as_dict())
            await append_event(session, contact.id, "message_received", f"person:{person.id}", now,
                               message_id=message_id, channel=message.channel,
                               level=triage.level.label, categories=list(triage.categories))
            await tags.add_tags(session, contact.id, tags.CATEGORY, triage.categories)
            raised = await _raise_urgency(session, contact, triage, message_id, now)
            queued = await self._queue_reply(session, person, contact, message, triage.level,
                                             new_person, new_contact, now)
            if self._router is not None and (new_contact or raised):
                outcome = await self._router.route(session, contact, person, triage.level, now)
                if outcome.gap:
                    queued = await self._tell_gap(session, person, contact, message, outcome, now) or queued
            if self._relay is not None and not new_contact:
                queued = await self._relay.to_mentor(session, contact, person, message_id, message.text, now) or queued
        return IntakeResult(False, person.id, contact.id, message_id, new_person, new_contact, queued,
                            triage.level, triage.categories, raised)

    async def _current_contact(
        self, session: AsyncSession, person: Person, channel: str, now: datetime
    ) -> tuple[Contact, bool]:
        contact = await contacts.open_contact_of(session, person.id)
        if contact is not None and now - contact.last_activity_at > self._idle_after:
            await contacts.close_contact(session, contact, now, reason="idle", actor="system")
            contact = None
        if contact is not None:
            return contact, False
        return await contacts.open_contact(session, person.id, channel, now), True

    async def _queue_reply(
        self, session: AsyncSession, person: Person, contact: Contact, message: InboundMessage,
        level: Level, new_person: bool, new_contact: bool, now: datetime,
    ) -> bool:
        last_guidance = await last_event_at(session, contact.id, "emergency_guidance_queued")
        reply = choose_reply(
            level=level, new_person=new_person, new_contact=new_contact,
            guidance_sent_recently=last_guidance is not None
            and now - last_guidance < timedelta(minutes=GUIDANCE_REPEAT_MINUTES),
            language=person.language, region=message.region, crisis_lines=self._crisis_lines)
        if reply is None:
            return False
        await self._send(session, contact, message, reply, now)
        return True

    async def _tell_gap(self, session: AsyncSession, person: Person, contact: Contact,
                        message: InboundMessage, outcome: RouteOutcome, now: datetime) -> bool:
        """Nobody on call: say honestly when a mentor will answer (the coordinators are alerted)."""
        reply = gap_notice(outcome.answer_from, self._zone, person.language, message.region)
        await self._send(session, contact, message, reply, now)
        return True

    async def _send(self, session: AsyncSession, contact: Contact, message: InboundMessage,
                    reply: AutoReply, now: datetime) -> None:
        channel = REPLY_CHANNEL[message.channel]
        reply_id = await contacts.add_message(session, contact, channel=channel, direction="out",
                                              sender_kind="system", body=reply.text, at=now)
        item_id = await outbox.enqueue(session, dedupe_key=f"{reply.kind}:{reply_id}", channel=channel,
                                       address=message.sender, body=reply.text, now=now,
                                       contact_id=contact.id, message_id=reply_id)
        kind = "emergency_guidance_queued" if reply.kind == "emergency_guidance" else "reply_queued"
        await append_event(session, contact.id, kind, "system", now, outbox_id=item_id, reply=reply.kind)

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


async def _raise_urgency(
    session: AsyncSession, contact: Contact, triage: TriageResult, message_id: int, now: datetime
) -> bool:
    """A contact is as urgent as its most urgent message; a rise is an event routing acts on."""
    before = Level.parse(contact.urgency) if contact.urgency else None
    if before is not None and triage.level <= before:
        return False
    contact.urgency = triage.level.label
    await append_event(session, contact.id, "urgency_raised", "triage", now, message_id=message_id,
                       before=before.label if before else None, after=triage.level.label,
                       categories=list(triage.categories), rules=list(triage.rules))
    return True
