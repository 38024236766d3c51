"""The relay: mentor and person write to each other through the helpline, never seeing the
other's number or account.

A person's messages in an assigned contact go to their mentor under the contact's header. A
mentor's message goes to the contact it replies to, else their current one (/use n), else
their only open one; with no clear target it goes nowhere and the mentor is asked. Only /use
makes a contact current: replying to one person must not send the next line to them. Everything
relayed is stored as a message of the contact, and sent through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from escalation.notify import Notifier, tell
from escalation.to_person import held_back, send_to_person
from storage import mentors as mentor_store
from storage import receipts
from storage import relay as relay_store
from storage.db import SessionFactory
from storage.events import append_event
from storage.mentors import MentorView
from storage.models import Contact, Person

if TYPE_CHECKING:
    from escalation.relay_batches import RelayBatches
    from escalation.routing import Router

__all__ = ["Relay", "Relayed"]


@dataclass(frozen=True)
class Relayed:
    outcome: str  # sent | ask | not_yours
    alias: str | None = None
    contacts: tuple[tuple[int, str, str | None], ...] = ()


class Relay:
    def __init__(self, sessions: SessionFactory, notifier: Notifier, clock: Callable[[], datetime],
                 router: "Router | None" = None, batches: "RelayBatches | None" = None) -> None:
        self._sessions = sessions
        self._notifier = notifier
        self._clock = clock
        self._router = router  # told when a mentor answers, so that reminders stop
        self._batches = batches  # a flood's messages, held for one relay (escalation.relay_batches)

    async def to_mentor(self, session: AsyncSession, contact: Contact, person: Person, message_id: int,
                        text: str, now: datetime) -> bool:
        """In the intake's transaction: pass a person's message to the mentor holding the contact
        (after any messages of a flood held before it, so that the mentor reads them in order)."""
        if self._batches is not None:
            await self._batches.flush(session, contact, person, now)
        if contact.assigned_mentor_id is None:
            return False
        mentor = (await mentor_store.mentors_by_id(session, [contact.assigned_mentor_id])).get(contact.assigned_mentor_id)
        if mentor is None:
            return False
        sent = await tell(self._notifier, session, mentor, f"{person.alias} #{contact.id}: {text}",
                          f"relay:{message_id}", contact_id=contact.id)
        await append_event(session, contact.id, "relayed_to_mentor", "system", now,
                           message_id=message_id, mentor_id=mentor.id, delivered=sent)
        return sent

    async def hold(self, session: AsyncSession, contact: Contact, person: Person, message_id: int,
                   text: str, now: datetime) -> bool:
        """In the intake's transaction: a message over the rate limit waits for the flood's one
        batched relay; without batching (or a mentor holding the contact) it is relayed as usual."""
        if self._batches is None or contact.assigned_mentor_id is None:
            return await self.to_mentor(session, contact, person, message_id, text, now)
        await self._batches.hold(session, contact, message_id, now)
        return False

    async def opted_out(self, session: AsyncSession, contact: Contact, person: Person, message_id: int,
                        now: datetime) -> bool:
        """In the intake's transaction: the person texted STOP. The mentor holding the contact is
        told that their messages will not arrive, loudly when the contact is urgent."""
        if contact.assigned_mentor_id is None:
            return False
        mentor = (await mentor_store.mentors_by_id(session, [contact.assigned_mentor_id])).get(contact.assigned_mentor_id)
        if mentor is None:
            return False
        urgent = contact.urgency in ("high", "emergency")
        text = (f"{'⚠️ ' if urgent else ''}{person.alias} #{contact.id} ({contact.urgency or 'low'} urgency) has "
                "opted out of texts (STOP). Your messages are not delivered to them until they write again or text "
                "START." + (" If you are worried for their safety, tell the coordinator on call now." if urgent else ""))
        sent = await tell(self._notifier, session, mentor, text, f"opted_out:{message_id}", contact_id=contact.id)
        await append_event(session, contact.id, "opt_out_told_to_mentor", "system", now,
                           message_id=message_id, mentor_id=mentor.id, delivered=sent)
        return sent

    async def from_mentor(self, mentor: MentorView, text: str, replying_to: str | None,
                          receipt: tuple[str, str] | None = None) -> Relayed:
        """``receipt``: the provider's id of the mentor's message, so that a redelivery is not
        relayed again."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if receipt is not None and not await receipts.claim(session, *receipt, now):
                return Relayed("sent")
            contact_id = await self._target(session, mentor, replying_to)
            if contact_id is None:
                return Relayed("ask", contacts=tuple(await relay_store.assigned_open_contacts(session, mentor.id)))
            contact = await session.get(Contact, contact_id)
            if contact is None or contact.status != "open" or contact.assigned_mentor_id != mentor.id:
                return Relayed("not_yours")
            person = await session.get(Person, contact.person_id)
            assert person is not None
            message_id = await send_to_person(session, contact, person, f"{mentor.first_name}: {text}", "mentor",
                                              "mentor_replied", f"mentor:{mentor.id}", now)
            if await held_back(session, contact, person, now):
                await tell(self._notifier, session, mentor,
                           f"Not delivered to {person.alias} #{contact.id}: they have opted out of messages from "
                           "the helpline (SMS STOP or a blocked bot). It is kept on their record; they get "
                           "replies again when they write to us.", f"held_back:{message_id}", contact_id=contact.id)
            if self._router is not None:
                await self._router.answered(session, contact, mentor, now)
            return Relayed("sent", person.alias)

    async def note(self, mentor: MentorView, text: str, replying_to: str | None) -> str:
        """Keep a short note on a contact (shown at handover and in the contact's record)."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            contact_id = await self._target(session, mentor, replying_to)
            contact = await session.get(Contact, contact_id) if contact_id else None
            if contact is None or contact.assigned_mentor_id != mentor.id:
                return "Which contact? Reply /note to one of their messages, or choose with /use first."
            await relay_store.set_note(session, contact.id, text)
            await append_event(session, contact.id, "note_kept", f"mentor:{mentor.id}", now, length=len(text))
            return f"Noted on #{contact.id}."

    async def contacts_of(self, mentor: MentorView) -> list[tuple[int, str, str | None]]:
        async with self._sessions() as session:
            return await relay_store.assigned_open_contacts(session, mentor.id)

    async def use(self, mentor: MentorView, contact_id: int) -> Relayed:
        async with self._sessions() as session, session.begin():
            mine = {c[0]: c for c in await relay_store.assigned_open_contacts(session, mentor.id)}
            if contact_id not in mine:
                return Relayed("not_yours", contacts=tuple(mine.values()))
            await relay_store.set_current(session, mentor.id, contact_id)
            return Relayed("sent", mine[contact_id][1])

    async def target(self, mentor: MentorView, replying_to: str | None) -> int | None:
        """The contact a mentor's message or command is about, if that is clear."""
        async with self._sessions() as session:
            return await self._target(session, mentor, replying_to)

    async def _target(self, session: AsyncSession, mentor: MentorView, replying_to: str | None) -> int | None:
        if replying_to:
            found = await relay_store.contact_of_sent_message(session, "telegram", replying_to)
            if found is not None:
                return found
        mine = [c[0] for c in await relay_store.assigned_open_contacts(session, mentor.id)]
        current = await relay_store.current(session, mentor.id)
        if current in mine:
            return current
        return mine[0] if len(mine) == 1 else None
