"""Look-ups the relay needs: a mentor's open contacts, a card or relayed message's contact."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Contact, Mentor, Message, OutboxItem, Person


async def assigned_open_contacts(session: AsyncSession, mentor_id: int) -> list[tuple[int, str, str | None]]:
    """(contact id, alias, urgency) of the mentor's open contacts, oldest first."""
    rows = await session.execute(
        select(Contact.id, Person.alias, Contact.urgency).join(Person, Person.id == Contact.person_id)
        .where(Contact.assigned_mentor_id == mentor_id, Contact.status == "open").order_by(Contact.id)
    )
    return [(cid, alias, urgency) for cid, alias, urgency in rows]


async def contact_of_sent_message(session: AsyncSession, channel: str, provider_message_id: str) -> int | None:
    """The contact an earlier outbound message (a card, a relayed message) belonged to."""
    return await session.scalar(
        select(OutboxItem.contact_id).where(OutboxItem.channel == channel,
                                            OutboxItem.provider_message_id == provider_message_id)
    )


async def set_note(session: AsyncSession, contact_id: int, note: str) -> None:
    contact = await session.get(Contact, contact_id)
    if contact is not None:
        contact.note = note[:1000]


async def earlier_sessions(session: AsyncSession, person_id: int, before_contact: int) -> list[tuple[str | None, str]]:
    """(outcome, mentor name) of the person's earlier closed contacts, newest first."""
    rows = await session.execute(
        select(Contact.outcome, Mentor.name).outerjoin(Mentor, Mentor.id == Contact.closed_by)
        .where(Contact.person_id == person_id, Contact.id < before_contact, Contact.status == "closed")
        .order_by(Contact.id.desc())
    )
    return [(outcome, name or "-") for outcome, name in rows]


async def set_current(session: AsyncSession, mentor_id: int, contact_id: int | None) -> None:
    mentor = await session.get(Mentor, mentor_id)
    if mentor is not None:
        mentor.current_contact_id = contact_id


async def current(session: AsyncSession, mentor_id: int) -> int | None:
    return await session.scalar(select(Mentor.current_contact_id).where(Mentor.id == mentor_id))


async def latest_inbound_channel(session: AsyncSession, contact_id: int) -> str | None:
    return await session.scalar(
        select(Message.channel).where(Message.contact_id == contact_id, Message.direction == "in")
        .order_by(Message.id.desc()).limit(1)
    )
