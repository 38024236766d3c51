"""The live queue: every open contact with who is alerted or assigned and the next deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.contact_log import handled_by as handled
from storage.models import (
    Alert,
    AlertDelivery,
    Contact,
    Deadline,
    Mentor,
    Message,
    Person,
)

URGENCY_ORDER = {"emergency": 0, "high": 1, "medium": 2, "low": 3, None: 4}


@dataclass(frozen=True)
class QueueRow:
    contact_id: int
    alias: str
    urgency: str | None
    channel: str
    opened_at: datetime
    waiting_since: datetime | None  # the person's oldest message no mentor has answered yet
    assigned: str | None
    alerted: tuple[str, ...]
    alert_step: int | None
    next_deadline: datetime | None


async def open_queue(session: AsyncSession, handled_by: int | None = None) -> list[QueueRow]:
    """Most urgent first, then longest waiting."""
    query = (select(Contact, Person.alias, Mentor.name).join(Person, Person.id == Contact.person_id)
             .outerjoin(Mentor, Mentor.id == Contact.assigned_mentor_id).where(Contact.status == "open"))
    if handled_by is not None:
        query = query.where(handled(handled_by))
    found = (await session.execute(query)).all()
    ids = [contact.id for contact, _, _ in found]
    waiting = await _waiting_since(session, ids)
    alerts = await _open_alerts(session, ids)
    rows = []
    for contact, alias, assigned in found:
        step, alerted, due = alerts.get(contact.id, (None, (), None))
        rows.append(QueueRow(contact.id, alias, contact.urgency, contact.channel, contact.opened_at,
                             waiting.get(contact.id), assigned, alerted, step, due))
    answered_last = datetime.max.replace(tzinfo=timezone.utc)
    return sorted(rows, key=lambda r: (URGENCY_ORDER.get(r.urgency, 4), r.waiting_since or answered_last, r.opened_at))


async def _waiting_since(session: AsyncSession, ids: list[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    last_mentor = dict((await session.execute(
        select(Message.contact_id, func.max(Message.received_at))
        .where(Message.contact_id.in_(ids), Message.sender_kind == "mentor").group_by(Message.contact_id))).all())
    waiting: dict[int, datetime] = {}
    for contact_id, at in await session.execute(
            select(Message.contact_id, Message.received_at)
            .where(Message.contact_id.in_(ids), Message.direction == "in").order_by(Message.received_at)):
        answered = last_mentor.get(contact_id)
        if (answered is None or at > answered) and contact_id not in waiting:
            waiting[contact_id] = at
    return waiting


async def _open_alerts(session: AsyncSession, ids: list[int]) -> dict[int, tuple[int, tuple[str, ...], datetime | None]]:
    """Step, mentors told and next deadline of each contact's open alert: three queries, however
    many contacts wait (the queue is polled every few seconds by every open dashboard)."""
    if not ids:
        return {}
    alerts = {alert_id: (contact_id, step) for alert_id, contact_id, step in await session.execute(
        select(Alert.id, Alert.contact_id, Alert.step).where(Alert.contact_id.in_(ids), Alert.state == "open"))}
    if not alerts:
        return {}
    told: dict[int, list[str]] = {}
    for alert_id, name in await session.execute(
            select(AlertDelivery.alert_id, Mentor.name).join(Mentor, Mentor.id == AlertDelivery.mentor_id)
            .where(AlertDelivery.alert_id.in_(alerts)).order_by(AlertDelivery.id)):
        if name not in told.setdefault(alert_id, []):
            told[alert_id].append(name)
    due = dict((await session.execute(
        select(Deadline.alert_id, func.min(Deadline.due_at))
        .where(Deadline.alert_id.in_(alerts), Deadline.state == "pending").group_by(Deadline.alert_id))).all())
    return {contact_id: (step, tuple(told.get(alert_id, ())), due.get(alert_id))
            for alert_id, (contact_id, step) in alerts.items()}
