"""The partnership's impact figures: sessions delivered and people mentored against targets,
with the red / amber / green status it reports to funders, and the service's own measures.

Pure functions over rows the storage layer fetched, so the dashboard and ``helpline report``
print the same numbers.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from storage.reports import ReplyRow, SessionRow

COUNTED_OUTCOMES = ("support given", "signposted", "referred")  # a session delivered; not test, no reply


@dataclass(frozen=True)
class Targets:
    sessions: int = 7000
    people: int = 263
    programme_days: int = 1096  # three years
    amber_from: float = 0.85  # share of the pro-rated target below which a figure is red

    def pro_rated(self, days: int) -> tuple[int, int]:
        share = days / self.programme_days
        return math.ceil(self.sessions * share), math.ceil(self.people * share)


@dataclass
class Report:
    period_from: str
    period_to: str
    days: int
    sessions_delivered: int
    people_mentored: int
    sessions_target: int
    people_target: int
    sessions_rag: str
    people_rag: str
    rag: str
    closed_no_reply: int = 0
    sessions_by_week: list[tuple[str, int]] = field(default_factory=list)
    sessions_by_month: list[tuple[str, int]] = field(default_factory=list)
    first_reply_minutes: dict[str, dict[str, float | int | None]] = field(default_factory=dict)
    alerts: int = 0
    alerts_past_first: int = 0
    pathways: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    mentors: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def rag(actual: int, target: int, amber_from: float) -> str:
    if target <= 0 or actual >= target:
        return "green"
    return "amber" if actual >= amber_from * target else "red"


def worst(*statuses: str) -> str:
    return max(statuses, key=("green", "amber", "red").index)


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile: a value that really occurred, as a coordinator would read it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def by_week(days: Iterable[date], start: date, end: date) -> list[tuple[str, int]]:
    """Sessions per ISO week (labelled by its Monday), every week of the period, empty ones too."""
    counts = Counter(d - timedelta(days=d.weekday()) for d in days)
    monday = start - timedelta(days=start.weekday())
    weeks = []
    while monday <= end:
        weeks.append((monday.isoformat(), counts.get(monday, 0)))
        monday += timedelta(days=7)
    return weeks


def by_month(days: Iterable[date], start: date, end: date) -> list[tuple[str, int]]:
    counts = Counter(d.strftime("%Y-%m") for d in days)
    months, cursor = [], start.replace(day=1)
    while cursor <= end:
        months.append((cursor.strftime("%Y-%m"), counts.get(cursor.strftime("%Y-%m"), 0)))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return months


def build_report(start: date, end: date, zone: ZoneInfo, targets: Targets, sessions: Sequence[SessionRow],
                 replies: Sequence[ReplyRow], alerts: int, alerts_past_first: int, closed_no_reply: int,
                 hours_on_call: dict[str, float], contacts_handled: dict[str, int]) -> Report:
    """``start`` and ``end`` are local dates, both included."""
    days = (end - start).days + 1
    delivered = [s for s in sessions if s.outcome in COUNTED_OUTCOMES]
    people = len({s.person_id for s in delivered})
    sessions_target, people_target = targets.pro_rated(days)
    s_rag, p_rag = rag(len(delivered), sessions_target, targets.amber_from), rag(people, people_target, targets.amber_from)
    local_days = [s.closed_at.astimezone(zone).date() for s in delivered]
    return Report(
        start.isoformat(), end.isoformat(), days, len(delivered), people, sessions_target, people_target,
        s_rag, p_rag, worst(s_rag, p_rag), closed_no_reply,
        by_week(local_days, start, end), by_month(local_days, start, end),
        _reply_times(replies), alerts, alerts_past_first,
        dict(Counter(p for s in delivered for p in s.pathways).most_common()),
        dict(Counter(s.outcome or "none" for s in sessions).most_common()),
        [{"mentor": name, "hours_on_call": round(hours_on_call.get(name, 0.0), 1),
          "contacts_handled": contacts_handled.get(name, 0)}
         for name in sorted(set(hours_on_call) | set(contacts_handled))],
    )


def _reply_times(replies: Sequence[ReplyRow]) -> dict[str, dict[str, float | int | None]]:
    out: dict[str, dict[str, float | int | None]] = {}
    for level in ("emergency", "high", "medium", "low"):
        minutes = [r.minutes for r in replies if r.level == level]
        median, p90 = percentile(minutes, 0.5), percentile(minutes, 0.9)
        out[level] = {"contacts": len(minutes), "median": None if median is None else round(median, 1),
                      "p90": None if p90 is None else round(p90, 1)}
    return out
