"""The life of a referral: proposed, drafted, approved, sent, delivered, acknowledged (or
declined, withdrawn), each step an event on the contact and an audit entry.

Two people see every non-emergency share before it leaves (the approver is never the one who
drafted it); an emergency notification goes to the safeguarding lead at once. Nothing is sent
without a lawful basis. Agencies are reached through the outbox, in the transaction that
decided to send, so a share is sent if and only if its decision was committed."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from escalation.notify import Notifier, tell
from escalation.referrals import dash, document, packing
from escalation.referrals.model import Actor, ReferralError, ReferralPolicy, reference
from escalation.referrals.rules import Proposal, proposals
from escalation.referrals.sharing import BasisError, LawfulBasis, needs_approval, share_label, sharing_data
from escalation.triage import Level
from storage import agencies, audit, outbox
from storage import mentors as mentor_store
from storage import referrals as store
from storage.agencies import AgencyView
from storage.db import SessionFactory
from storage.events import append_event
from storage.models import Contact, Person, Referral

log = structlog.get_logger(__name__)

ACK_REPLY = re.compile(r"^\s*ACK\s+([A-Za-z0-9]{6})\s*[.!]?\s*$", re.IGNORECASE)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
YEAR = timedelta(days=365)


@dataclass(frozen=True)
class Step:
    """Where a checklist stands: the next question to ask, or the assessment once complete."""

    referral_id: int
    key: str | None
    text: str | None
    choices: tuple[tuple[str, str], ...]
    position: int  # 1-based, of ``total``
    total: int
    assessment: dash.Assessment | None
    criteria: tuple[str, ...] = ()


class Referrals:
    def __init__(self, sessions: SessionFactory, notifier: Notifier, clock: Callable[[], datetime],
                 policy: ReferralPolicy) -> None:
        self._sessions = sessions
        self._notifier = notifier
        self._clock = clock
        self.policy = policy

    # --- proposals --------------------------------------------------------------------------

    async def consider(self, session: AsyncSession, contact: Contact, person: Person, level: Level,
                       categories: tuple[str, ...], now: datetime) -> list[Referral]:
        """Run the risk rules on a triaged message, in the intake's transaction: an emergency is
        told to the safeguarding lead now; other shares are proposed once per contact."""
        made = []
        for proposal in proposals(level, categories, iom_cohort=bool(person.iom_cohort)):
            referral = await self._propose(session, contact, person, proposal, "triage", now)
            if referral is not None:
                made.append(referral)
                if proposal.kind == "emergency":
                    await self._emergency(session, referral, contact, person, now)
        return made

    async def propose(self, contact_id: int, kind: str, actor: Actor) -> Referral:
        """A mentor's or coordinator's own choice to share."""
        if kind not in sharing_data()["shares"]:
            raise ReferralError(f"unknown kind of referral {kind!r}")
        now = self._clock()
        async with self._sessions() as session, session.begin():
            contact = await session.get(Contact, contact_id)
            if contact is None:
                raise ReferralError(f"no contact #{contact_id}")
            person = await session.get(Person, contact.person_id)
            assert person is not None
            existing = await store.open_of(session, contact_id, kind)
            if existing is not None:
                return existing
            referral = await store.create(session, contact_id=contact_id, person_id=person.id, kind=kind,
                                          reason="chosen", actor=actor.key, now=now)
            if referral is None:  # proposed by someone else a moment ago: that one
                found = await store.open_of(session, contact_id, kind)
                if found is None:
                    raise ReferralError("a referral of this kind is already open for this contact")
                return found
            await self._record(session, referral, "referral_proposed", actor.key, now, by=actor.name, reason="chosen")
            return referral

    async def _propose(self, session: AsyncSession, contact: Contact, person: Person, proposal: Proposal,
                       actor: str, now: datetime) -> Referral | None:
        if proposal.kind != "emergency" and any(r.kind == proposal.kind for r in await store.of_contact(session, contact.id)):
            return None  # proposed once per contact: a decision already taken is not asked again
        referral = await store.create(session, contact_id=contact.id, person_id=person.id, kind=proposal.kind,
                                      reason=proposal.reason, actor=actor, now=now)
        if referral is not None:
            await self._record(session, referral, "referral_proposed", actor, now, reason=proposal.reason)
        return referral

    async def _emergency(self, session: AsyncSession, referral: Referral, contact: Contact, person: Person,
                         now: datetime) -> None:
        data = sharing_data()["emergency_basis"]
        referral.basis = LawfulBasis("no_consent", "system: emergency rule", now, self.policy.agreement or "-",
                                     reason=data["reason"], condition=data["condition"]).check().as_dict()
        referral.criteria = ["risk_to_life"]
        store.set_details(referral, {"what_happened": data["what_happened"], "ask": data["ask"]})
        try:
            await self._send(session, referral, person, None, now, actor="system")
        except ReferralError as error:
            await self._record(session, referral, "referral_not_sent", "system", now, why=str(error))
            await self._tell_coordinators(
                session, f"⚠️ Safeguarding lead NOT told of the emergency {person.alias} #{contact.id}: {error}. "
                "Call them yourself now.", f"emergency-unsent:{referral.id}", contact.id)

    # --- the checklist ----------------------------------------------------------------------

    async def next_step(self, referral_id: int) -> Step:
        async with self._sessions() as session:
            referral = await self._get(session, referral_id)
            return await self._step(session, referral, self._clock())

    async def answer(self, referral_id: int, key: str, value: str, actor: Actor) -> Step:
        """Record one answer (the two questions before the checklist, or one of its 24)."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            referral = await self._get(session, referral_id, lock=True)
            if referral.state not in ("proposed", "drafted"):
                raise ReferralError(f"referral {reference(referral.id)} is {referral.state}: its checklist is closed")
            _check_answer(key, value)
            answers = store.dash_of(referral)
            answers[key] = value
            store.set_dash(referral, answers)
            step = await self._step(session, referral, now)
            if step.assessment is not None:
                referral.dash_yes = step.assessment.yes
                referral.criteria = list(step.criteria)
                if key in {q.key for q in dash.questions()} and len(_checklist(answers)) == len(dash.questions()):
                    await self._record(session, referral, "referral_checklist_completed", actor.key, now,
                                       yes=step.assessment.yes, band=step.assessment.band, criteria=list(step.criteria))
            return step

    async def _step(self, session: AsyncSession, referral: Referral, now: datetime) -> Step:
        answers = store.dash_of(referral)
        before = dash.before_questions()
        total = len(before) + len(dash.questions())
        for i, question in enumerate(before):
            if question.key not in answers:
                return Step(referral.id, question.key, question.text, tuple((c.key, c.label) for c in question.choices),
                            i + 1, total, None)
        assessment = dash.score(_checklist(answers))
        if assessment.next_key is not None:
            q = dash.question(assessment.next_key)
            choices = tuple((a.value, a.value.replace("_", " ")) for a in dash.Answer)
            return Step(referral.id, q.key, q.text, choices, len(before) + assessment.answered + 1, total, assessment)
        history = await self._history(session, referral, now)
        reason = store.details_of(referral).get("judgement_reason")
        return Step(referral.id, None, None, (), total, total, assessment,
                    dash.criteria(assessment, history, reason))

    async def _history(self, session: AsyncSession, referral: Referral, now: datetime) -> dash.History:
        return dash.History(
            await store.domestic_abuse_contacts_since(session, referral.person_id, now - YEAR),
            await store.shared_since(session, referral.person_id, "marac", now - YEAR, excluding=referral.id))

    # --- drafting, basis, approval ----------------------------------------------------------

    async def save(self, referral_id: int, actor: Actor, *, details: Mapping[str, str] | None = None,
                   basis: LawfulBasis | None = None, agency_id: int | None = None) -> Referral:
        """Keep what was written (details, lawful basis, agency) whatever else is missing, so
        that nothing typed is lost when the referral cannot be drafted yet."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            referral = await self._get(session, referral_id, lock=True)
            if referral.state not in ("proposed", "drafted"):
                raise ReferralError(f"referral {reference(referral.id)} is already {referral.state}")
            if details is not None:
                merged = store.details_of(referral) | {k: v.strip() for k, v in details.items() if v is not None}
                store.set_details(referral, merged)
            refused = None
            if basis is not None:
                try:
                    referral.basis = basis.check(now).as_dict()
                except BasisError as error:
                    refused = str(error)  # said after the rest is kept
            if agency_id is not None:
                await packing.choose_agency(session, referral, agency_id, self.policy)
            if details is not None or basis is not None or agency_id is not None:
                await self._record(session, referral, "referral_edited", actor.key, now, by=actor.name,
                                   fields=sorted(details or {}), basis=(referral.basis or {}).get("kind"))
        if refused is not None:
            raise ReferralError(refused)
        return referral

    async def draft(self, referral_id: int, actor: Actor, *, details: Mapping[str, str] | None = None,
                    basis: LawfulBasis | None = None, agency_id: int | None = None) -> Referral:
        """Write the referral up and put it forward. A MARAC referral needs a criterion met (the
        checklist, history, or professional judgement with a reason). Once drafted it waits for a
        coordinator's approval, or goes at once if its kind needs none."""
        await self.save(referral_id, actor, details=details, basis=basis, agency_id=agency_id)
        now = self._clock()
        async with self._sessions() as session, session.begin():
            referral = await self._get(session, referral_id, lock=True)
            if referral.state not in ("proposed", "drafted"):
                raise ReferralError(f"referral {reference(referral.id)} is already {referral.state}")
            if referral.kind == "marac":
                await self._marac_criteria(session, referral, now)
            referral.state, referral.drafted_by, referral.drafted_at = "drafted", actor.key, now
            await self._record(session, referral, "referral_drafted", actor.key, now, by=actor.name,
                               criteria=list(referral.criteria), basis=(referral.basis or {}).get("kind"))
            if referral.basis and not needs_approval(referral.kind):
                person = await session.get(Person, referral.person_id)
                assert person is not None
                await self._send(session, referral, person, None, now, actor=actor.key)
            else:
                await self._tell_coordinators(
                    session, f"📋 {share_label(referral.kind)} {reference(referral.id)} for contact "
                    f"#{referral.contact_id} waits for a coordinator's approval (dashboard: Referrals).",
                    f"approve:{referral.id}:{int(now.timestamp())}", referral.contact_id)
            return referral

    async def _marac_criteria(self, session: AsyncSession, referral: Referral, now: datetime) -> None:
        answers = store.dash_of(referral)
        assessment = dash.score(_checklist(answers))
        reason = store.details_of(referral).get("judgement_reason")
        found = dash.criteria(assessment, await self._history(session, referral, now), reason)
        if not assessment.complete and not (reason or "").strip():
            raise ReferralError("complete the Dash checklist, or give the reason for a referral on professional judgement")
        if not found:
            raise ReferralError(f"{dash.summary(assessment)}: no MARAC criterion is met. A referral can still "
                                "be made on professional judgement, with the reason.")
        referral.criteria, referral.dash_yes = list(found), assessment.yes

    async def approve(self, referral_id: int, actor: Actor) -> Referral:
        """A coordinator's approval, and the share leaves: never approved by whoever drafted it."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            referral = await self._get(session, referral_id, lock=True)
            if not actor.coordinator:
                raise ReferralError("only a coordinator can approve a referral")
            if referral.state != "drafted":
                raise ReferralError(f"referral {reference(referral.id)} is {referral.state}, not waiting for approval")
            if actor.key in (referral.drafted_by, referral.proposed_by):
                raise ReferralError("a second person must approve: you drafted (or proposed) this referral")
            if not referral.basis:
                raise ReferralError("record the lawful basis first: nothing is shared without it")
            person = await session.get(Person, referral.person_id)
            assert person is not None
            referral.state, referral.approved_by, referral.approved_at = "approved", actor.key, now
            await self._record(session, referral, "referral_approved", actor.key, now, by=actor.name)
            await self._send(session, referral, person, referral.approved_by, now, actor=actor.key)
            return referral

    async def send_again(self, referral_id: int, actor: Actor) -> Referral:
        """After a delivery failed (a wrong address, since corrected)."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            referral = await self._get(session, referral_id, lock=True)
            if referral.state != "approved" or not actor.coordinator:
                raise ReferralError("only an approved referral whose delivery failed can be sent again, by a coordinator")
            person = await session.get(Person, referral.person_id)
            assert person is not None
            await self._send(session, referral, person, referral.approved_by, now, actor=actor.key)
            return referral

    async def end(self, referral_id: int, state: str, reason: str, actor: Actor) -> Referral:
        """Declined (a coordinator decides not to share, or the agency declines) or withdrawn
        (proposed in error, or the person moved away). Visible high risk cannot be ended so."""
        now = self._clock()
        if state not in ("declined", "withdrawn"):
            raise ReferralError("a referral ends declined or withdrawn")
        if not reason.strip():
            raise ReferralError(f"say why the referral is {state}")
        async with self._sessions() as session, session.begin():
            referral = await self._get(session, referral_id, lock=True)
            if referral.state not in store.PENDING_STATES:
                raise ReferralError(f"referral {reference(referral.id)} is already {referral.state}")
            if referral.kind == "marac" and referral.state in ("proposed", "drafted"):
                assessment = dash.score(_checklist(store.dash_of(referral)))
                if not dash.may_downgrade(assessment):
                    raise ReferralError(f"{dash.summary(assessment)}: visible high risk cannot be downgraded; "
                                        "the MARAC referral must be made")
            referral.state, referral.ended_reason = state, reason.strip()
            referral.next_reminder_at = None
            # the words are the referral's (purged with it); the trail, which is never rewritten, counts them
            await self._record(session, referral, f"referral_{state}", actor.key, now, by=actor.name,
                               reason_length=len(reason.strip()))
            if not actor.coordinator:  # a mentor's decision not to share is seen by a coordinator
                await self._tell_coordinators(
                    session, f"📋 {actor.name} decided not to make {share_label(referral.kind)} {reference(referral.id)} "
                    f"(contact #{referral.contact_id}): {reason.strip()}. Review it on the dashboard if you disagree.",
                    f"ended:{referral.id}", referral.contact_id)
            return referral

    # --- sending and acknowledgement --------------------------------------------------------

    async def _send(self, session: AsyncSession, referral: Referral, person: Person, approved_by: str | None,
                    now: datetime, actor: str) -> None:
        if not referral.basis:
            raise ReferralError("no lawful basis recorded: nothing is shared without it")
        agency = await packing.choose_agency(session, referral, referral.agency_id, self.policy)
        token, code = secrets.token_urlsafe(24), "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        facts = await packing.facts(session, referral, person, agency, approved_by, now, token, code, self.policy)
        body, options = packing.message(agency, facts)
        referral.ack_token_hash, referral.ack_code_hash = store.token_hash(token), store.token_hash(code)
        referral.outbox_id = await outbox.enqueue(
            session, dedupe_key=f"referral:{referral.id}:{int(now.timestamp())}", channel=agency.channel,
            address=agency.address, body=body, now=now, contact_id=referral.contact_id, options=options)
        referral.state, referral.sent_at = "sent", now
        referral.next_reminder_at = now + self.policy.ack_after
        await self._record(session, referral, "referral_sent", actor, now, agency=agency.name,
                           channel=agency.channel, basis=(referral.basis or {}).get("kind"),
                           condition=(referral.basis or {}).get("condition"),
                           shared=[title for title, _ in document.sections(facts)])

    async def preview(self, referral_id: int) -> tuple[str, str]:
        """The document as the agency would receive it now (text, HTML), without the
        acknowledgement link and code, which exist only once it is sent. Nothing is saved."""
        async with self._sessions() as session:
            referral = await self._get(session, referral_id)
            person = await session.get(Person, referral.person_id)
            assert person is not None
            try:
                agency = await packing.choose_agency(session, referral, referral.agency_id, self.policy)
            except ReferralError:
                agency = AgencyView(0, "", "", "(no agency chosen yet)", "email", "", False, ())
            facts = await packing.facts(session, referral, person, agency, referral.approved_by, self._clock(), "", "",
                                        self.policy)
            await session.rollback()
        return document.as_text(facts), document.as_html(facts)

    async def acknowledge_by_link(self, token: str, by: str = "link") -> Referral | None:
        """The agency opened the one-time link and confirmed; the link then stops working."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            referral = await store.by_token(session, token)
            if referral is None or referral.state not in ("sent", "delivered"):
                return None
            await self._acknowledged(session, referral, now, f"agency ({by})")
            return referral

    async def peek_link(self, token: str) -> Referral | None:
        async with self._sessions() as session:
            referral = await store.by_token(session, token)
            return referral if referral is not None and referral.state in ("sent", "delivered") else None

    async def agency_reply(self, session: AsyncSession, channel: str, address: str, text: str,
                           now: datetime) -> bool:
        """``ACK CODE`` from the agency's own number or chat acknowledges its referral (again: no
        harm). False if it is not that, and then the message is a person's like any other."""
        match = ACK_REPLY.match(text)
        if match is None:
            return False
        sender = await agencies.by_address(session, channel, address)
        if not sender:
            return False
        referral = await store.by_code(session, match.group(1), [a.id for a in sender])
        if referral is None:
            return False
        if referral.state in ("sent", "delivered"):
            await self._acknowledged(session, referral, now, f"agency (reply code by {channel})")
        return True

    async def record_acknowledgement(self, referral_id: int, how: str, actor: Actor) -> Referral:
        """An agency acknowledged some other way (a phone call to a coordinator)."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            referral = await self._get(session, referral_id, lock=True)
            if referral.state not in ("sent", "delivered") or not actor.coordinator:
                raise ReferralError("only a sent referral can be marked acknowledged, by a coordinator")
            await self._acknowledged(session, referral, now, f"{actor.name}: {how.strip() or 'told by the agency'}")
            return referral

    async def _acknowledged(self, session: AsyncSession, referral: Referral, now: datetime, by: str) -> None:
        referral.state, referral.acknowledged_at, referral.acknowledged_by = "acknowledged", now, by[:120]
        referral.ack_token_hash = None  # the link is one-time; the code stays, so a repeated reply is known
        referral.next_reminder_at = None
        await self._record(session, referral, "referral_acknowledged", by[:64], now,
                           hours=round((now - referral.sent_at).total_seconds() / 3600, 2) if referral.sent_at else None)

    # --- the periodic poll ------------------------------------------------------------------

    async def poll(self) -> int:
        """Delivered or failed shares, and reminders of the unacknowledged: what changed."""
        now = self._clock()
        done = 0
        async with self._sessions() as session, session.begin():
            for referral, status in await store.sent_with_outbox_state(session):
                if status == "sent":
                    referral.state, referral.delivered_at = "delivered", now
                    await self._record(session, referral, "referral_delivered", "outbox", now)
                    done += 1
                elif status == "failed":
                    referral.state, referral.next_reminder_at = "approved", None
                    await self._record(session, referral, "referral_delivery_failed", "outbox", now)
                    await self._tell_coordinators(
                        session, f"⚠️ {share_label(referral.kind)} {reference(referral.id)} could not be delivered. "
                        "Check the agency's address and send it again (dashboard: Referrals).",
                        f"referral-failed:{referral.id}:{referral.outbox_id}", referral.contact_id)
                    done += 1
            for referral in await store.reminders_due(session, now):
                await self._remind(session, referral, now)
                done += 1
        return done

    async def _remind(self, session: AsyncSession, referral: Referral, now: datetime) -> None:
        agency = await agencies.agency(session, referral.agency_id) if referral.agency_id else None
        hours = int((now - referral.sent_at).total_seconds() // 3600) if referral.sent_at else 0
        referral.reminders += 1
        referral.next_reminder_at = now + self.policy.remind_every
        await self._record(session, referral, "referral_reminder", "system", now, number=referral.reminders)
        await self._tell_coordinators(
            session, f"⏰ {share_label(referral.kind)} {reference(referral.id)} to {agency.name if agency else '?'} "
            f"has not been acknowledged after {hours} h. Please chase the agency (dashboard: Referrals).",
            f"referral-reminder:{referral.id}:{referral.reminders}", referral.contact_id)

    # --- shared helpers ---------------------------------------------------------------------

    async def _get(self, session: AsyncSession, referral_id: int, lock: bool = False) -> Referral:
        referral = await store.get(session, referral_id, lock=lock)
        if referral is None:
            raise ReferralError(f"no referral {reference(referral_id)}")
        return referral

    async def _record(self, session: AsyncSession, referral: Referral, kind: str, actor: str, now: datetime,
                      **data: Any) -> None:
        """The review trail: an event on the contact and an audit entry, saying what was shared
        with whom on what basis (never the contents)."""
        detail = {"referral": referral.id, "share": referral.kind, **data}
        await append_event(session, referral.contact_id, kind, actor, now, **detail)
        await audit.record(session, actor, kind, now, contact=referral.contact_id, **detail)

    async def _tell_coordinators(self, session: AsyncSession, text: str, dedupe: str, contact_id: int) -> None:
        for coordinator in await mentor_store.coordinators(session):
            await tell(self._notifier, session, coordinator, text, f"{dedupe}:{coordinator.id}", contact_id=contact_id)


def _checklist(answers: Mapping[str, str]) -> dict[str, str]:
    keys = {q.key for q in dash.questions()}
    return {k: v for k, v in answers.items() if k in keys}


def _check_answer(key: str, value: str) -> None:
    before = {q.key: q for q in dash.before_questions()}
    if key in before:
        if value not in {choice.key for choice in before[key].choices}:
            raise ReferralError(f"{value!r} is not an answer to {key}")
        return
    if key not in {q.key for q in dash.questions()}:
        raise ReferralError(f"no checklist question {key!r}")
    if value not in {a.value for a in dash.Answer}:
        raise ReferralError("answer yes, no or not known")


