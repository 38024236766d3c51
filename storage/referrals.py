"""Referrals to agencies: storage and the queries the referral workflow and reports need.

``details`` and ``dash`` hold what a referral says about a person; they are read and written
here only, so that encryption at rest can be added in one place."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    OPEN_REFERRAL_STATES,
    Agency,
    Contact,
    ContactTag,
    OutboxItem,
    Referral,
)

PENDING_STATES = OPEN_REFERRAL_STATES  # waiting for someone: to draft, approve, deliver or acknowledge
SHARED_STATES = ("sent", "delivered", "acknowledged")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create(session: AsyncSession, *, contact_id: int, person_id: int, kind: str, reason: str,
                 actor: str, now: datetime, agency_id: int | None = None) -> Referral | None:
    """A proposed referral, or None if one of this kind is already open for the contact (also
    when another process proposed it at the same moment: the partial unique index decides)."""
    referral = Referral(contact_id=contact_id, person_id=person_id, kind=kind, reason=reason, agency_id=agency_id,
                        state="proposed", criteria=[], dash={}, details={}, proposed_at=now, proposed_by=actor,
                        reminders=0)
    try:
        async with session.begin_nested():
            session.add(referral)
            await session.flush()
    except IntegrityError:
        return None
    return referral


async def get(session: AsyncSession, referral_id: int, *, lock: bool = False) -> Referral | None:
    """The referral; ``lock`` holds it against a second tap or process acting on it at once."""
    query = select(Referral).where(Referral.id == referral_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def open_of(session: AsyncSession, contact_id: int, kind: str) -> Referral | None:
    return await session.scalar(select(Referral).where(
        Referral.contact_id == contact_id, Referral.kind == kind, Referral.state.in_(OPEN_REFERRAL_STATES)))


async def of_contact(session: AsyncSession, contact_id: int) -> list[Referral]:
    return list(await session.scalars(select(Referral).where(Referral.contact_id == contact_id)
                                      .order_by(Referral.id)))


async def listing(session: AsyncSession, *, pending_only: bool = False, limit: int = 200) -> list[Referral]:
    """Pending first (oldest waiting at the top), then the rest newest first."""
    pending = Referral.state.in_(PENDING_STATES)
    query = select(Referral).order_by(case((pending, 0), else_=1),
                                      case((pending, Referral.proposed_at), else_=None),
                                      Referral.proposed_at.desc()).limit(limit)
    if pending_only:
        query = query.where(pending)
    return list(await session.scalars(query))


def details_of(referral: Referral) -> dict[str, Any]:
    return dict(referral.details or {})


def set_details(referral: Referral, details: dict[str, Any]) -> None:
    referral.details = dict(details)


def dash_of(referral: Referral) -> dict[str, str]:
    return dict(referral.dash or {})


def set_dash(referral: Referral, answers: dict[str, str]) -> None:
    referral.dash = dict(answers)


async def domestic_abuse_contacts_since(session: AsyncSession, person_id: int, since: datetime) -> int:
    """The person's contacts with a domestic-abuse message opened since ``since`` (this one too)."""
    return await session.scalar(
        select(func.count(func.distinct(Contact.id))).join(ContactTag, ContactTag.contact_id == Contact.id)
        .where(Contact.person_id == person_id, Contact.opened_at >= since,
               ContactTag.kind == "category", ContactTag.value == "domestic_abuse")) or 0


async def shared_since(session: AsyncSession, person_id: int, kind: str, since: datetime,
                       excluding: int | None = None) -> int:
    """How many referrals of this kind about the person were sent since ``since``."""
    query = select(func.count()).select_from(Referral).where(
        Referral.person_id == person_id, Referral.kind == kind, Referral.state.in_(SHARED_STATES),
        Referral.sent_at >= since)
    if excluding is not None:
        query = query.where(Referral.id != excluding)
    return await session.scalar(query) or 0


async def by_token(session: AsyncSession, token: str) -> Referral | None:
    return await session.scalar(select(Referral).where(Referral.ack_token_hash == token_hash(token)))


async def by_code(session: AsyncSession, code: str, agency_ids: list[int]) -> Referral | None:
    """A reply code counts only from the agency the referral went to."""
    return await session.scalar(select(Referral).where(
        Referral.ack_code_hash == token_hash(code.upper()), Referral.agency_id.in_(agency_ids)))


async def sent_with_outbox_state(session: AsyncSession) -> list[tuple[Referral, str | None]]:
    """Referrals handed to the outbox and not yet known delivered, with their row's state."""
    rows = await session.execute(
        select(Referral, OutboxItem.status).outerjoin(OutboxItem, OutboxItem.id == Referral.outbox_id)
        .where(Referral.state == "sent"))
    return [(r, status) for r, status in rows.all()]


async def reminders_due(session: AsyncSession, now: datetime) -> list[Referral]:
    return list(await session.scalars(select(Referral).where(
        Referral.state.in_(("sent", "delivered")), Referral.next_reminder_at <= now)
        .order_by(Referral.next_reminder_at).with_for_update(skip_locked=True)))


@dataclass(frozen=True)
class ShareRow:
    """One share for the information sharing report."""

    sent_at: datetime
    month: str  # YYYY-MM, of when it was sent (UTC here; the report puts it in the helpline's zone)
    agency: str
    kind: str
    basis: str  # consent | no_consent
    state: str
    hours_to_ack: float | None


async def shares(session: AsyncSession, start: datetime, end: datetime) -> list[ShareRow]:
    """Everything that left for an agency in the period. A referral whose delivery failed (back
    to approved) was not shared; one withdrawn or declined after it left was."""
    rows = await session.execute(
        select(Referral.sent_at, Agency.name, Referral.kind, Referral.basis, Referral.state,
               Referral.acknowledged_at)
        .join(Agency, Agency.id == Referral.agency_id)
        .where(and_(Referral.sent_at >= start, Referral.sent_at < end), Referral.state != "approved")
        .order_by(Referral.sent_at))
    found = []
    for sent_at, agency, kind, basis, state, acked in rows.all():
        hours = (acked - sent_at).total_seconds() / 3600 if acked else None
        found.append(ShareRow(sent_at, f"{sent_at:%Y-%m}", agency, kind, (basis or {}).get("kind", "?"), state, hours))
    return found


async def involved(session: AsyncSession, contact_id: int, mentor_id: int) -> bool:
    """Whether a mentor holds the contact or was alerted to it: who may take a referral on."""
    from storage.models import Alert, AlertDelivery

    if await session.scalar(select(Contact.id).where(Contact.id == contact_id, Contact.assigned_mentor_id == mentor_id)):
        return True
    return bool(await session.scalar(select(AlertDelivery.id).join(Alert, Alert.id == AlertDelivery.alert_id)
                                     .where(Alert.contact_id == contact_id, AlertDelivery.mentor_id == mentor_id)
                                     .limit(1)))
