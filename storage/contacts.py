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


async def has_inbound(session: AsyncSession, contact_id: int) -> bool:
    found = await session.scalar(select(Message.id).where(Message.contact_id == contact_id,
                                                          Message.direction == "in").limit(1))
    return found is not None


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
    return None if message is None else _stored(message)


def _stored(m: Message) -> StoredMessage:
    return StoredMessage(m.id, m.contact_id, m.channel, m.direction, m.sender_kind, m.body, m.provider_message_id,
                         m.received_at, m.level, tuple(m.categories or ()), m.triage)


LEVEL_RANK = {"emergency": 3, "high": 2, "medium": 1, "low": 0}
WORST_AMONG = 200  # a contact's newest messages that the worst one is looked for in


async def worst_and_latest(session: AsyncSession, contact_id: int) -> tuple[StoredMessage | None, StoredMessage | None]:
    """The person's most urgent message (the earliest of the most urgent level, and not a bare
    plea for help when there is anything else: the plea says how urgent, not what happened)
    and their latest one."""
    rows = list(await session.scalars(
        select(Message).where(Message.contact_id == contact_id, Message.direction == "in")
        .order_by(Message.id.desc()).limit(WORST_AMONG)))
    if not rows:
        return None, None
    content = [m for m in rows if not (m.triage or {}).get("asked_for_help")] or rows
    worst = max(reversed(content), key=lambda m: LEVEL_RANK.get(m.level or "low", 0))
    return _stored(worst), _stored(rows[0])


async def inbound_after(session: AsyncSession, contact_id: int, message_id: int | None, since: datetime) -> int:
    """How many messages the person wrote after ``message_id`` (or after ``since``)."""
    later = Message.id > message_id if message_id is not None else Message.received_at > since
    return int(await session.scalar(select(func.count(Message.id)).where(
        Message.contact_id == contact_id, Message.direction == "in", later)) or 0)


async def last_mentor_message_at(session: AsyncSession, contact_id: int) -> datetime | None:
    return await session.scalar(select(func.max(Message.received_at)).where(
        Message.contact_id == contact_id, Message.sender_kind == "mentor"))


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
