"""The audit log: append-only record of actions coordinators must be able to account for."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


async def record(session: AsyncSession, actor: str, action: str, at: datetime, **detail: Any) -> None:
    session.add(AuditEntry(at=at, actor=actor, action=action, detail=detail))
    await session.flush()


async def entries(session: AsyncSession, action: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(await session.scalars(query))


async def recent(session: AsyncSession, before_id: int | None, limit: int) -> list[AuditEntry]:
    """Newest first, paged by id."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(await session.scalars(query))
