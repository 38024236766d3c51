"""Routing: alert the right mentor, chase with deadlines, and never go silent.

Every step is an event on the contact. Deadlines live in the database (``deadlines``), so a
restart loses none and a deadline that fell due while the process was down fires at start-up;
the scheduler only calls ``fire_due`` now and then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from escalation import chain, rota
from escalation.notify import AlertCard, Notifier
from escalation.triage.model import Level
from storage import alerts, contacts
from storage import mentors as mentor_store
from storage import relay as relay_store
from storage import rota as rota_store
from storage.db import SessionFactory
from storage.events import append_event
from storage.mentors import MentorView
from storage.models import Alert, Contact, Person

log = structlog.get_logger(__name__)

PREVIEW_WORDS = 12


@dataclass(frozen=True)
class RouteOutcome:
    """What the person should be told: nothing, or that nobody is on call until ``answer_from``."""

    alert_id: int | None
    gap: bool = False
    answer_from: datetime | None = None


@dataclass(frozen=True)
class Decision:
    outcome: str  # accepted | yours | taken | closed | passed | unknown
    by: str | None = None
    alias: str | None = None


class Router:
    def __init__(self, sessions: SessionFactory, notifier: Notifier, policy: chain.ChainPolicy,
                 zone: ZoneInfo, clock: Callable[[], datetime], contact_cap_hours: float = 4.0) -> None:
        self._sessions = sessions
        self._notifier = notifier
        self._policy = policy
        self._zone = zone
        self._clock = clock
        self._contact_cap = contact_cap_hours

    @property
    def notifier(self) -> Notifier:
        return self._notifier

    # --- entry points -------------------------------------------------------------------

    async def route(self, session: AsyncSession, contact: Contact, person: Person, level: Level,
                    now: datetime) -> RouteOutcome:
        """A new contact, or one whose urgency rose: open an alert (in the caller's transaction)."""
        current = await alerts.open_alert(session, contact.id, lock=True)
        if current is not None:
            if Level.parse(current.level) >= level:
                return RouteOutcome(current.id)
            current.state = "superseded"
            await alerts.cancel_deadlines(session, current.id)
            await self._event(session, contact.id, "alert_superseded", now, alert_id=current.id)
        alert = await alerts.create_alert(session, contact.id, level.label, now)
        await self._event(session, contact.id, "alert_opened", now, alert_id=alert.id, level=level.label)
        if level == Level.LOW and not self._policy.awake(now, self._zone):
            due = self._policy.next_awake(now, self._zone)
            await alerts.schedule(session, alert.id, 0, due)
            await self._event(session, contact.id, "alert_waits_for_day", now, alert_id=alert.id, until=due.isoformat())
            return RouteOutcome(alert.id)
        return await self._run_step(session, alert, contact, person, 0, now)

    async def fire_due(self) -> int:
        """Run every chain step whose deadline has passed; one transaction per deadline."""
        fired = 0
        while True:
            now = self._clock()
            async with self._sessions() as session, session.begin():
                due = await alerts.claim_due(session, now, limit=1)
                if not due:
                    return fired
                alert = await session.get(Alert, due[0].alert_id, with_for_update=True)
                if alert is not None and alert.state == "open":
                    contact = await session.get(Contact, alert.contact_id)
                    person = await session.get(Person, contact.person_id) if contact else None
                    if contact is not None and person is not None:
                        await self._run_step(session, alert, contact, person, due[0].step, now)
            fired += 1

    async def accept(self, contact_id: int, mentor_id: int) -> Decision:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            alert = await alerts.latest_alert(session, contact_id, lock=True)
            mentor = (await mentor_store.mentors_by_id(session, [mentor_id])).get(mentor_id)
            contact = await session.get(Contact, contact_id)
            if alert is None or mentor is None or contact is None:
                return Decision("unknown")
            person = await session.get(Person, contact.person_id)
            alias = person.alias if person else None
            if alert.state == "accepted":
                if alert.accepted_by == mentor_id:
                    return Decision("yours", mentor.name, alias)
                taker = (await mentor_store.mentors_by_id(session, [alert.accepted_by or 0])).get(alert.accepted_by or 0)
                return Decision("taken", taker.first_name if taker else None, alias)
            if contact.status != "open":
                return Decision("closed", alias=alias)
            alert.state, alert.accepted_by, alert.accepted_at = "accepted", mentor_id, now
            await alerts.assign(session, contact_id, mentor_id)
            await alerts.cancel_deadlines(session, alert.id)
            await self._event(session, contact_id, "alert_accepted", now, alert_id=alert.id,
                              mentor_id=mentor_id, seconds=int((now - alert.opened_at).total_seconds()))
            await self._tell_others_taken(session, alert, contact, person, mentor, now)
            return Decision("accepted", mentor.name, alias)

    async def pass_(self, contact_id: int, mentor_id: int) -> Decision:
        """The mentor cannot take it: the next step runs now, not at the deadline."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            alert = await alerts.open_alert(session, contact_id, lock=True)
            contact = await session.get(Contact, contact_id)
            if alert is None or contact is None:
                return Decision("unknown")
            person = await session.get(Person, contact.person_id)
            await alerts.cancel_deadlines(session, alert.id)
            await self._event(session, contact_id, "alert_passed", now, alert_id=alert.id, mentor_id=mentor_id)
            if person is not None:
                await self._run_step(session, alert, contact, person, min(alert.step + 1, chain.LAST_STEP), now,
                                     skip={mentor_id})
            return Decision("passed", alias=person.alias if person else None)

    # --- the chain ------------------------------------------------------------------------

    async def _run_step(self, session: AsyncSession, alert: Alert, contact: Contact, person: Person,
                        step: int, now: datetime, skip: frozenset[int] | set[int] = frozenset()) -> RouteOutcome:
        level = Level.parse(alert.level)
        rules, overrides = await rota_store.load(session, now, now + timedelta(minutes=1))
        on_call = rota.on_call(rules, overrides, self._zone, now)
        gap = not on_call.everyone and step == 0
        if gap:
            step = 2  # nobody on call: the coordinators, now
        coordinators = await mentor_store.coordinators(session)
        known = await mentor_store.mentors_by_id(session, list(on_call.everyone))
        preferred = self._preferred(contact, person, on_call, known)
        chosen = [m for m in chain.targets(step, level, on_call, coordinators, known, preferred) if m not in skip]
        if step < 2:
            chosen = await self._rested(session, chosen, on_call, known, now)
        if not chosen and step < chain.LAST_STEP:
            await self._event(session, contact.id, "chain_step_empty", now, alert_id=alert.id, step=step)
            return await self._run_step(session, alert, contact, person, step + 1, now, skip)
        due = now + self._policy.wait_after(level, step)
        # a repeat of the last step is louder: SMS and, when there is a voice backend, a call
        loudness = step + 1 if step == chain.LAST_STEP and alert.step == chain.LAST_STEP else step
        reached = await self._alert(session, alert, contact, person, step, chosen, due, now, loudness)
        if not reached and step < chain.LAST_STEP:
            return await self._run_step(session, alert, contact, person, step + 1, now, skip)
        if not reached:
            log.critical("chain reached nobody; repeating", alert_id=alert.id, contact_id=contact.id)
        alert.step = step
        await alerts.schedule(session, alert.id, min(step + 1, chain.LAST_STEP), due)
        await self._event(session, contact.id, "chain_step", now, alert_id=alert.id, step=step,
                          mentors=[m for m, _ in reached], channels=[c for _, c in reached],
                          next_due=due.isoformat())
        if not gap:
            return RouteOutcome(alert.id)
        answer_from = rota.next_cover_start(rules, await self._overrides_ahead(session, now), self._zone, now)
        await self._event(session, contact.id, "rota_gap", now, alert_id=alert.id,
                          answer_from=answer_from.isoformat() if answer_from else None)
        return RouteOutcome(alert.id, gap=True, answer_from=answer_from)

    async def _alert(self, session: AsyncSession, alert: Alert, contact: Contact, person: Person, step: int,
                     chosen: list[int], due: datetime, now: datetime, loudness: int) -> list[tuple[int, str]]:
        mentors = await mentor_store.mentors_by_id(session, chosen)
        card = await self._card(session, alert, contact, person, step, due)
        reached = []
        for mentor_id in chosen:
            mentor = mentors.get(mentor_id)
            if mentor is None:
                continue
            for channel in chain.channels(loudness, mentor, self._notifier.channels):
                outbox_id = await self._notifier.alert(session, mentor, card, channel)
                if outbox_id is not None:
                    await alerts.record_delivery(session, alert.id, mentor.id, step, channel, outbox_id, now)
                    reached.append((mentor.id, channel))
        return reached

    async def _tell_others_taken(self, session: AsyncSession, alert: Alert, contact: Contact,
                                 person: Person | None, taker: MentorView, now: datetime) -> None:
        if person is None:
            return
        card = await self._card(session, alert, contact, person, alert.step, None)
        deliveries = await alerts.deliveries(session, alert.id)
        others = await mentor_store.mentors_by_id(session, [d.mentor_id for d in deliveries if d.mentor_id != taker.id])
        for delivery in deliveries:
            if delivery.mentor_id in others:
                await self._notifier.taken(session, others[delivery.mentor_id], delivery.outbox_id,
                                           delivery.channel, card, taker)

    async def _card(self, session: AsyncSession, alert: Alert, contact: Contact, person: Person,
                    step: int, due: datetime | None) -> AlertCard:
        latest = await contacts.latest_inbound(session, contact.id)
        triage = (latest.triage if latest else None) or {}
        phrases = tuple(dict.fromkeys(m["phrase"] for m in triage.get("matched", []) if not m.get("lowered_by")))[:3]
        words = (latest.body if latest else "").split()
        preview = " ".join(words[:PREVIEW_WORDS]) + (" …" if len(words) > PREVIEW_WORDS else "")
        earlier = await contacts.count_contacts(session, person.id) - 1
        sessions_before = tuple(await relay_store.earlier_sessions(session, person.id, contact.id))
        return AlertCard(alert.id, contact.id, person.alias, alert.level, tuple(contact_categories(triage)),
                         phrases, preview, contact.channel, person.language, earlier, sessions_before[:3],
                         bool(person.iom_cohort), due, step)

    def _preferred(self, contact: Contact, person: Person, on_call: rota.OnCall,
                   known: dict[int, MentorView]) -> list[int]:
        """The contact's own mentor, else the person's named mentor, if on call and speaking
        their language; else the on-call primaries who speak it."""
        for mentor_id in (contact.assigned_mentor_id, person.named_mentor_id):
            mentor = known.get(mentor_id or 0)
            if mentor is not None and person.language in mentor.languages:
                return [mentor.id]
        return [m for m in on_call.primary if person.language in known.get(m, _NOBODY).languages]

    async def _rested(self, session: AsyncSession, chosen: list[int], on_call: rota.OnCall,
                      known: dict[int, MentorView], now: datetime) -> list[int]:
        """Pass over mentors past the contact-time cap while another on-call mentor can be asked;
        if nobody else can, the tired mentor is still asked rather than nobody."""
        candidates = list(dict.fromkeys(chosen + [m for m in on_call.everyone if known.get(m, _NOBODY).active]))
        spent = await alerts.contact_hours(session, candidates, now - timedelta(hours=24), now)
        tired = {m for m, hours in spent.items() if hours >= self._contact_cap}
        if not tired & set(chosen):
            return chosen
        rested = [m for m in chosen if m not in tired]
        return rested or [m for m in candidates if m not in tired][:1] or chosen

    async def _overrides_ahead(self, session: AsyncSession, now: datetime) -> list[rota.Override]:
        _, overrides = await rota_store.load(session, now, now + timedelta(days=14))
        return overrides

    async def _event(self, session: AsyncSession, contact_id: int, kind: str, now: datetime, **data: object) -> None:
        await append_event(session, contact_id, kind, "routing", now, **data)


_NOBODY = MentorView(0, "", "", (), False, "", "", False, False)


def contact_categories(triage: dict[str, object]) -> list[str]:
    found = triage.get("categories", [])
    return [str(c) for c in found] if isinstance(found, list) else []
