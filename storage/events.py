"""The append-only event log of a contact: the review trail of what happened, when, by whom."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
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


async def person_had_event(session: AsyncSession, person_id: int, kinds: tuple[str, ...]) -> bool:
    """Whether any contact of the person has one of these events (the privacy notice: once a person)."""
    from storage.models import Contact

    return await session.scalar(
        select(ContactEvent.id).join(Contact, Contact.id == ContactEvent.contact_id)
        .where(Contact.person_id == person_id, ContactEvent.kind.in_(kinds)).limit(1)
    ) is not None
