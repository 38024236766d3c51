"""Routing: alert the right mentor, chase with deadlines, and never go silent.

Triage sets how loud and how fast, never whether a human looks: every new contact alerts the
mentor on call at any hour. A low contact at night is alerted quietly and waits for the
morning only once the person has said it can wait; otherwise the card comes again with sound
and the chain climbs. Accepted is not answered: a person's message the assigned mentor leaves
unanswered opens a reply alert, which reminds that mentor and then climbs the chain too. A
mentor's reply ends it.

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
from escalation.cards import build_card
from escalation.notify import Notifier, tell
from escalation.to_person import send_to_person
from escalation.replies import more_told
from escalation.safety_words import Ask
from escalation.triage.model import Level
from storage import alerts, receipts
from storage import mentors as mentor_store
from storage import rota as rota_store
from storage.db import SessionFactory
from storage.events import append_event
from storage.mentors import MentorView
from storage.models import Alert, Contact, Person

log = structlog.get_logger(__name__)

SAFETY_ANSWERS = {Ask.NOW: "now", Ask.WAIT: "can_wait"}
Receipt = tuple[str, str] | None  # (channel, provider id) of the mentor's message or tap


@dataclass(frozen=True)
class RouteOutcome:
    """What the person should be told: whether nobody is on call (and until when), and whether
    the alert went out quietly at night (so the welcome says until when it can wait)."""

    alert_id: int | None
    gap: bool = False
    answer_from: datetime | None = None
    wait_until: datetime | None = None


@dataclass(frozen=True)
class Decision:
    outcome: str  # accepted | yours | reply_due | taken | closed | passed | duplicate | unknown
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
                    now: datetime, message_id: int | None = None) -> RouteOutcome:
        """A new contact, a rise in urgency or a plea for help: open an alert (in the caller's
        transaction), unless one as urgent is already chasing."""
        current = await alerts.open_alert(session, contact.id, lock=True)
        if current is not None:
            if current.kind == "contact" and Level.parse(current.level) >= level:
                return RouteOutcome(current.id)
            current.state = "superseded"
            await alerts.cancel_deadlines(session, current.id)
            await self._event(session, contact.id, "alert_superseded", now, alert_id=current.id)
        alert = await alerts.create_alert(session, contact.id, level.label, now, message_id=message_id)
        await self._event(session, contact.id, "alert_opened", now, alert_id=alert.id, level=level.label)
        quiet = self._night_low(level, now) and contact.safety_answer is None
        outcome = await self._run_step(session, alert, contact, person, 0, now, quiet=quiet)
        if quiet:
            return RouteOutcome(outcome.alert_id, outcome.gap, outcome.answer_from,
                                wait_until=self._policy.next_awake(now, self._zone))
        return outcome

    async def follow_up(self, session: AsyncSession, contact: Contact, person: Person, message_id: int,
                        now: datetime) -> RouteOutcome:
        """A later message that changes nothing about urgency. While an alert chases, that is
        enough; in a contact a mentor holds, the mentor must answer it (a reply alert); and a
        contact that somehow has neither is routed again, so that no message sits unseen."""
        if await alerts.open_alert(session, contact.id) is not None:
            return RouteOutcome(None)
        level = Level.parse(contact.urgency or "low")
        if contact.assigned_mentor_id is None:
            return await self.route(session, contact, person, level, now, message_id)
        alert = await alerts.create_alert(session, contact.id, level.label, now, kind="reply", message_id=message_id)
        due = now + self._policy.wait_after(level, 0, now, self._zone)
        await alerts.schedule(session, alert.id, 0, due)
        await self._event(session, contact.id, "reply_awaited", now, alert_id=alert.id,
                          mentor_id=contact.assigned_mentor_id, remind_at=due.isoformat())
        return RouteOutcome(alert.id)

    async def safety_answer(self, session: AsyncSession, contact: Contact, ask: Ask, now: datetime) -> datetime | None:
        """Record the person's answer to "are you safe right now?". "It can wait" lets a low
        contact at night wait for the morning (returned); it never slows anything more urgent."""
        contact.safety_answer, contact.safety_answer_at = SAFETY_ANSWERS[ask], now
        await append_event(session, contact.id, "safety_answered", "person", now, answer=SAFETY_ANSWERS[ask])
        if ask is not Ask.WAIT:
            return None
        current = await alerts.open_alert(session, contact.id, lock=True)
        if current is not None and self._night_low(Level.parse(current.level), now):
            await self._wait_for_morning(session, current, contact, now)
            return self._policy.next_awake(now, self._zone)
        gap, answer_from = await self._cover(session, now)
        return answer_from if gap else None

    async def answered(self, session: AsyncSession, contact: Contact, mentor: MentorView, now: datetime) -> None:
        """The mentor holding the contact wrote to the person: whatever was chasing stops."""
        person = await session.get(Person, contact.person_id)
        for alert in await alerts.end_open(session, contact.id, "answered"):
            alert.accepted_by, alert.accepted_at = alert.accepted_by or mentor.id, now
            await self._event(session, contact.id, "alert_answered", now, alert_id=alert.id, mentor_id=mentor.id)
            if person is not None:
                await self._tell_others(session, alert, contact, person, mentor, "answered")

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
                contact = await session.get(Contact, alert.contact_id) if alert is not None else None
                person = await session.get(Person, contact.person_id) if contact is not None else None
                if alert is not None and alert.state == "open" and contact is not None and person is not None \
                        and contact.status == "open":
                    if self._night_low(Level.parse(alert.level), now) and contact.safety_answer == "can_wait":
                        await self._wait_for_morning(session, alert, contact, now)
                    else:
                        await self._run_step(session, alert, contact, person, due[0].step, now, deadline=True)
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
            if alert.state in ("accepted", "answered"):
                if alert.accepted_by == mentor_id:
                    return Decision("yours", mentor.name, alias)
                taker = (await mentor_store.mentors_by_id(session, [alert.accepted_by or 0])).get(alert.accepted_by or 0)
                return Decision("taken", taker.first_name if taker else None, alias)
            if contact.status != "open":
                return Decision("closed", alias=alias)
            previous = contact.assigned_mentor_id
            if alert.kind == "reply" and previous == mentor_id:
                return Decision("reply_due", mentor.name, alias)  # accepted is not answered: the reminder stays
            alert.state, alert.accepted_by, alert.accepted_at = "accepted", mentor_id, now
            await alerts.assign(session, contact_id, mentor_id)
            await alerts.cancel_deadlines(session, alert.id)
            await self._event(session, contact_id, "alert_accepted", now, alert_id=alert.id,
                              mentor_id=mentor_id, seconds=int((now - alert.opened_at).total_seconds()))
            if person is not None:
                await self._tell_others(session, alert, contact, person, mentor, "taken")
                await self._tell_previous(session, contact, person, previous, mentor)
            return Decision("accepted", mentor.name, alias)

    async def pass_(self, contact_id: int, mentor_id: int, receipt: Receipt = None) -> Decision:
        """The mentor cannot take it: the next step runs now, not at the deadline."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if receipt is not None and not await receipts.claim(session, *receipt, now):
                return Decision("duplicate")
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

    async def unreachable(self, alert_id: int, step: int, reason: str = "undeliverable") -> bool:
        """Nobody alerted at ``step`` can be reached: every card failed for good on every channel
        they have (a blocked bot and no phone), or every call of the step went unanswered. The
        next step runs now, not at the deadline. Once only: an alert that has moved on is past
        ``step``."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            alert = await session.get(Alert, alert_id, with_for_update=True)
            if alert is None or alert.state != "open" or alert.step != step or step >= chain.LAST_STEP:
                return False
            contact = await session.get(Contact, alert.contact_id)
            person = await session.get(Person, contact.person_id) if contact is not None else None
            if contact is None or person is None or contact.status != "open":
                return False
            await alerts.cancel_deadlines(session, alert.id)
            await self._event(session, contact.id, "alert_unreachable", now, alert_id=alert.id, step=step,
                              reason=reason)
            await self._run_step(session, alert, contact, person, step + 1, now)
            return True

    # --- the chain ------------------------------------------------------------------------

    async def _run_step(self, session: AsyncSession, alert: Alert, contact: Contact, person: Person,
                        step: int, now: datetime, skip: frozenset[int] | set[int] = frozenset(),
                        quiet: bool = False, deadline: bool = False) -> RouteOutcome:
        level = Level.parse(alert.level)
        rules, overrides = await rota_store.load(session, now, now + timedelta(minutes=1))
        on_call = rota.on_call(rules, overrides, self._zone, now)
        gap = not on_call.everyone and step == 0 and alert.kind == "contact"
        if gap:
            step = 2  # nobody on call: the coordinators, now
        chosen = [m for m in await self._targets(session, alert, contact, person, step, on_call, now) if m not in skip]
        if not chosen and step < chain.LAST_STEP:
            await self._event(session, contact.id, "chain_step_empty", now, alert_id=alert.id, step=step)
            return await self._run_step(session, alert, contact, person, step + 1, now, skip, quiet, deadline)
        due = now + (self._policy.safety_answer if quiet else self._policy.wait_after(level, step, now, self._zone))
        # a repeat of the last step is louder: SMS as well as the card and the call
        loudness = step + 1 if step == chain.LAST_STEP and alert.step == chain.LAST_STEP else step
        wake = not quiet and chain.wakes(step, level, self._policy.awake(now, self._zone), deadline)
        reached = await self._alert(session, alert, contact, person, step, chosen, due, now, loudness, quiet, wake)
        if not reached and step < chain.LAST_STEP:
            return await self._run_step(session, alert, contact, person, step + 1, now, skip, quiet, deadline)
        if not reached:
            log.critical("chain reached nobody; repeating", alert_id=alert.id, contact_id=contact.id)
        first_climb = alert.kind == "reply" and step >= 1 and alert.step == 0
        alert.step = step
        # a quiet card is sent again with sound, unless the person says it can wait
        await alerts.schedule(session, alert.id, step if quiet else min(step + 1, chain.LAST_STEP), due)
        await self._event(session, contact.id, "chain_step", now, alert_id=alert.id, step=step,
                          mentors=[m for m, _ in reached], channels=[c for _, c in reached],
                          next_due=due.isoformat(), **({"quiet": True} if quiet else {}))
        if first_climb:
            await self._tell_person_more_told(session, contact, person, alert, now)
        if not gap:
            return RouteOutcome(alert.id)
        answer_from = rota.next_cover_start(rules, await self._overrides_ahead(session, now), self._zone, now)
        await self._event(session, contact.id, "rota_gap", now, alert_id=alert.id,
                          answer_from=answer_from.isoformat() if answer_from else None)
        return RouteOutcome(alert.id, gap=True, answer_from=answer_from)

    async def _targets(self, session: AsyncSession, alert: Alert, contact: Contact, person: Person, step: int,
                       on_call: rota.OnCall, now: datetime) -> list[int]:
        """Who to alert at this step. A reply alert reminds the mentor holding the contact
        first; after that the chain goes to the others."""
        holder = contact.assigned_mentor_id
        if alert.kind == "reply" and step == 0:
            return [holder] if holder is not None else []
        coordinators = await mentor_store.coordinators(session)
        known = await mentor_store.mentors_by_id(session, list(on_call.everyone))
        preferred = self._preferred(contact, person, on_call, known) if alert.kind == "contact" else []
        chosen = chain.targets(step, Level.parse(alert.level), on_call, coordinators, known, preferred)
        if alert.kind == "reply" and step < chain.LAST_STEP:
            chosen = [m for m in chosen if m != holder]
        if step < 2:
            chosen = await self._rested(session, chosen, on_call, known, now)
        return chosen

    async def _alert(self, session: AsyncSession, alert: Alert, contact: Contact, person: Person, step: int,
                     chosen: list[int], due: datetime, now: datetime, loudness: int,
                     quiet: bool = False, wake: bool = False) -> list[tuple[int, str]]:
        mentors = await mentor_store.mentors_by_id(session, chosen)
        card = await build_card(session, alert, contact, person, step, due, quiet)
        local = now.astimezone(self._zone).time()
        reached = []
        for mentor_id in chosen:
            mentor = mentors.get(mentor_id)
            if mentor is None:
                continue
            call = wake and chain.may_call(mentor, loudness, local)
            for channel in chain.channels(loudness, mentor, self._notifier.channels, call):
                outbox_id = await self._notifier.alert(session, mentor, card, channel)
                if outbox_id is not None:
                    await alerts.record_delivery(session, alert.id, mentor.id, step, channel, outbox_id, now)
                    reached.append((mentor.id, channel))
        return reached

    async def _wait_for_morning(self, session: AsyncSession, alert: Alert, contact: Contact, now: datetime) -> None:
        """The person said it can wait: the card comes again, with sound, in the morning."""
        due = self._policy.next_awake(now, self._zone)
        await alerts.cancel_deadlines(session, alert.id)
        await alerts.schedule(session, alert.id, 0, due)
        await self._event(session, contact.id, "alert_waits_for_day", now, alert_id=alert.id, until=due.isoformat())

    async def _tell_person_more_told(self, session: AsyncSession, contact: Contact, person: Person,
                                     alert: Alert, now: datetime) -> None:
        try:
            await send_to_person(session, contact, person, more_told(person.language).text, "system",
                                 "more_told_queued", "routing", now)
        except LookupError:
            log.warning("no channel to tell the person more were alerted", contact_id=contact.id)

    async def _tell_others(self, session: AsyncSession, alert: Alert, contact: Contact, person: Person,
                           taker: MentorView, how: str) -> None:
        card = await build_card(session, alert, contact, person, alert.step, None)
        deliveries = await alerts.deliveries(session, alert.id)
        others = await mentor_store.mentors_by_id(session, [d.mentor_id for d in deliveries if d.mentor_id != taker.id])
        for delivery in deliveries:
            if delivery.mentor_id in others:
                await self._notifier.taken(session, others[delivery.mentor_id], delivery.outbox_id,
                                           delivery.channel, card, taker, how)

    async def _tell_previous(self, session: AsyncSession, contact: Contact, person: Person,
                             previous: int | None, taker: MentorView) -> None:
        """The mentor who held the contact hears that someone else has it now."""
        if previous is None or previous == taker.id:
            return
        holder = (await mentor_store.mentors_by_id(session, [previous])).get(previous)
        if holder is not None:
            await tell(self._notifier, session, holder, f"{taker.first_name} has taken over {person.alias} "
                       f"#{contact.id}.", f"taken_over:{contact.id}:{taker.id}:{int(self._clock().timestamp())}",
                       contact_id=contact.id)

    def _night_low(self, level: Level, now: datetime) -> bool:
        return level == Level.LOW and not self._policy.awake(now, self._zone)

    async def _cover(self, session: AsyncSession, now: datetime) -> tuple[bool, datetime | None]:
        """Whether nobody is on call now, and if so when cover starts."""
        rules, overrides = await rota_store.load(session, now, now + timedelta(minutes=1))
        if rota.on_call(rules, overrides, self._zone, now).everyone:
            return False, None
        return True, rota.next_cover_start(rules, await self._overrides_ahead(session, now), self._zone, now)

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
