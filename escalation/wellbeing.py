"""Volunteer wellbeing, enforced: caps on hours on call and on active contact time.

On-call caps are checked when a shift or override is added (refused with the reason unless a
coordinator overrides it, which is audited). The contact-time cap is applied by routing: a
mentor past it is passed over while someone else is on call, never left as the only one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from escalation.rota import Cover, Override, ShiftRule, covers


@dataclass(frozen=True)
class Caps:
    hours_per_day: float = 12.0  # on call in any 24 hours
    hours_per_week: float = 48.0  # on call in any 7 days
    contact_hours_per_day: float = 4.0  # active contact time in any 24 hours


def on_call_breach(rules: Sequence[ShiftRule], overrides: Sequence[Override], zone: ZoneInfo,
                   mentor_id: int, around: datetime, caps: Caps) -> str | None:
    """Why the mentor's rota breaks a cap (over the fortnight around ``around``), or None."""
    start, end = around - timedelta(days=7), around + timedelta(days=14)
    mine = [c for c in covers(rules, overrides, zone, start, end) if c.mentor_id == mentor_id]
    for window, cap, label in ((timedelta(hours=24), caps.hours_per_day, "24 hours"),
                               (timedelta(days=7), caps.hours_per_week, "7 days")):
        worst, at = _busiest(mine, window)
        if worst > cap + 1e-9:
            local = at.astimezone(zone).strftime("%a %d %b %H:%M")
            return f"{worst:g} hours on call in the {label} from {local} (cap {cap:g})"
    return None


def _busiest(mine: list[Cover], window: timedelta) -> tuple[float, datetime]:
    """The most hours inside any window starting at one of the covers' starts."""
    spans = merged_spans(mine)
    worst, worst_at = 0.0, spans[0][0] if spans else datetime.min
    for begins, _ in spans:
        total = sum(max(0.0, (min(e, begins + window) - max(b, begins)).total_seconds())
                    for b, e in spans) / 3600
        if total > worst:
            worst, worst_at = total, begins
    return worst, worst_at


class CapBreached(ValueError):
    """A rota change would break a cap and nobody allowed it; the transaction must roll back."""

    def __init__(self, breach: str) -> None:
        super().__init__(breach)
        self.breach = breach


async def enforce_caps(session: AsyncSession, zone: ZoneInfo, caps: Caps, mentor_id: int, now: datetime,
                       change: str, approved_by: str | None) -> str | None:
    """After a rota change in this transaction: None within the caps; past them, CapBreached
    unless ``approved_by`` (an audit actor) allows it, and then the override is audited."""
    from storage import audit

    breach = await rota_breach(session, zone, caps, mentor_id, now)
    if breach is None:
        return None
    if approved_by is None:
        raise CapBreached(breach)
    await audit.record(session, approved_by, "wellbeing_cap_override", now, mentor_id=mentor_id, change=change,
                       breach=breach)
    return breach


def hours_on_call(all_covers: Sequence[Cover], start: datetime, end: datetime) -> dict[int, float]:
    """Hours each mentor is on call within [start, end); holding both roles at once counts once."""
    by_mentor: dict[int, list[Cover]] = {}
    for cover in all_covers:
        if cover.ends_at > start and cover.starts_at < end:
            by_mentor.setdefault(cover.mentor_id, []).append(cover)
    return {mentor_id: sum((min(e, end) - max(b, start)).total_seconds() for b, e in merged_spans(mine)) / 3600
            for mentor_id, mine in by_mentor.items()}


def merged_spans(mine: list[Cover]) -> list[tuple[datetime, datetime]]:
    """Primary and backup both count as on call, once, however they overlap."""
    merged: list[tuple[datetime, datetime]] = []
    for cover in sorted(mine, key=lambda c: c.starts_at):
        if merged and cover.starts_at <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], cover.ends_at))
        else:
            merged.append((cover.starts_at, cover.ends_at))
    return merged


async def rota_breach(session: AsyncSession, zone: ZoneInfo, caps: Caps, mentor_id: int, now: datetime) -> str | None:
    """The cap a mentor's stored rota (with changes not yet committed) breaks, or None.

    Callers add the shift first and call this in the same transaction: refusing rolls it back,
    and a coordinator's override is their own audit entry.
    """
    from storage import rota as rota_store

    rules, overrides = await rota_store.load(session, now - timedelta(days=7), now + timedelta(days=14))
    return on_call_breach(rules, overrides, zone, mentor_id, now, caps)
