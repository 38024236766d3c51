"""Who is on call: weekly shifts in local time, one-off overrides, and the gaps between.

Pure functions over plain values, so the same answer is given by the router, the command line
and the dashboard, and every case (overnight shifts, both daylight-saving changes, overrides)
is tested with a fixed clock. Shifts are kept in local wall-clock time and turned into UTC
instants per date: a 22:00-08:00 shift stays 22:00-08:00 local on the nights the clocks change
(9 or 11 hours of real time), with no gap and no double cover at 08:00.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from storage.rota_values import Override, ShiftRule, parse_time

__all__ = ["Override", "ShiftRule", "parse_time"]  # and the functions below; the values live in storage

PRIMARY = "primary"
BACKUP = "backup"
ROLES = (PRIMARY, BACKUP)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Cover:
    """A mentor holding a role over an interval of real time (UTC)."""

    mentor_id: int
    role: str
    starts_at: datetime
    ends_at: datetime
    source: str


@dataclass(frozen=True)
class OnCall:
    primary: tuple[int, ...]
    backup: tuple[int, ...]

    @property
    def everyone(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(self.primary + self.backup))


def parse_weekday(text: str) -> int:
    try:
        return WEEKDAYS.index(text.strip().lower()[:3])
    except ValueError:
        raise ValueError(f"{text!r} is not a day (mon..sun)") from None


def occurrence(rule: ShiftRule, day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The shift's interval in UTC when it starts on local date ``day``."""
    start = datetime.combine(day, rule.starts, tzinfo=zone)
    end_day = day + timedelta(days=1) if rule.ends <= rule.starts else day
    end = datetime.combine(end_day, rule.ends, tzinfo=zone)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def covers(rules: Sequence[ShiftRule], overrides: Sequence[Override], zone: ZoneInfo,
           start: datetime, end: datetime) -> list[Cover]:
    """Every cover overlapping [start, end), after the overrides are applied."""
    result = [c for c in _shift_covers(rules, zone, start, end)]
    for override in sorted(overrides, key=lambda o: (o.starts_at, o.id or 0)):
        if override.ends_at <= start or override.starts_at >= end:
            continue
        if override.kind in ("off", "cover"):
            result = _without(result, override)
        if override.kind in ("cover", "extra"):
            result.append(Cover(override.mentor_id, override.role, override.starts_at,
                                override.ends_at, f"override:{override.id}"))
    return [c for c in result if c.starts_at < end and c.ends_at > start]


def on_call(rules: Sequence[ShiftRule], overrides: Sequence[Override], zone: ZoneInfo,
            at: datetime) -> OnCall:
    """Who holds each role at instant ``at``, in rota order."""
    moment = covers(rules, overrides, zone, at, at + timedelta(microseconds=1))
    return OnCall(
        primary=tuple(dict.fromkeys(c.mentor_id for c in moment if c.role == PRIMARY)),
        backup=tuple(dict.fromkeys(c.mentor_id for c in moment if c.role == BACKUP)),
    )


def gaps(rules: Sequence[ShiftRule], overrides: Sequence[Override], zone: ZoneInfo,
         start: datetime, end: datetime, role: str = PRIMARY) -> list[tuple[datetime, datetime]]:
    """The intervals in [start, end) with nobody holding ``role``."""
    held = sorted((max(c.starts_at, start), min(c.ends_at, end))
                  for c in covers(rules, overrides, zone, start, end) if c.role == role)
    holes, cursor = [], start
    for begins, ends in held:
        if begins > cursor:
            holes.append((cursor, begins))
        cursor = max(cursor, ends)
    if cursor < end:
        holes.append((cursor, end))
    return holes


def next_cover_start(rules: Sequence[ShiftRule], overrides: Sequence[Override], zone: ZoneInfo,
                     after: datetime, role: str = PRIMARY, horizon_days: int = 14) -> datetime | None:
    """When someone next holds ``role``: what a person is told during a gap."""
    holes = gaps(rules, overrides, zone, after, after + timedelta(days=horizon_days), role)
    if not holes or holes[0][0] > after:
        return after
    first_gap_end = holes[0][1]
    return first_gap_end if first_gap_end < after + timedelta(days=horizon_days) else None


def _shift_covers(rules: Iterable[ShiftRule], zone: ZoneInfo, start: datetime, end: datetime) -> list[Cover]:
    first = start.astimezone(zone).date() - timedelta(days=1)  # yesterday's overnight shift
    last = end.astimezone(zone).date()
    found = []
    day = first
    while day <= last:
        for rule in rules:
            if rule.weekday == day.weekday():
                begins, ends = occurrence(rule, day, zone)
                if begins < end and ends > start:
                    found.append(Cover(rule.mentor_id, rule.role, begins, ends, f"shift:{rule.id}"))
        day += timedelta(days=1)
    return found


def _without(result: list[Cover], override: Override) -> list[Cover]:
    """Cut the override's period out of the covers it displaces."""
    kept = []
    for cover in result:
        displaced = (cover.mentor_id == override.mentor_id if override.kind == "off"
                     else cover.role == override.role)
        if not displaced or cover.ends_at <= override.starts_at or cover.starts_at >= override.ends_at:
            kept.append(cover)
            continue
        if cover.starts_at < override.starts_at:
            kept.append(Cover(cover.mentor_id, cover.role, cover.starts_at, override.starts_at, cover.source))
        if cover.ends_at > override.ends_at:
            kept.append(Cover(cover.mentor_id, cover.role, override.ends_at, cover.ends_at, cover.source))
    return kept
