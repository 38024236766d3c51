"""What the health endpoints read from the database: how much outbound work is waiting."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxItem


async def unsent(session: AsyncSession) -> tuple[int, datetime | None]:
    """How many outbox rows are not sent yet, and since when the oldest has waited."""
    count, oldest = (await session.execute(
        select(func.count(OutboxItem.id), func.min(OutboxItem.created_at))
        .where(OutboxItem.status.in_(("pending", "sending"))))).one()
    return int(count or 0), oldest
