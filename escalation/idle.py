"""Contacts nobody has written in for a long time are closed as "no reply" (counted apart from
sessions). Never one whose alert is still unanswered: closing it would silence the chain."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import select

from escalation.notify import Notifier, tell
from storage import alerts
from storage import mentors as mentor_store
from storage.db import SessionFactory
from storage.events import append_event
from storage.models import Contact, Person


async def close_idle(sessions: SessionFactory, notifier: Notifier, clock: Callable[[], datetime],
                     idle_after: timedelta, limit: int = 100) -> int:
    now = clock()
    closed = 0
    async with sessions() as session, session.begin():
        stale = list(await session.scalars(
            select(Contact).where(Contact.status == "open", Contact.last_activity_at < now - idle_after)
            .order_by(Contact.id).limit(limit).with_for_update(skip_locked=True)
        ))
        for contact in stale:
            if await alerts.open_alert(session, contact.id) is not None:
                continue  # still being chased: a mentor has not answered yet
            contact.status, contact.closed_at, contact.close_reason = "closed", now, "no_reply"
            contact.outcome = "no reply"
            await append_event(session, contact.id, "contact_closed", "system", now, reason="no_reply")
            closed += 1
            if contact.assigned_mentor_id is not None:
                mentor = (await mentor_store.mentors_by_id(session, [contact.assigned_mentor_id])).get(contact.assigned_mentor_id)
                person = await session.get(Person, contact.person_id)
                if mentor is not None and person is not None:
                    await tell(notifier, session, mentor,
                               f"{person.alias} #{contact.id} was closed as no reply after {idle_after.total_seconds() / 3600:g} hours.",
                               f"idle:{contact.id}", contact_id=contact.id)
    return closed
