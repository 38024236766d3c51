"""The rota as plain values: a weekly shift rule and a one-off override. Storage builds them
from rows and ``escalation.rota`` reasons over them, so they live here, below both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time


@dataclass(frozen=True)
class ShiftRule:
    """Every week on ``weekday`` (0 = Monday) from ``starts`` to ``ends``, local time."""

    mentor_id: int
    weekday: int
    starts: time
    ends: time
    role: str
    id: int | None = None


@dataclass(frozen=True)
class Override:
    """``cover``: take ``role`` for the period, replacing whoever had it; ``extra``: add cover;
    ``off``: take the mentor off every role for the period."""

    mentor_id: int
    kind: str
    role: str
    starts_at: datetime
    ends_at: datetime
    id: int | None = None


def parse_time(text: str) -> time:
    """"22:00" -> time(22, 0); a clear error for anything else."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"{text!r} is not a time of day like 22:00") from None


