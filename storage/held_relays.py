"""A flood's messages held back from the relay to the mentor, until they go in one batch.

Only ids and times are kept here; the messages' texts are read through ``storage.contacts``
(the one place that reads bodies), when the batch is sent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.contacts import StoredMessage, transcript
from storage.models import HeldRelay


async def hold(session: AsyncSession, contact_id: int, message_id: int, now: datetime) -> None:
    session.add(HeldRelay(contact_id=contact_id, message_id=message_id, held_at=now))
    await session.flush()


async def take(session: AsyncSession, contact_id: int) -> list[StoredMessage]:
    """The contact's held messages, oldest first, no longer held once this returns (in the
    caller's transaction: if sending the batch fails, they are held again)."""
    ids = set(await session.scalars(select(HeldRelay.message_id).where(HeldRelay.contact_id == contact_id)
                                    .with_for_update()))
    if not ids:
        return []
    await session.execute(delete(HeldRelay).where(HeldRelay.contact_id == contact_id,
                                                  HeldRelay.message_id.in_(ids)))
    return [m for m in await transcript(session, contact_id) if m.id in ids]


async def due(session: AsyncSession, held_before: datetime, limit: int = 100) -> list[int]:
    """Contacts whose oldest held message was held before ``held_before``."""
    rows = await session.scalars(
        select(HeldRelay.contact_id).group_by(HeldRelay.contact_id)
        .having(func.min(HeldRelay.held_at) <= held_before).order_by(func.min(HeldRelay.held_at)).limit(limit))
    return list(rows)
