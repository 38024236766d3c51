"""Opt-outs: channel addresses (a phone number that texted STOP, a Telegram chat that blocked
the bot) the outbox sends nothing to.

Like ``storage.people``, the only place that reads or writes these addresses, so that
encryption at rest and keyed-hash lookups are added here without touching callers.

The rule the outbox follows (``lets_through``): a stopped address gets nothing, except the
helpline's own confirmation of the stop, and what answers the person for a while after they
write again (``ANSWER_WINDOW``): the automatic reply, their mentor's replies. Reminders,
check-ins and anything queued before the stop are held back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OptOut
from storage.sealing import lookup_key

ANSWER_WINDOW = timedelta(hours=24)
NOTICE = "opt_out_notice"  # an outbox option: the confirmation of a stop or start, always sent
HELD_BACK = "opted out"  # the last_error of a suppressed outbox row


async def _find(session: AsyncSession, channel: str, address: str) -> OptOut | None:
    return await session.scalar(select(OptOut).where(OptOut.channel == channel, OptOut.address_key == lookup_key(address)))


async def is_stopped(session: AsyncSession, channel: str, address: str) -> bool:
    return await _find(session, channel, address) is not None


async def stop(session: AsyncSession, channel: str, address: str, now: datetime, how: str) -> bool:
    """Record a stop; True if the address was not stopped already. A stop ends any answer window."""
    found = await _find(session, channel, address)
    if found is not None:
        found.wrote_at = None
        await session.flush()
        return False
    session.add(OptOut(channel=channel, address=address, how=how, stopped_at=now, wrote_at=None))
    await session.flush()
    return True


async def lift(session: AsyncSession, channel: str, address: str) -> bool:
    """Lift a stop (START, or a message from a chat that had blocked the bot); True if there was one."""
    result = await session.execute(delete(OptOut).where(OptOut.channel == channel, OptOut.address_key == lookup_key(address)))
    return bool(result.rowcount)


async def wrote(session: AsyncSession, channel: str, address: str, now: datetime) -> bool:
    """A stopped person wrote again: what answers them from now is let through. True if stopped."""
    found = await _find(session, channel, address)
    if found is None:
        return False
    found.wrote_at = now
    await session.flush()
    return True


async def held_back_now(session: AsyncSession, channel: str, address: str, now: datetime) -> bool:
    """Would a message queued now to this address be held back?"""
    found = await _find(session, channel, address)
    return found is not None and not lets_through(found, now, {})


async def stops_of(session: AsyncSession, recipients: Iterable[tuple[str, str]]) -> dict[tuple[str, str], OptOut]:
    """The stops among these (channel, address) pairs, in one query."""
    pairs = set(recipients)
    if not pairs:
        return {}
    rows = await session.scalars(select(OptOut).where(
        or_(*(and_(OptOut.channel == channel, OptOut.address_key == lookup_key(address)) for channel, address in pairs))))
    return {(row.channel, row.address): row for row in rows}


def lets_through(stopped: OptOut, created_at: datetime, options: dict[str, Any]) -> bool:
    """A message queued at ``created_at`` to a stopped address: the confirmation of the stop, or
    an answer queued within ``ANSWER_WINDOW`` of the person's writing again."""
    if options.get(NOTICE):
        return True
    wrote_at = stopped.wrote_at
    return wrote_at is not None and wrote_at <= created_at <= wrote_at + ANSWER_WINDOW
