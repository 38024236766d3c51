"""The rota as a week calendar (primary and backup per hour, gaps in red) and its editing, with
the volunteer wellbeing caps enforced as on the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from escalation import rota, wellbeing
from bot.web.setup import current_user
from handlers.dashboard.common import back, coordinator, day_of, form, moment_of, record, services, transaction
from storage.types import row_id
from storage import mentors as mentor_store
from storage import rota as rota_store


@dataclass(frozen=True)
class Hour:
    starts_at: datetime
    primary: tuple[str, ...]
    backup: tuple[str, ...]
    gap: bool


def _monday(request: web.Request) -> date:
    zone = services(request).settings.zone
    day = day_of(request.query.get("week"), "week") or services(request).clock().astimezone(zone).date()
    return day - timedelta(days=day.weekday())


def week_grid(rules: list[rota.ShiftRule], overrides: list[rota.Override], names: dict[int, str],
              zone: Any, monday: date) -> list[list[Hour]]:
    """24 rows of 7 hours (one per day), each with who holds each role and whether it is a gap."""
    start = datetime.combine(monday, time(0), zone)
    end = datetime.combine(monday + timedelta(days=7), time(0), zone)
    covers = rota.covers(rules, overrides, zone, start, end)
    holes = rota.gaps(rules, overrides, zone, start, end)
    grid = []
    for hour in range(24):
        row = []
        for day in range(7):
            begins = datetime.combine(monday + timedelta(days=day), time(hour), zone)
            ends = begins + timedelta(hours=1)
            here = [c for c in covers if c.starts_at < ends and c.ends_at > begins]
            row.append(Hour(begins, tuple(dict.fromkeys(names.get(c.mentor_id, "?") for c in here if c.role == rota.PRIMARY)),
                            tuple(dict.fromkeys(names.get(c.mentor_id, "?") for c in here if c.role == rota.BACKUP)),
                            any(b < ends and e > begins for b, e in holes)))
        grid.append(row)
    return grid


@aiohttp_jinja2.template("rota.html")
async def rota_page(request: web.Request) -> dict[str, Any]:
    monday, zone = _monday(request), services(request).settings.zone
    start, end = datetime.combine(monday, time(0), zone), datetime.combine(monday + timedelta(days=7), time(0), zone)
    async with services(request).sessions() as session:
        rules, overrides = await rota_store.load(session, start, end)
        shifts, override_rows = await rota_store.shifts_and_overrides(session, start, end)
        mentors = await mentor_store.all_mentors(session)
    names = {m.id: m.name for m in mentors}
    return {"grid": week_grid(rules, overrides, names, zone, monday), "monday": monday,
            "days": [monday + timedelta(days=d) for d in range(7)], "weekdays": rota.WEEKDAYS,
            "previous": monday - timedelta(days=7), "following": monday + timedelta(days=7),
            "shifts": shifts, "overrides": override_rows, "names": names,
            "mentors": [m for m in mentors if m.active], "zone": services(request).settings.timezone,
            "notice": request.query.get("notice"), "error": request.query.get("error")}


async def _enforce_caps(session: AsyncSession, request: web.Request, mentor_id: int, allow: bool, what: str) -> str | None:
    """Refuse past a cap (the caller's transaction rolls back) unless the coordinator ticked the
    override, which is audited with the breach."""
    settings = services(request).settings
    try:
        return await wellbeing.enforce_caps(session, settings.zone, settings.caps, mentor_id, services(request).clock(),
                                            what, current_user(request).actor if allow else None)
    except wellbeing.CapBreached as refused:
        raise back("/dash/rota", error=f"Refused: that would give {refused.breach}. Tick 'allow past the caps' "
                                       "to override (it is recorded in the audit log).") from None


def _mentor_id(fields: dict[str, str]) -> int:
    raw = fields.get("mentor_id", "")
    if row_id(raw) is None:
        raise back("/dash/rota", error="Choose a mentor.")
    return int(raw)


async def add_shift(request: web.Request) -> web.Response:
    coordinator(request)
    fields = await form(request)
    mentor_id = _mentor_id(fields)
    try:
        weekday = rota.parse_weekday(fields.get("weekday", ""))
        starts, ends = rota.parse_time(fields.get("starts", "")), rota.parse_time(fields.get("ends", ""))
    except ValueError as error:
        raise back("/dash/rota", error=str(error)) from None
    role = fields.get("role", "")
    if role not in (rota.PRIMARY, rota.BACKUP) or starts == ends:
        raise back("/dash/rota", error="Choose primary or backup, and different start and end times.")
    what = f"shift {rota.WEEKDAYS[weekday]} {starts:%H:%M}-{ends:%H:%M} {role}"
    async with transaction(request) as session:
        await rota_store.add_shift(session, mentor_id=mentor_id, weekday=weekday, starts=f"{starts:%H:%M}",
                                   ends=f"{ends:%H:%M}", role=role, now=services(request).clock())
        breach = await _enforce_caps(session, request, mentor_id, fields.get("override_caps") == "on", what)
        await record(session, request, "rota_shift_added", mentor_id=mentor_id, change=what)
    raise back("/dash/rota", notice=f"Added {what}" + (f" (past the cap: {breach})" if breach else "."))


async def add_override(request: web.Request) -> web.Response:
    coordinator(request)
    fields = await form(request)
    mentor_id, zone = _mentor_id(fields), services(request).settings.zone
    kind, role = fields.get("kind", ""), fields.get("role", "")
    starts_at, ends_at = moment_of(fields.get("starts_at"), zone), moment_of(fields.get("ends_at"), zone)
    if starts_at is None or ends_at is None:
        raise back("/dash/rota", error="Give the start and end as date and time.")
    if kind not in ("cover", "extra", "off") or role not in (rota.PRIMARY, rota.BACKUP) or ends_at <= starts_at:
        raise back("/dash/rota", error="Choose a kind and role, and an end after the start.")
    what = f"{kind} {role} {starts_at:%Y-%m-%d %H:%M} to {ends_at:%Y-%m-%d %H:%M}"
    async with transaction(request) as session:
        await rota_store.add_override(session, mentor_id=mentor_id, kind=kind, role=role, starts_at=starts_at,
                                      ends_at=ends_at, note=fields.get("note", "")[:200] or None,
                                      now=services(request).clock())
        breach = None
        if kind != "off":
            breach = await _enforce_caps(session, request, mentor_id, fields.get("override_caps") == "on", what)
        await record(session, request, "rota_override_added", mentor_id=mentor_id, change=what)
    raise back("/dash/rota", notice=f"Added {what}" + (f" (past the cap: {breach})" if breach else "."))


async def remove_entry(request: web.Request) -> web.Response:
    coordinator(request)
    kind, raw = request.match_info["kind"], request.match_info["entry_id"]
    if kind not in ("shifts", "overrides") or row_id(raw) is None:
        raise web.HTTPNotFound()
    async with transaction(request) as session:
        removed = await (rota_store.remove_shift if kind == "shifts" else rota_store.remove_override)(session, int(raw))
        if removed:
            await record(session, request, f"rota_{kind[:-1]}_removed", entry_id=int(raw))
    raise back("/dash/rota", notice="Removed." if removed else None, error=None if removed else "Already gone.")
