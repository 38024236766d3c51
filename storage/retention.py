"""Retention: what people wrote is kept only as long as it is needed.

A contact's texts are erased ``months`` after it closed: message bodies (voicemail transcripts
are messages), the phrases the triage matched in them, the bodies of outbound work about it
(replies, mentors' alert cards, which quote the person), the mentor's note and a correction's
word of why, and the link to a call's recording. What reports count stays: the contact, its
messages (times, direction, levels, categories, rules), outcome, pathway tags, minutes, alerts
and the review trail (``contact_events`` is append-only and holds ids and codes, never a body).

Referral records follow their own period (see ``REFERRAL_MONTHS``). A person under a legal hold
is skipped. A purge is idempotent: what it erased is marked (``purged_at``) and not counted again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit
from storage.models import (
    OPEN_REFERRAL_STATES,
    Call,
    Contact,
    Message,
    OutboxItem,
    Person,
    Referral,
    TriageCorrection,
)

MONTHS = 12
# Records of safeguarding decisions (a MARAC, IOM or emergency share: what was shared, why, on
# what basis) are kept longer than conversations: partner agencies and serious case reviews ask
# for them years later, and six years (the usual limitation period, and what UK safeguarding
# guidance commonly advises for adult safeguarding records) is the default.
REFERRAL_MONTHS = 72
CHUNK = 500  # ids per statement: SQLite's and asyncpg's parameter limits stay far away

ERASED_REFERRAL = {"erased": True}
ERASED_PHRASE = "[erased]"


def marker(months: int) -> str:
    return f"[erased after {months} months]"


@dataclass
class PurgeCounts:
    contacts: int = 0
    messages: int = 0
    outbox: int = 0
    notes: int = 0
    recordings: int = 0
    corrections: int = 0
    referrals: int = 0
    held_people: int = 0  # people skipped because of a legal hold (with something due)

    @property
    def total(self) -> int:
        return self.contacts + self.referrals

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def months_before(now: datetime, months: int) -> datetime:
    """The same day and time ``months`` earlier (the month's last day when it has no such day)."""
    index = now.year * 12 + now.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for day in (now.day, 30, 29, 28):
        try:
            return now.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def strip_phrases(triage: dict[str, Any] | None) -> dict[str, Any] | None:
    """The triage's result without the words it matched: level, categories, rules and where each
    match came from stay (corrections and reports use them), the person's phrases go."""
    if not triage:
        return triage
    kept = dict(triage)
    kept["matched"] = [{**m, "phrase": ERASED_PHRASE} if "phrase" in m else m for m in triage.get("matched") or ()
                       if isinstance(m, dict)]  # the key stays: cards and the contact page read it
    return kept


async def erase_contact_texts(session: AsyncSession, contact_ids: list[int], text: str, now: datetime,
                              *, forget_provider_ids: bool = False) -> PurgeCounts:
    """Erase the texts of these contacts (see the module's note) and mark them purged; the counts
    of what held text. ``forget_provider_ids``: also drop provider message ids (a Telegram one
    holds the chat id), for erasing a person."""
    counts = PurgeCounts(contacts=len(contact_ids))
    for ids in _chunks(contact_ids):
        for message in await session.scalars(select(Message).where(Message.contact_id.in_(ids))):
            if message.body != text:
                counts.messages += 1
            message.body = text
            if message.triage:
                message.triage = strip_phrases(message.triage)
            if forget_provider_ids:
                message.provider_message_id = None
        counts.outbox += (await session.execute(
            update(OutboxItem).where(OutboxItem.contact_id.in_(ids), OutboxItem.body != "",
                                     OutboxItem.status.not_in(("pending", "sending")))
            .values(body="", **({"provider_message_id": None} if forget_provider_ids else {}))
            .execution_options(synchronize_session=False))).rowcount or 0
        counts.notes += (await session.execute(
            update(Contact).where(Contact.id.in_(ids), Contact.note.is_not(None))
            .values(note=text).execution_options(synchronize_session=False))).rowcount or 0
        counts.recordings += (await session.execute(
            update(Call).where(Call.contact_id.in_(ids), Call.recording_url.is_not(None))
            .values(recording_url=None).execution_options(synchronize_session=False))).rowcount or 0
        counts.corrections += (await session.execute(
            update(TriageCorrection).where(TriageCorrection.contact_id.in_(ids), TriageCorrection.reason.is_not(None))
            .values(reason=None).execution_options(synchronize_session=False))).rowcount or 0
        await session.execute(update(Contact).where(Contact.id.in_(ids), Contact.purged_at.is_(None))
                              .values(purged_at=now).execution_options(synchronize_session=False))
    await session.flush()
    return counts


async def erase_referral(session: AsyncSession, referral: Referral, now: datetime) -> None:
    """What a referral said (its form and checklist answers, why it ended) and the body of the
    message that carried it; its kind, agency, state, criteria met, count of checklist answers,
    lawful basis and times stay for the information sharing report."""
    referral.details, referral.dash, referral.ended_reason = dict(ERASED_REFERRAL), {}, None
    referral.purged_at = referral.purged_at or now
    if referral.outbox_id is not None:
        await session.execute(update(OutboxItem).where(OutboxItem.id == referral.outbox_id,
                                                       OutboxItem.status.not_in(("pending", "sending")))
                              .values(body="").execution_options(synchronize_session=False))


def _ended_at(referral: Referral) -> datetime:
    """When a referral ended: its latest recorded moment."""
    return max(t for t in (referral.proposed_at, referral.drafted_at, referral.approved_at, referral.sent_at,
                           referral.delivered_at, referral.acknowledged_at) if t is not None)


async def purge(session: AsyncSession, now: datetime, *, months: int = MONTHS,
                referral_months: int = REFERRAL_MONTHS, dry_run: bool = False,
                actor: str = "system") -> PurgeCounts:
    """Erase what is past its period (or, ``dry_run``, count it and change nothing). Audited
    (action ``purge``, counts only) unless a dry run."""
    cutoff = months_before(now, months)
    held = select(Person.id).where(Person.legal_hold.is_not(None))
    due = (select(Contact.id, Contact.person_id).where(
        Contact.status == "closed", Contact.closed_at < cutoff, Contact.purged_at.is_(None)))
    rows = list(await session.execute(due))
    held_ids = set(await session.scalars(held))
    contact_ids = sorted(c for c, p in rows if p not in held_ids)
    held_people = {p for c, p in rows if p in held_ids}

    referral_cutoff = months_before(now, referral_months)
    candidates = list(await session.scalars(select(Referral).where(
        Referral.state.not_in(OPEN_REFERRAL_STATES), Referral.purged_at.is_(None),
        Referral.proposed_at < referral_cutoff)))
    referrals = []
    for r in candidates:
        if _ended_at(r) >= referral_cutoff:
            continue
        if r.person_id in held_ids:
            held_people.add(r.person_id)
        else:
            referrals.append(r)

    if dry_run:
        counts = await _count(session, contact_ids)
    else:
        counts = await erase_contact_texts(session, contact_ids, marker(months), now)
        for referral in referrals:
            await erase_referral(session, referral, now)
    counts.referrals, counts.held_people = len(referrals), len(held_people)
    if not dry_run:
        await audit.record(session, actor, "purge", now, months=months, referral_months=referral_months,
                           **counts.as_dict())
        await session.flush()
    return counts


async def _count(session: AsyncSession, contact_ids: list[int]) -> PurgeCounts:
    """What a purge of these contacts would erase. Sealed texts cannot be compared in SQL (each
    seal differs), and none of these contacts is purged yet, so each of their messages holds text."""
    counts = PurgeCounts(contacts=len(contact_ids))

    async def number(query: Any) -> int:
        return int(await session.scalar(query) or 0)

    for ids in _chunks(contact_ids):
        counts.messages += await number(select(func.count(Message.id)).where(Message.contact_id.in_(ids)))
        counts.outbox += await number(select(func.count(OutboxItem.id)).where(
            OutboxItem.contact_id.in_(ids), OutboxItem.body != "", OutboxItem.status.not_in(("pending", "sending"))))
        counts.notes += await number(select(func.count(Contact.id)).where(
            Contact.id.in_(ids), Contact.note.is_not(None)))
        counts.recordings += await number(select(func.count(Call.id)).where(
            Call.contact_id.in_(ids), Call.recording_url.is_not(None)))
        counts.corrections += await number(select(func.count(TriageCorrection.id)).where(
            TriageCorrection.contact_id.in_(ids), TriageCorrection.reason.is_not(None)))
    return counts


def daily_job(sessions: Callable[[], Any], clock: Callable[[], datetime], months: int,
              referral_months: int) -> Callable[[], Awaitable[int]]:
    """The scheduler's daily purge (no channel involved): how many contacts and referrals it purged."""

    async def run() -> int:
        async with sessions() as session, session.begin():
            return (await purge(session, clock(), months=months, referral_months=referral_months)).total

    return run
