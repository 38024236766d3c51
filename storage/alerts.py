"""Alerts, who was told, and the deadlines of their escalation chains."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Alert, AlertDelivery, Contact, Deadline, OutboxItem


@dataclass(frozen=True)
class Unreached:
    """A mentor of an open alert whom none of its cards has reached: each one failed, or has
    waited in the outbox since before the fallback mark. ``tried`` are the channels used so far."""

    alert_id: int
    mentor_id: int
    step: int
    tried: frozenset[str]
    quiet: bool
    reason: str
    failed: bool  # every card failed for good (not merely late)


async def open_alert(session: AsyncSession, contact_id: int, lock: bool = False) -> Alert | None:
    query = select(Alert).where(Alert.contact_id == contact_id, Alert.state == "open").order_by(Alert.id.desc())
    if lock:
        query = query.with_for_update()
    return await session.scalar(query.limit(1))


async def latest_alert(session: AsyncSession, contact_id: int, lock: bool = False) -> Alert | None:
    query = select(Alert).where(Alert.contact_id == contact_id).order_by(Alert.id.desc())
    if lock:
        query = query.with_for_update()
    return await session.scalar(query.limit(1))


async def open_alerts(session: AsyncSession, contact_id: int) -> list[Alert]:
    rows = await session.scalars(select(Alert).where(Alert.contact_id == contact_id, Alert.state == "open")
                                 .order_by(Alert.id).with_for_update())
    return list(rows)


async def create_alert(session: AsyncSession, contact_id: int, level: str, now: datetime, *,
                       kind: str = "contact", message_id: int | None = None) -> Alert:
    alert = Alert(contact_id=contact_id, level=level, step=0, state="open", opened_at=now, kind=kind,
                  message_id=message_id)
    session.add(alert)
    await session.flush()
    return alert


async def end_open(session: AsyncSession, contact_id: int, state: str) -> list[Alert]:
    """End the contact's open alerts (``answered``, ``closed``) and cancel their deadlines."""
    ended = await open_alerts(session, contact_id)
    for alert in ended:
        alert.state = state
        await cancel_deadlines(session, alert.id)
    return ended


async def record_delivery(session: AsyncSession, alert_id: int, mentor_id: int, step: int, channel: str,
                          outbox_id: int | None, now: datetime) -> None:
    session.add(AlertDelivery(alert_id=alert_id, mentor_id=mentor_id, step=step, channel=channel,
                              outbox_id=outbox_id, created_at=now))
    await session.flush()


async def deliveries(session: AsyncSession, alert_id: int) -> list[AlertDelivery]:
    rows = await session.scalars(select(AlertDelivery).where(AlertDelivery.alert_id == alert_id)
                                 .order_by(AlertDelivery.id))
    return list(rows)


async def voice_delivery(session: AsyncSession, alert_id: int, step: int, mentor_id: int) -> int | None:
    """The outbox row of the newest call that woke ``mentor_id`` at this step of the alert."""
    return await session.scalar(select(AlertDelivery.outbox_id).where(
        AlertDelivery.alert_id == alert_id, AlertDelivery.step == step, AlertDelivery.mentor_id == mentor_id,
        AlertDelivery.channel == "voice").order_by(AlertDelivery.id.desc()).limit(1))


async def calls_all_failed(session: AsyncSession, alert_id: int | None = None) -> list[tuple[int, int]]:
    """(alert, step) of open alerts whose every call at their current step failed or went
    unanswered: a wrong number, a phone switched off. ``alert_id``: that alert only."""
    failed = func.sum(case((OutboxItem.status == "failed", 1), else_=0))
    query = (select(Alert.id, Alert.step).join(AlertDelivery, AlertDelivery.alert_id == Alert.id)
             .join(OutboxItem, OutboxItem.id == AlertDelivery.outbox_id)
             .where(Alert.state == "open", AlertDelivery.step == Alert.step, AlertDelivery.channel == "voice")
             .group_by(Alert.id, Alert.step).having(func.count() == failed))
    if alert_id is not None:
        query = query.where(Alert.id == alert_id)
    return [(row[0], row[1]) for row in await session.execute(query)]


async def schedule(session: AsyncSession, alert_id: int, step: int, due_at: datetime) -> None:
    session.add(Deadline(alert_id=alert_id, step=step, due_at=due_at, state="pending"))
    await session.flush()


async def cancel_deadlines(session: AsyncSession, alert_id: int) -> None:
    await session.execute(update(Deadline).where(Deadline.alert_id == alert_id, Deadline.state == "pending")
                          .values(state="cancelled"))


async def claim_due(session: AsyncSession, now: datetime, limit: int) -> list[Deadline]:
    """Due deadlines, locked so that no other process runs them (SKIP LOCKED on PostgreSQL;
    SQLite's write lock serialises processes), marked fired in this transaction."""
    rows = list(await session.scalars(
        select(Deadline).where(Deadline.state == "pending", Deadline.due_at <= now)
        .order_by(Deadline.due_at).limit(limit).with_for_update(skip_locked=True)
    ))
    for deadline in rows:
        deadline.state, deadline.fired_at = "fired", now
    await session.flush()
    return rows


async def contact_hours(session: AsyncSession, mentor_ids: list[int], since: datetime,
                        now: datetime) -> dict[int, float]:
    """Hours each mentor has spent holding contacts since ``since``: accepted until closed (or now)."""
    if not mentor_ids:
        return {}
    rows = await session.execute(
        select(Alert.accepted_by, Alert.accepted_at, Contact.closed_at)
        .join(Contact, Contact.id == Alert.contact_id)
        .where(Alert.state == "accepted", Alert.accepted_by.in_(mentor_ids),
               (Contact.closed_at.is_(None)) | (Contact.closed_at > since))
    )
    hours: dict[int, float] = {}
    for mentor_id, accepted_at, closed_at in rows:
        begins, ends = max(accepted_at, since), min(closed_at or now, now)
        if ends > begins:
            hours[mentor_id] = hours.get(mentor_id, 0.0) + (ends - begins).total_seconds() / 3600
    return hours


async def assign(session: AsyncSession, contact_id: int, mentor_id: int) -> None:
    await session.execute(update(Contact).where(Contact.id == contact_id).values(assigned_mentor_id=mentor_id))


async def unreached(session: AsyncSession, unsent_before: datetime) -> list[Unreached]:
    """Mentors of open alerts not reached on any channel yet (see ``Unreached``)."""
    rows = await session.execute(
        select(AlertDelivery.alert_id, AlertDelivery.mentor_id, AlertDelivery.step, AlertDelivery.channel,
               OutboxItem.status, OutboxItem.created_at, OutboxItem.options, OutboxItem.last_error)
        .join(Alert, Alert.id == AlertDelivery.alert_id)
        .join(OutboxItem, OutboxItem.id == AlertDelivery.outbox_id)
        .where(Alert.state == "open").order_by(AlertDelivery.id))
    cards: dict[tuple[int, int], list[Any]] = {}
    for row in rows:
        cards.setdefault((row.alert_id, row.mentor_id), []).append(row)
    return [Unreached(alert_id, mentor_id, max(c.step for c in sent), frozenset(c.channel for c in sent),
                      all((c.options or {}).get("quiet") for c in sent), sent[-1].last_error or sent[-1].status,
                      all(c.status == "failed" for c in sent))
            for (alert_id, mentor_id), sent in cards.items()
            if not any(_arrived_or_has_time(c, unsent_before) for c in sent)]


def _arrived_or_has_time(card: Any, unsent_before: datetime) -> bool:
    return card.status == "sent" or (card.status != "failed" and card.created_at > unsent_before)


async def next_due(session: AsyncSession, alert_id: int) -> datetime | None:
    """When the alert's chain moves on next (shown on a card sent late on another channel)."""
    return await session.scalar(select(func.min(Deadline.due_at))
                                .where(Deadline.alert_id == alert_id, Deadline.state == "pending"))
