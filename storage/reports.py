"""The rows behind the impact report, for one period (UTC bounds, end excluded)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Alert, Contact, Mentor, Message


@dataclass(frozen=True)
class SessionRow:
    person_id: int
    closed_at: datetime
    outcome: str | None
    pathways: tuple[str, ...]
    mentor: str | None


@dataclass(frozen=True)
class ReplyRow:
    level: str
    minutes: float


async def closed_sessions(session: AsyncSession, start: datetime, end: datetime) -> list[SessionRow]:
    rows = await session.execute(
        select(Contact.person_id, Contact.closed_at, Contact.outcome, Contact.pathways, Mentor.name)
        .outerjoin(Mentor, Mentor.id == Contact.closed_by)
        .where(Contact.close_reason == "session", Contact.closed_at >= start, Contact.closed_at < end))
    return [SessionRow(p, c, o, tuple(pw or ()), m) for p, c, o, pw, m in rows]


async def closed_without_reply(session: AsyncSession, start: datetime, end: datetime) -> int:
    return await session.scalar(select(func.count()).select_from(Contact).where(
        Contact.close_reason == "no_reply", Contact.closed_at >= start, Contact.closed_at < end)) or 0


async def first_replies(session: AsyncSession, start: datetime, end: datetime) -> list[ReplyRow]:
    """Minutes from a contact opening to its first mentor message, for contacts opened in the period."""
    first = (select(Message.contact_id, func.min(Message.received_at).label("at"))
             .where(Message.sender_kind == "mentor").group_by(Message.contact_id).subquery())
    rows = await session.execute(
        select(Contact.urgency, Contact.opened_at, first.c.at).join(first, first.c.contact_id == Contact.id)
        .where(Contact.opened_at >= start, Contact.opened_at < end))
    return [ReplyRow(urgency or "low", max(0.0, (at - opened_at).total_seconds() / 60))
            for urgency, opened_at, at in rows]


async def alert_counts(session: AsyncSession, start: datetime, end: datetime) -> tuple[int, int]:
    """Alerts of new or more urgent contacts opened in the period, and how many of them went
    past the first mentor (reply alerts, which remind the mentor holding a contact, are apart)."""
    period = (Alert.opened_at >= start, Alert.opened_at < end, Alert.kind == "contact")
    total = await session.scalar(select(func.count()).select_from(Alert).where(*period)) or 0
    past = await session.scalar(select(func.count()).select_from(Alert).where(*period, Alert.step > 0)) or 0
    return total, past


async def contacts_handled(session: AsyncSession, start: datetime, end: datetime) -> dict[str, int]:
    rows = await session.execute(
        select(Mentor.name, func.count(func.distinct(Alert.contact_id)))
        .join(Alert, Alert.accepted_by == Mentor.id)
        .where(Alert.accepted_at >= start, Alert.accepted_at < end).group_by(Mentor.name))
    return {name: count for name, count in rows}
