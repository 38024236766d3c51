"""A flood batched into one message to the mentor, never dropped.

A person over the rate limit (``escalation.flood``) still has every message stored and on their
contact; what changes is that the mentor holding the contact is not pinged once a message. The
messages are held and sent together in one "N more messages" relay: when the window has passed
since the first of them (the deadline poller calls ``flush_due``), or at once before the next
message that is relayed on its own (an emergency, or the flood is over), so that the mentor reads
them in order. Nothing waits longer than the window plus one poll.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from escalation.notify import Notifier, tell
from storage import held_relays
from storage import mentors as mentor_store
from storage.contacts import StoredMessage
from storage.db import SessionFactory
from storage.events import append_event
from storage.models import Contact, Person

log = structlog.get_logger(__name__)

BATCH_CHARS = 3000  # one Telegram message (4096) with room for the header; SMS is split by the sender
LINE_CHARS = 500


class RelayBatches:
    def __init__(self, sessions: SessionFactory, notifier: Notifier, clock: Callable[[], datetime],
                 window: timedelta) -> None:
        self._sessions = sessions
        self._notifier = notifier
        self._clock = clock
        self._window = window

    async def hold(self, session: AsyncSession, contact: Contact, message_id: int, now: datetime) -> None:
        """In the intake's transaction: keep the message for the batch; the contact's trail says so."""
        await held_relays.hold(session, contact.id, message_id, now)
        await append_event(session, contact.id, "relay_batched", "system", now, message_id=message_id,
                           mentor_id=contact.assigned_mentor_id)

    async def flush(self, session: AsyncSession, contact: Contact, person: Person, now: datetime) -> bool:
        """Send the contact's held messages, if any, in one message to the mentor holding it now.
        With nobody holding it they are only released: the next alert's card counts them."""
        held = await held_relays.take(session, contact.id)
        if not held:
            return False
        mentor = (await mentor_store.mentors_by_id(session, [contact.assigned_mentor_id or 0])).get(
            contact.assigned_mentor_id or 0)
        sent = False
        if mentor is not None:
            sent = await tell(self._notifier, session, mentor, batch_text(person.alias, contact.id, held),
                              f"relay_batch:{held[0].id}", contact_id=contact.id)
        await append_event(session, contact.id, "relay_batch_sent", "system", now, count=len(held),
                           first_message_id=held[0].id, last_message_id=held[-1].id,
                           mentor_id=mentor.id if mentor else None, delivered=sent)
        return sent

    async def flush_due(self) -> int:
        """Every batch whose window has passed; one transaction a contact. For the deadline poller."""
        now = self._clock()
        async with self._sessions() as session:
            contact_ids = await held_relays.due(session, now - self._window)
        flushed = 0
        for contact_id in contact_ids:
            async with self._sessions() as session, session.begin():
                contact = await session.get(Contact, contact_id)
                person = await session.get(Person, contact.person_id) if contact is not None else None
                if contact is not None and person is not None:
                    flushed += int(await self.flush(session, contact, person, now))
        return flushed


def batch_text(alias: str, contact_id: int, held: list[StoredMessage]) -> str:
    """"P-X #12: 20 more messages (sent in a flood, batched):" and the messages, oldest first, as
    many as fit; the rest are on the contact's page."""
    count = len(held)
    head = f"{alias} #{contact_id}: {count} more message{'s' if count != 1 else ''} (sent in a flood, batched):"
    lines, used = [], len(head)
    for message in held:
        line = "• " + (message.body if len(message.body) <= LINE_CHARS else message.body[:LINE_CHARS - 1] + "…")
        if used + len(line) + 1 > BATCH_CHARS:
            break
        lines.append(line)
        used += len(line) + 1
    rest = count - len(lines)
    tail = [f"…and {rest} more: see contact #{contact_id} on the dashboard."] if rest else []
    return "\n".join([head, *lines, *tail])
