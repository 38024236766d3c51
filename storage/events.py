"""The append-only event log of a contact: the review trail of what happened, when, by whom."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ContactEvent


async def append_event(
    session: AsyncSession, contact_id: int, kind: str, actor: str, at: datetime, **data: Any
) -> ContactEvent:
    event = ContactEvent(contact_id=contact_id, kind=kind, actor=actor, at=at, data=data)
    session.add(event)
    await session.flush()
    return event


async def last_event_at(session: AsyncSession, contact_id: int, kind: str) -> datetime | None:
    return await session.scalar(
        select(ContactEvent.at)
        .where(ContactEvent.contact_id == contact_id, ContactEvent.kind == kind)
        .order_by(ContactEvent.id.desc())
        .limit(1)
    )


async def person_event_counts(session: AsyncSession, person_id: int, kinds: tuple[str, ...]) -> Counter[str]:
    """How many of each of these events the person's contacts have (the privacy notice: once a
    person, unless it was withdrawn before it went)."""
    from storage.models import Contact

    rows = await session.execute(
        select(ContactEvent.kind, func.count()).join(Contact, Contact.id == ContactEvent.contact_id)
        .where(Contact.person_id == person_id, ContactEvent.kind.in_(kinds)).group_by(ContactEvent.kind))
    return Counter({kind: int(count) for kind, count in rows.all()})
