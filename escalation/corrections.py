"""Mentors correct the triage: "more urgent than that" or "less", with one tap and an optional
word of why.

The contact's level follows the correction, and raising it re-runs the chain at the new level.
Lowering never stops a chain already running: only a mentor accepting or answering does (a
correction is an opinion about urgency, not a promise that someone is looking). Each correction
is kept as a labelled example, so that the triage can be trained on what mentors saw.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from escalation.routing import Router
from escalation.triage.model import Level
from storage import contacts
from storage import corrections as store
from storage.db import SessionFactory
from storage.events import append_event
from storage.models import Contact, Person

WHY_WITHIN = timedelta(hours=1)  # /why attaches to the mentor's correction of the last hour
_PHONE = re.compile(r"\+?\d[\d\s().-]{6,}\d")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_ALIAS = re.compile(r"\bP-[A-Z0-9]{4,}\b")


@dataclass(frozen=True)
class Corrected:
    outcome: str  # corrected | same | unknown
    before: str | None = None
    after: str | None = None
    alias: str | None = None

    def describe(self, contact_id: int) -> str:
        if self.outcome == "unknown":
            return f"There is no contact #{contact_id}."
        if self.outcome == "same":
            return f"#{contact_id} is already {self.after}."
        raised = Level.parse(self.after or "low") > Level.parse(self.before or "low")
        then = " The chain runs again at that level." if raised else " Alerts already running go on until someone answers."
        return (f"{self.alias} #{contact_id} is now {self.after} (the triage said {self.before}).{then}"
                " To say why, send /why and a few words.")


class Corrections:
    def __init__(self, sessions: SessionFactory, router: Router | None, clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._router = router
        self._clock = clock

    async def correct(self, contact_id: int, level: Level, *, actor: str, mentor_id: int | None = None,
                      reason: str | None = None) -> Corrected:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            contact = await session.get(Contact, contact_id, with_for_update=True)
            person = await session.get(Person, contact.person_id) if contact is not None else None
            if contact is None or person is None:
                return Corrected("unknown")
            before = Level.parse(contact.urgency or "low")
            if level == before:
                return Corrected("same", before.label, level.label, person.alias)
            worst, _ = await contacts.worst_and_latest(session, contact.id)
            given = ((worst.triage or {}).get("triage_level") or worst.level or "low") if worst else before.label
            await store.add(session, contact_id=contact.id, message_id=worst.id if worst else None,
                            level_given=given, level_corrected=level.label, reason=reason, mentor_id=mentor_id,
                            actor=actor, at=now)
            contact.urgency = level.label
            await append_event(session, contact.id, "triage_corrected", actor, now, before=before.label,
                               after=level.label, **({"reason": reason} if reason else {}))
            if level > before and contact.status == "open" and self._router is not None:
                await self._router.route(session, contact, person, level, now, worst.id if worst else None)
            return Corrected("corrected", before.label, level.label, person.alias)

    async def why(self, mentor_id: int, reason: str) -> str:
        """A word of why for the mentor's latest correction."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            correction = await store.latest_by(session, mentor_id, now - WHY_WITHIN)
            if correction is None:
                return "There is no correction of yours in the last hour to explain."
            correction.reason = reason[:500]
            # the words stay with the correction (erased with the contact's texts); the trail, which
            # is never rewritten, only says that they were given
            await append_event(session, correction.contact_id, "triage_correction_reason", f"mentor:{mentor_id}",
                               now, length=len(correction.reason))
            return f"Thanks: kept with your correction of #{correction.contact_id}."


def scrub(text: str, names: Iterable[str] = ()) -> str:
    """A labelled example without phone numbers, e-mail addresses, aliases or known names."""
    text = _EMAIL.sub("[email]", _PHONE.sub("[number]", text))
    text = _ALIAS.sub("[alias]", text)
    for name in sorted({n for full in names for n in full.split() if len(n) > 2}, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", "[name]", text, flags=re.IGNORECASE)
    return text
