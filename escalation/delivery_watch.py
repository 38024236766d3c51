"""Watching what the outbox has not delivered: the mentor must be reached, and the coordinators
must know when messages are stuck.

The outbox retries every message for a day; that keeps a reply from being lost, but not from
arriving too late. So, every few seconds:

- a mentor's alert card that failed (a blocked bot, a wrong number) or has waited unsent past
  the fallback mark goes out again on the mentor's other channel, and the contact's timeline
  says so; the chain's deadlines run on regardless, and when nobody alerted at a step can be
  reached on any channel at all, the chain moves on at once;
- when every call that was to wake someone at an alert's step failed or went unanswered, the
  chain moves on at once too;
- when messages have waited unsent past the late mark, the coordinators are told once per
  incident, on a channel that is not the failing one when they have one.

Channel-free like the rest of ``escalation``: it speaks through the notifier and ``storage``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Awaitable, Callable

import structlog
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from escalation import chain
from escalation.cards import build_card
from escalation.notify import Notifier
from storage import alerts, incidents, outbox
from storage import mentors as mentor_store
from storage.db import SessionFactory
from storage.events import append_event
from storage.mentors import MentorView
from storage.models import Alert, Contact, Person

log = structlog.get_logger(__name__)


def late_lines(groups: list[outbox.LateGroup], now: datetime) -> list[str]:
    """"3 messages not delivered for 12 min: telegram flood control", one line per channel."""
    lines = []
    for group in groups:
        minutes = max(0, int((now - group.oldest).total_seconds() // 60))
        noun = "message" if group.count == 1 else "messages"
        lines.append(f"{group.count} {noun} not delivered for {minutes} min: {', '.join(group.reasons[:3])}")
    return lines


def coordinator_channel(coordinator: MentorView, available: frozenset[str], failing: set[str]) -> str | None:
    """The coordinator's preferred channel that is not failing, else whichever reaches them."""
    usable = chain.other_channels(coordinator, available, frozenset())
    return next((c for c in usable if c not in failing), usable[0] if usable else None)


Climb = Callable[[int, int], Awaitable[bool]]  # (alert id, step): run the next step now


class DeliveryWatch:
    def __init__(self, sessions: SessionFactory, notifier: Notifier, clock: Callable[[], datetime], *,
                 late_after: timedelta, fallback_after: timedelta, climb: Climb | None = None) -> None:
        self._sessions = sessions
        self._notifier = notifier
        self._clock = clock
        self._late_after = late_after
        self._fallback_after = fallback_after
        self._climb = climb

    async def check(self) -> int:
        """One look: fall back for unreached mentors, tell the coordinators of a new incident.
        Returns how many things it queued (so the caller wakes the outbox)."""
        return await self.fall_back() + await self.calls_failed() + await self.report_late()

    async def calls_failed(self) -> int:
        """Every call of an alert's step failed (the number is wrong, the phone off) or went
        unanswered: the chain moves on now, as it does when nobody can be reached at all."""
        async with self._sessions() as session:
            stuck = await alerts.calls_all_failed(session)
        climbed = 0
        for alert_id, step in stuck if self._climb is not None else []:
            if step < chain.LAST_STEP and await self._climb(alert_id, step):
                log.warning("no call of this step got through; the chain moves on", alert_id=alert_id, step=step)
                climbed += 1
        return climbed

    async def fall_back(self) -> int:
        now = self._clock()
        async with self._sessions() as session:
            stuck = await alerts.unreached(session, now - self._fallback_after)
        queued, hopeless = 0, []
        for unreached in stuck:
            async with self._sessions() as session, session.begin():
                outcome = await self._fall_back_one(session, unreached, now)
            queued += outcome == "queued"
            if outcome == "no channel left" and unreached.failed:
                hopeless.append(unreached)
        return queued + await self._climb_past(hopeless)

    async def _fall_back_one(self, session: AsyncSession, unreached: alerts.Unreached, now: datetime) -> str:
        alert = await session.get(Alert, unreached.alert_id, with_for_update=True)
        mentor = (await mentor_store.mentors_by_id(session, [unreached.mentor_id])).get(unreached.mentor_id)
        contact = await session.get(Contact, alert.contact_id) if alert is not None else None
        person = await session.get(Person, contact.person_id) if contact is not None else None
        if alert is None or alert.state != "open" or mentor is None or contact is None or person is None:
            return "gone"
        others = chain.other_channels(mentor, self._notifier.channels, unreached.tried)
        if not others:
            return "no channel left"
        card = await build_card(session, alert, contact, person, unreached.step,
                                await alerts.next_due(session, alert.id), unreached.quiet)
        try:
            async with session.begin_nested():
                outbox_id = await self._notifier.alert(session, mentor, card, others[0])
        except IntegrityError:
            return "queued elsewhere"  # another process queued the same card a moment ago
        if outbox_id is None:
            return "queued elsewhere"
        await alerts.record_delivery(session, alert.id, mentor.id, unreached.step, others[0], outbox_id, now)
        await append_event(session, contact.id, "alert_fallback", "routing", now, alert_id=alert.id,
                           mentor_id=mentor.id, channel=others[0], tried=sorted(unreached.tried),
                           reason=unreached.reason)
        log.warning("alert sent on the mentor's other channel", alert_id=alert.id, mentor_id=mentor.id,
                    channel=others[0], reason=unreached.reason)
        return "queued"

    async def _climb_past(self, hopeless: list[alerts.Unreached]) -> int:
        """When every mentor alerted at an alert's current step failed for good on every channel
        they have, the chain moves on now: waiting for the deadline would be waiting for nobody.
        (Cards that are merely late do not hurry the chain: an outage is the incident's business.)"""
        climbed = 0
        for alert_id in sorted({u.alert_id for u in hopeless}) if self._climb is not None else []:
            async with self._sessions() as session:
                alert = await session.get(Alert, alert_id)
                step = alert.step if alert is not None else -1
                told = {d.mentor_id for d in await alerts.deliveries(session, alert_id) if d.step == step}
            gone = {u.mentor_id for u in hopeless if u.alert_id == alert_id}
            if told and told <= gone and await self._climb(alert_id, step):
                log.warning("nobody at this step can be reached; the chain moves on", alert_id=alert_id, step=step)
                climbed += 1
        return climbed

    async def report_late(self) -> int:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            groups = await outbox.late(session, now - self._late_after)
            current = await incidents.open_incident(session)
            if not groups:
                if current is not None:
                    await incidents.end_incident(session, current, now)
                    log.info("outbound delivery caught up", incident_id=current.id)
                return 0
            if current is not None:
                return 0  # told already, for this incident
            summary = "; ".join(late_lines(groups, now))
            incident = await incidents.begin_incident(session, now, summary)
            if incident is None:
                return 0
            return await self._tell_coordinators(session, incident.id, summary, {g.channel for g in groups})

    async def _tell_coordinators(self, session: AsyncSession, incident_id: int, summary: str,
                                 failing: set[str]) -> int:
        text = (f"⚠️ Helpline: {summary}. Retried until delivered; the dashboard's live queue shows "
                "what is still waiting.")
        told = 0
        for coordinator in await mentor_store.coordinators(session):
            channel = coordinator_channel(coordinator, self._notifier.channels, failing)
            if channel is None:
                continue
            if await self._notifier.message(session, coordinator, text, channel,
                                            dedupe=f"outbox_late:{incident_id}:{coordinator.id}:{channel}"):
                told += 1
        log.error("outbound messages undelivered past the late mark", incident_id=incident_id,
                  channels=sorted(failing), coordinators_told=told)
        return told
