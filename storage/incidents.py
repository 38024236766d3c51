"""Delivery incidents: when outbound messages stay undelivered past the late mark.

At most one incident is open at a time (a partial unique index), so that however many processes
check, and however often, the coordinators are told once per incident.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DeliveryIncident


async def open_incident(session: AsyncSession) -> DeliveryIncident | None:
    return await session.scalar(select(DeliveryIncident).where(DeliveryIncident.state == "open").limit(1))


async def begin_incident(session: AsyncSession, now: datetime, summary: str) -> DeliveryIncident | None:
    """Open an incident; None if another process opened one first."""
    try:
        async with session.begin_nested():
            incident = DeliveryIncident(state="open", opened_at=now, summary=summary[:500])
            session.add(incident)
            await session.flush()
    except IntegrityError:
        return None
    return incident


async def end_incident(session: AsyncSession, incident: DeliveryIncident, now: datetime) -> None:
    incident.state, incident.closed_at = "closed", now
    await session.flush()


async def incidents(session: AsyncSession) -> list[DeliveryIncident]:
    return list(await session.scalars(select(DeliveryIncident).order_by(DeliveryIncident.id)))
