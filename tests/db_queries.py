"""Read-only look-ups tests use to check what the helpline stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from storage.models import Contact, ContactEvent, Message, OutboxItem, Person


async def count(sessions: Any, model: Any, *where: Any) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def rows(sessions: Any, model: Any, *where: Any) -> list[Any]:
    async with sessions() as session:
        return list(await session.scalars(select(model).where(*where).order_by(model.id)))


async def summary(sessions: Any) -> dict[str, int]:
    return {
        "people": await count(sessions, Person, Person.merged_into_id.is_(None)),
        "contacts": await count(sessions, Contact),
        "messages_in": await count(sessions, Message, Message.direction == "in"),
        "outbox": await count(sessions, OutboxItem),
    }


async def event_kinds(sessions: Any, contact_id: int) -> list[str]:
    return [e.kind for e in await rows(sessions, ContactEvent, ContactEvent.contact_id == contact_id)]
