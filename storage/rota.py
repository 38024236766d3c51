"""Shifts and overrides as stored, turned into the plain values ``escalation.rota`` works on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import RotaOverride, Shift
from storage.rota_values import Override, ShiftRule, parse_time


async def load(session: AsyncSession, start: datetime, end: datetime) -> tuple[list[ShiftRule], list[Override]]:
    """Every weekly rule, and the overrides touching [start, end)."""
    rules = [ShiftRule(s.mentor_id, s.weekday, parse_time(s.starts), parse_time(s.ends), s.role, s.id)
             for s in await session.scalars(select(Shift).order_by(Shift.id))]
    rows = await session.scalars(
        select(RotaOverride).where(RotaOverride.ends_at > start, RotaOverride.starts_at < end)
        .order_by(RotaOverride.id)
    )
    overrides = [Override(o.mentor_id, o.kind, o.role, o.starts_at, o.ends_at, o.id) for o in rows]
    return rules, overrides


async def add_shift(session: AsyncSession, *, mentor_id: int, weekday: int, starts: str, ends: str,
                    role: str, now: datetime) -> int:
    shift = Shift(mentor_id=mentor_id, weekday=weekday, starts=starts, ends=ends, role=role, created_at=now)
    session.add(shift)
    await session.flush()
    return shift.id


async def remove_shifts(session: AsyncSession, *, mentor_id: int, weekday: int, role: str | None = None) -> int:
    query = delete(Shift).where(Shift.mentor_id == mentor_id, Shift.weekday == weekday)
    if role:
        query = query.where(Shift.role == role)
    result = await session.execute(query)
    return int(result.rowcount or 0)


async def add_override(session: AsyncSession, *, mentor_id: int, kind: str, role: str,
                       starts_at: datetime, ends_at: datetime, note: str | None, now: datetime) -> int:
    override = RotaOverride(mentor_id=mentor_id, kind=kind, role=role, starts_at=starts_at,
                            ends_at=ends_at, note=note, created_at=now)
    session.add(override)
    await session.flush()
    return override.id


async def remove_shift(session: AsyncSession, shift_id: int) -> bool:
    result = await session.execute(delete(Shift).where(Shift.id == shift_id))
    return bool(result.rowcount)


async def remove_override(session: AsyncSession, override_id: int) -> bool:
    result = await session.execute(delete(RotaOverride).where(RotaOverride.id == override_id))
    return bool(result.rowcount)


async def shifts_and_overrides(session: AsyncSession, start: datetime, end: datetime) -> tuple[list[Shift], list[RotaOverride]]:
    """The stored rows, for the page that edits them."""
    shifts = list(await session.scalars(select(Shift).order_by(Shift.weekday, Shift.starts)))
    overrides = list(await session.scalars(select(RotaOverride).where(
        RotaOverride.ends_at > start, RotaOverride.starts_at < end).order_by(RotaOverride.starts_at)))
    return shifts, overrides
