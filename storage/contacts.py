"""Contacts (mentoring conversations) and their messages.

Message bodies are read and written only here, for the same reason as addresses in
``storage.people``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.events import append_event
from storage.models import Contact, Message


@dataclass(frozen=True)
class StoredMessage:
    id: int
    contact_id: int
    channel: str
    direction: str
    sender_kind: str
    body: str
    provider_message_id: str | None
    received_at: datetime
    level: str | None = None
    categories: tuple[str, ...] = ()
    triage: dict[str, Any] | None = None


async def open_contact_of(session: AsyncSession, person_id: int) -> Contact | None:
    return await session.scalar(
        select(Contact).where(Contact.person_id == person_id, Contact.status == "open")
    )


async def open_contact(session: AsyncSession, person_id: int, channel: str, now: datetime) -> Contact:
    contact = Contact(person_id=person_id, channel=channel, status="open",
                      opened_at=now, last_activity_at=now)
    session.add(contact)
    await session.flush()
    await append_event(session, contact.id, "contact_opened", "system", now, channel=channel)
    return contact


async def close_contact(
    session: AsyncSession, contact: Contact, now: datetime, reason: str, actor: str
) -> None:
    contact.status, contact.closed_at, contact.close_reason = "closed", now, reason
    await session.flush()
    await append_event(session, contact.id, "contact_closed", actor, now, reason=reason)


async def count_contacts(session: AsyncSession, person_id: int) -> int:
    return int(await session.scalar(select(func.count(Contact.id)).where(Contact.person_id == person_id)) or 0)


async def message_exists(session: AsyncSession, channel: str, provider_message_id: str) -> bool:
    found = await session.scalar(
        select(Message.id).where(
            Message.channel == channel, Message.provider_message_id == provider_message_id
        )
    )
    return found is not None


async def add_message(
    session: AsyncSession,
    contact: Contact,
    *,
    channel: str,
    direction: str,
    sender_kind: str,
    body: str,
    at: datetime,
    provider_message_id: str | None = None,
    triage: dict[str, Any] | None = None,
) -> int:
    """Store a message; ``triage`` is the classifier's result (level, categories, explanation)."""
    message = Message(contact_id=contact.id, channel=channel, direction=direction,
                      sender_kind=sender_kind, body=body, received_at=at,
                      provider_message_id=provider_message_id)
    if triage is not None:
        message.level, message.categories, message.triage = triage["level"], triage["categories"], triage
    session.add(message)
    if direction == "in":
        contact.last_activity_at = max(contact.last_activity_at, at)
    await session.flush()
    return message.id


async def latest_inbound(session: AsyncSession, contact_id: int) -> StoredMessage | None:
    message = await session.scalar(
        select(Message).where(Message.contact_id == contact_id, Message.direction == "in")
        .order_by(Message.id.desc()).limit(1)
    )
    if message is None:
        return None
    return StoredMessage(message.id, message.contact_id, message.channel, message.direction,
                         message.sender_kind, message.body, message.provider_message_id,
                         message.received_at, message.level, tuple(message.categories or ()),
                         message.triage)


async def recent_inbound_texts(
    session: AsyncSession, contact_id: int, since: datetime, limit: int
) -> list[str]:
    """The person's latest messages in this contact, oldest first: context for triage."""
    rows = await session.scalars(
        select(Message.body)
        .where(Message.contact_id == contact_id, Message.direction == "in", Message.received_at >= since)
        .order_by(Message.id.desc())
        .limit(limit)
    )
    return list(reversed(list(rows)))


async def set_provider_id(session: AsyncSession, message_id: int, provider_message_id: str) -> None:
    message = await session.get(Message, message_id)
    if message is not None:
        message.provider_message_id = provider_message_id


async def transcript(session: AsyncSession, contact_id: int) -> list[StoredMessage]:
    rows = await session.scalars(
        select(Message).where(Message.contact_id == contact_id).order_by(Message.id)
    )
    return [StoredMessage(m.id, m.contact_id, m.channel, m.direction, m.sender_kind, m.body,
                          m.provider_message_id, m.received_at, m.level, tuple(m.categories or ()))
            for m in rows]
