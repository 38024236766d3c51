"""Transfer: hand a contact to another on-call mentor, with the last messages as the note.

The person sees no gap: the contact stays open, their next message goes to the new mentor.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from escalation import rota
from escalation.cards import most_urgent_line
from escalation.notify import Notifier, tell
from storage import contacts
from storage import mentors as mentor_store
from storage import rota as rota_store
from storage.db import SessionFactory
from storage.events import append_event
from storage.mentors import MentorView
from storage.models import Contact, Person

NOTE_MESSAGES = 3


class Transfers:
    def __init__(self, sessions: SessionFactory, notifier: Notifier, zone: ZoneInfo,
                 clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._notifier = notifier
        self._zone = zone
        self._clock = clock

    async def candidates(self, mentor: MentorView, contact_id: int) -> list[MentorView] | None:
        """Other active mentors on call now; None if the contact is not the mentor's."""
        now = self._clock()
        async with self._sessions() as session:
            contact = await session.get(Contact, contact_id)
            if contact is None or contact.status != "open" or contact.assigned_mentor_id != mentor.id:
                return None
            rules, overrides = await rota_store.load(session, now, now + timedelta(minutes=1))
            on_call = rota.on_call(rules, overrides, self._zone, now).everyone
            others = await mentor_store.mentors_by_id(session, [m for m in on_call if m != mentor.id])
        return [m for m in others.values() if m.active]

    async def take_over(self, mentor: MentorView, contact_id: int) -> str:
        """At a shift change: the incoming mentor takes a contact whose mentor is off duty."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            contact = await session.get(Contact, contact_id, with_for_update=True)
            if contact is None or contact.status != "open":
                return "That contact is closed."
            rules, overrides = await rota_store.load(session, now, now + timedelta(minutes=1))
            on_call = rota.on_call(rules, overrides, self._zone, now).everyone
            previous = contact.assigned_mentor_id
            if previous == mentor.id:
                return "It is already yours."
            if previous in on_call:
                return "Its mentor is still on duty."
            person = await session.get(Person, contact.person_id)
            assert person is not None
            contact.assigned_mentor_id = mentor.id
            await append_event(session, contact.id, "handed_over", f"mentor:{mentor.id}", now,
                               from_mentor=previous, to_mentor=mentor.id)
            leaving = (await mentor_store.mentors_by_id(session, [previous or 0])).get(previous or 0)
            if leaving is not None:
                await tell(self._notifier, session, leaving, f"{mentor.first_name} has taken over {person.alias} #{contact.id}.",
                           f"handed:{contact.id}:{mentor.id}", contact_id=contact.id)
        return f"{person.alias} is yours now; what you write here goes to them."

    async def transfer(self, mentor: MentorView, contact_id: int, to_id: int) -> str:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            contact = await session.get(Contact, contact_id, with_for_update=True)
            target = (await mentor_store.mentors_by_id(session, [to_id])).get(to_id)
            if contact is None or contact.status != "open" or contact.assigned_mentor_id != mentor.id:
                return "That contact is not yours to transfer."
            if target is None or not target.active or target.id == mentor.id:
                return "That mentor cannot take it."
            person = await session.get(Person, contact.person_id)
            assert person is not None
            contact.assigned_mentor_id = target.id
            recent = [m.body for m in await contacts.transcript(session, contact.id) if m.direction == "in"][-NOTE_MESSAGES:]
            note = "\n".join(f"• {line}" for line in recent) + (f"\nNote: {contact.note}" if contact.note else "")
            note = f"{await most_urgent_line(session, contact.id)}\n{note}"
            await tell(self._notifier, session, target,
                       f"{mentor.first_name} has transferred {person.alias} #{contact.id} ({contact.urgency or 'low'}) "
                       f"to you. Their last messages:\n{note}\nWhat you write here now goes to them.",
                       f"transfer:{contact.id}:{int(now.timestamp())}", contact_id=contact.id,
                       buttons=[("Close", f"x:{contact.id}:close")])
            await append_event(session, contact.id, "transferred", f"mentor:{mentor.id}", now,
                               from_mentor=mentor.id, to_mentor=target.id)
        return f"{person.alias} is now with {target.first_name}."
