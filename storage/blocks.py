"""The block list: people a coordinator has blocked, with why, by whom and when; lifting a block.

A block names the person (id and alias), never a number or a chat id. Placing and lifting are
audited. What a blocked person's messages do (stored, not routed) is the intake's business; what
is counted for the coordinators' daily digest is the ``blocked_message`` events of the contacts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit
from storage.models import Block, Contact, ContactEvent, Person

BLOCKED_MESSAGE = "blocked_message"  # the event on a contact: a message from a blocked person
REASON_MAX = 200
_DIGITS = re.compile(r"\+?\d[\d ()-]{5,}\d")


@dataclass(frozen=True)
class BlockView:
    person_id: int
    alias: str
    reason: str
    blocked_at: datetime
    blocked_by: str


def scrubbed(reason: str) -> str:
    """A coordinator's reason, kept without anything that looks like a phone number."""
    def number(found: re.Match[str]) -> str:
        return "[number]" if sum(ch.isdigit() for ch in found.group()) >= 7 else found.group()

    return _DIGITS.sub(number, " ".join(reason.split()))[:REASON_MAX]


async def active(session: AsyncSession, person_id: int) -> Block | None:
    """The person's block in force, if any."""
    return await session.scalar(select(Block).where(Block.person_id == person_id, Block.lifted_at.is_(None))
                                .order_by(Block.id.desc()).limit(1))


async def block(session: AsyncSession, person: Person, reason: str, now: datetime, actor: str) -> bool:
    """Block the person; False if they already are (the first reason stands). Audited."""
    reason = scrubbed(reason)
    if not reason:
        raise ValueError("--reason: say why the person is blocked")
    if await active(session, person.id) is not None:
        return False
    session.add(Block(person_id=person.id, reason=reason, blocked_at=now, blocked_by=actor[:80]))
    await audit.record(session, actor, "person_blocked", now, person_id=person.id, alias=person.alias, reason=reason)
    return True


async def lift(session: AsyncSession, person: Person, now: datetime, actor: str) -> bool:
    """Lift the person's block; False if they were not blocked. Audited."""
    found = await active(session, person.id)
    if found is None:
        return False
    found.lifted_at, found.lifted_by = now, actor[:80]
    await session.flush()
    await audit.record(session, actor, "person_unblocked", now, person_id=person.id, alias=person.alias)
    return True


async def listed(session: AsyncSession) -> list[BlockView]:
    """Every block in force, newest first."""
    rows = await session.execute(
        select(Block, Person.alias).join(Person, Person.id == Block.person_id)
        .where(Block.lifted_at.is_(None)).order_by(Block.blocked_at.desc(), Block.id.desc()))
    return [BlockView(b.person_id, alias, b.reason, b.blocked_at, b.blocked_by) for b, alias in rows]


async def messages_by_alias(session: AsyncSession, since: datetime, until: datetime) -> dict[str, int]:
    """How many messages each blocked person sent in [since, until), by alias: counts, no text."""
    rows = await session.execute(
        select(Person.alias, func.count(ContactEvent.id))
        .join(Contact, Contact.id == ContactEvent.contact_id).join(Person, Person.id == Contact.person_id)
        .where(ContactEvent.kind == BLOCKED_MESSAGE, ContactEvent.at >= since, ContactEvent.at < until)
        .group_by(Person.alias).order_by(Person.alias))
    return {alias: int(count) for alias, count in rows}
