"""The information sharing report: how much the partnership shares, with whom, on what basis,
and how quickly agencies acknowledge. Funders ask to see it grow, month by month."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timezone, tzinfo
from statistics import median

from sqlalchemy.ext.asyncio import AsyncSession

from escalation.referrals.sharing import share_label
from storage import referrals as store


@dataclass(frozen=True)
class Line:
    """One row of the report: a month, an agency, a kind of share and a basis."""

    month: str
    agency: str
    kind: str
    basis: str
    shared: int
    acknowledged: int
    median_hours_to_ack: float | None


@dataclass(frozen=True)
class SharingReport:
    start: datetime
    end: datetime
    lines: tuple[Line, ...]
    by_month: tuple[tuple[str, int], ...]  # shares per month, oldest first: the growth
    by_basis: tuple[tuple[str, int], ...]
    unacknowledged: int

    @property
    def total(self) -> int:
        return sum(line.shared for line in self.lines)


async def sharing_report(session: AsyncSession, start: datetime, end: datetime,
                         zone: tzinfo = timezone.utc) -> SharingReport:
    """Months are the helpline's own (a share at 00:30 on 1 June, summer time, is June's)."""
    rows = [replace(r, month=f"{r.sent_at.astimezone(zone):%Y-%m}") for r in await store.shares(session, start, end)]
    groups: dict[tuple[str, str, str, str], list[store.ShareRow]] = defaultdict(list)
    for row in rows:
        groups[(row.month, row.agency, share_label(row.kind), basis_word(row.basis))].append(row)
    lines = []
    for (month, agency, kind, basis), group in sorted(groups.items()):
        hours = [r.hours_to_ack for r in group if r.hours_to_ack is not None]
        lines.append(Line(month, agency, kind, basis, len(group), len(hours),
                          round(median(hours), 1) if hours else None))
    months = Counter(r.month for r in rows)
    bases = Counter(basis_word(r.basis) for r in rows)
    return SharingReport(start, end, tuple(lines), tuple(sorted(months.items())), tuple(sorted(bases.items())),
                         sum(1 for r in rows if r.state in ("sent", "delivered")))


def basis_word(kind: str) -> str:
    return {"consent": "consent", "no_consent": "without consent"}.get(kind, kind)
