"""Closing a contact as a mentoring session: outcome, pathway tags, minutes; then the person's
closing message and, after a hard contact, a check-in with the mentor.

The mentor taps through three short prompts (buttons, so it works one-handed on a phone).
Choices are kept on the contact until the last tap closes it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from escalation import texts
from escalation.emergency import emergency_number
from escalation.i18n import translate
from escalation.notify import Notifier, tell
from escalation.to_person import send_to_person
from storage import alerts, calls, contacts, tags
from storage import mentors as mentor_store
from storage.db import SessionFactory
from storage.events import append_event
from storage.mentors import MentorView
from storage.models import Contact, Person

OUTCOMES = {"sup": "support given", "sig": "signposted", "ref": "referred", "nor": "no reply",
            "ina": "inappropriate", "tst": "test"}
PATHWAYS = {"acc": "accommodation", "ete": "education, training and employment", "hea": "health",
            "dru": "drugs and alcohol", "fin": "finance, benefit and debt", "chi": "children and families",
            "att": "attitudes, thinking and behaviour"}
HARD = ("high", "emergency")
Buttons = list[list[tuple[str, str]]]


@dataclass(frozen=True)
class Prompt:
    text: str
    buttons: Buttons = field(default_factory=list)


class Closing:
    def __init__(self, sessions: SessionFactory, notifier: Notifier, clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._notifier = notifier
        self._clock = clock

    async def start(self, mentor: MentorView, contact_id: int) -> Prompt:
        async with self._sessions() as session:
            contact = await self._mine(session, mentor, contact_id)
            if contact is None:
                return Prompt("That contact is not yours to close, or is closed already.")
        rows = [[(word, f"x:{contact_id}:o:{code}")] for code, word in OUTCOMES.items()]
        return Prompt(f"Closing #{contact_id}. What was the outcome?", rows)

    async def outcome(self, mentor: MentorView, contact_id: int, code: str) -> Prompt:
        async with self._sessions() as session, session.begin():
            contact = await self._mine(session, mentor, contact_id)
            if contact is None or code not in OUTCOMES:
                return Prompt("That contact is not yours to close, or is closed already.")
            contact.outcome, contact.pathways = OUTCOMES[code], []
        return self._pathway_prompt(contact_id, [])

    async def pathway(self, mentor: MentorView, contact_id: int, code: str) -> Prompt:
        async with self._sessions() as session, session.begin():
            contact = await self._mine(session, mentor, contact_id)
            if contact is None or code not in PATHWAYS:
                return Prompt("That contact is not yours to close, or is closed already.")
            chosen = list(contact.pathways or [])
            tag = PATHWAYS[code]
            contact.pathways = [p for p in chosen if p != tag] if tag in chosen else chosen + [tag]
            return self._pathway_prompt(contact_id, contact.pathways)

    async def minutes_prompt(self, mentor: MentorView, contact_id: int) -> Prompt:
        async with self._sessions() as session:
            contact = await self._mine(session, mentor, contact_id)
            if contact is None:
                return Prompt("That contact is not yours to close, or is closed already.")
            suggested = await self._suggested_minutes(session, contact)
        options = sorted({suggested, 5, 15, 30, 45, 60, 90})
        row = [(f"{m} min" + (" ✓" if m == suggested else ""), f"x:{contact_id}:m:{m}") for m in options]
        return Prompt(f"How long did it take? Suggested from the messages: {suggested} min.", [row[:4], row[4:]])

    async def finish(self, mentor: MentorView, contact_id: int, minutes: int) -> Prompt:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            contact = await self._mine(session, mentor, contact_id)
            if contact is None:
                return Prompt("That contact is not yours to close, or is closed already.")
            person = await session.get(Person, contact.person_id)
            assert person is not None
            contact.status, contact.closed_at, contact.close_reason = "closed", now, "session"
            contact.minutes, contact.closed_by = max(1, minutes), mentor.id
            contact.outcome = contact.outcome or OUTCOMES["sup"]
            await alerts.end_open(session, contact.id, "closed")
            await tags.set_tags(session, contact.id, tags.PATHWAY, contact.pathways or [])
            await append_event(session, contact.id, "session_closed", f"mentor:{mentor.id}", now,
                               outcome=contact.outcome, pathways=list(contact.pathways or []),
                               minutes=contact.minutes)
            closing = translate(texts.CLOSING, person.language,
                                emergency_number=emergency_number(None, person.language))
            await send_to_person(session, contact, person, closing, "system", "closing_message_queued", "system", now)
            if contact.urgency in HARD:
                await tell(self._notifier, session, mentor, f"How are you after that one ({person.alias})?",
                           f"checkin:{contact.id}", buttons=[("I'm fine", f"d:{contact.id}:fine"),
                                                             ("I'd like a debrief", f"d:{contact.id}:debrief")])
                await append_event(session, contact.id, "debrief_offered", "system", now, mentor_id=mentor.id)
        chosen = ", ".join(contact.pathways or []) or "no pathway"
        return Prompt(f"Closed #{contact_id} as a mentoring session: {contact.outcome}; {chosen}; {contact.minutes} min.")

    async def debrief(self, mentor: MentorView, contact_id: int, answer: str) -> str:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            contact = await session.get(Contact, contact_id)
            if contact is None or contact.closed_by != mentor.id:
                return "Thanks."
            await append_event(session, contact_id, "debrief_answer", f"mentor:{mentor.id}", now, answer=answer)
            if answer != "debrief":
                return "Thanks for looking after yourself too."
            for coordinator in await mentor_store.coordinators(session):
                await tell(self._notifier, session, coordinator,
                           f"{mentor.name} would like a debrief after contact #{contact_id}.", f"debrief:{contact_id}")
        return "A coordinator has been asked to get in touch with you for a debrief."

    def _pathway_prompt(self, contact_id: int, chosen: list[str]) -> Prompt:
        rows = [[(("✓ " if word in chosen else "") + word, f"x:{contact_id}:p:{code}")] for code, word in PATHWAYS.items()]
        rows.append([("Done", f"x:{contact_id}:pd")])
        return Prompt("Which pathways did it touch? Tap all that apply, then Done.", rows)

    async def _mine(self, session: AsyncSession, mentor: MentorView, contact_id: int) -> Contact | None:
        contact = await session.get(Contact, contact_id)
        if contact is None or contact.status != "open" or contact.assigned_mentor_id != mentor.id:
            return None
        return contact

    async def _suggested_minutes(self, session: AsyncSession, contact: Contact) -> int:
        """From the messages' span, plus the time on the phone: a taken call's own length."""
        messages = await contacts.transcript(session, contact.id)
        span = (messages[-1].received_at - messages[0].received_at).total_seconds() / 60 if len(messages) > 1 else 0
        spoken = math.ceil(await calls.talk_seconds(session, contact.id) / 60)
        if spoken:
            return spoken + int(5 * round(span / 5))
        return max(5, int(5 * round(span / 5)))
