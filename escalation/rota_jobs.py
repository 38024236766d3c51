"""The rota's periodic work: a daily gap report, shift reminders, and a handover at shift start.

Each message has a dedupe key in the outbox (per day, per shift occurrence), so running the
jobs in several processes, or twice after a restart, sends each message once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select

from escalation import rota
from escalation.cards import most_urgent_line
from escalation.notify import Notifier, tell
from storage import mentors as mentor_store
from storage import rota as rota_store
from storage.db import SessionFactory
from storage.mentors import MentorView
from storage.models import Contact, Person

GAP_DAYS = 14
REMINDER_LEAD = timedelta(minutes=30)
HANDOVER_WINDOW = timedelta(minutes=10)  # a shift that started this recently gets its handover


class RotaJobs:
    def __init__(self, sessions: SessionFactory, notifier: Notifier, zone: ZoneInfo,
                 clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._notifier = notifier
        self._zone = zone
        self._clock = clock

    async def report_gaps(self) -> int:
        """Tell every coordinator of the periods without a primary in the next 14 days."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            rules, overrides = await rota_store.load(session, now, now + timedelta(days=GAP_DAYS))
            holes = rota.gaps(rules, overrides, self._zone, now, now + timedelta(days=GAP_DAYS))
            if not holes:
                return 0
            lines = [f"{self._local(a)} to {self._local(b)}" for a, b in holes[:20]]
            more = f"\n…and {len(holes) - 20} more" if len(holes) > 20 else ""
            text = (f"Rota gaps without a primary in the next {GAP_DAYS} days ({len(holes)}):\n"
                    + "\n".join(lines) + more + "\nSee: helpline rota gaps")
            day = now.astimezone(self._zone).date().isoformat()
            for coordinator in await mentor_store.coordinators(session):
                await self._tell(session, coordinator, text, f"gaps:{day}:{coordinator.id}")
        return len(holes)

    async def remind_and_hand_over(self) -> int:
        """Remind mentors of shifts starting soon; hand over open contacts when one starts."""
        now = self._clock()
        sent = 0
        async with self._sessions() as session, session.begin():
            rules, overrides = await rota_store.load(session, now - HANDOVER_WINDOW, now + REMINDER_LEAD)
            starting = [c for c in rota.covers(rules, overrides, self._zone, now - HANDOVER_WINDOW, now + REMINDER_LEAD)
                        if now - HANDOVER_WINDOW < c.starts_at <= now + REMINDER_LEAD]
            mentors = await mentor_store.mentors_by_id(session, [c.mentor_id for c in starting])
            open_contacts = await self._open_contacts(session) if any(c.starts_at <= now for c in starting) else ""
            for cover in starting:
                mentor = mentors.get(cover.mentor_id)
                if mentor is None or not mentor.active:
                    continue
                occurrence = f"{cover.mentor_id}:{cover.role}:{int(cover.starts_at.timestamp())}"
                if cover.starts_at > now:
                    text = f"Reminder: your {cover.role} shift starts at {self._local(cover.starts_at)}."
                    sent += await self._tell(session, mentor, text, f"reminder:{occurrence}")
                else:
                    text = f"Your {cover.role} shift has started. Handover:\n{open_contacts}"
                    sent += await self._tell(session, mentor, text, f"handover:{occurrence}")
                    if cover.role == "primary":
                        sent += await self._offer_orphans(session, mentor, rules, overrides, now, occurrence)
        return sent

    async def _offer_orphans(self, session, mentor: MentorView, rules, overrides,  # type: ignore[no-untyped-def]
                             now: datetime, occurrence: str) -> int:
        """Open contacts whose mentor has gone off duty are offered to the incoming primary."""
        on_call = set(rota.on_call(rules, overrides, self._zone, now).everyone)
        rows = await session.execute(
            select(Contact.id, Person.alias, Contact.urgency, Contact.assigned_mentor_id)
            .join(Person, Person.id == Contact.person_id)
            .where(Contact.status == "open", Contact.assigned_mentor_id.is_not(None))
        )
        offered = 0
        for contact_id, alias, urgency, holder in rows:
            if holder in on_call or holder == mentor.id:
                continue
            queued = await tell(self._notifier, session, mentor,
                                f"{alias} #{contact_id} ({urgency or 'low'}) is open and their mentor is off duty.",
                                f"orphan:{contact_id}:{occurrence}", buttons=[("Take over", f"h:{contact_id}")],
                                contact_id=contact_id)
            offered += int(queued)
        return offered

    async def _open_contacts(self, session) -> str:  # type: ignore[no-untyped-def]
        rows = await session.execute(
            select(Contact.id, Person.alias, Contact.urgency, Contact.assigned_mentor_id, Contact.last_activity_at,
                   Contact.note)
            .join(Person, Person.id == Contact.person_id).where(Contact.status == "open")
            .order_by(Contact.last_activity_at.desc()).limit(15)
        )
        lines = [f"- {alias} #{contact_id}: {urgency or 'low'}, {'assigned' if assigned else 'UNASSIGNED'}, "
                 f"last message {self._local(last)}" + (f"; note: {note}" if note else "")
                 + f"\n  {await most_urgent_line(session, contact_id)}"
                 for contact_id, alias, urgency, assigned, last, note in rows]
        return "\n".join(lines) or "no open contacts."

    async def _tell(self, session, mentor: MentorView, text: str, dedupe: str) -> int:  # type: ignore[no-untyped-def]
        return int(await tell(self._notifier, session, mentor, text, dedupe))

    def _local(self, moment: datetime) -> str:
        return moment.astimezone(self._zone).strftime("%a %d %b %H:%M")
