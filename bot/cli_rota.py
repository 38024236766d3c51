"""``helpline mentors`` and ``helpline rota``: the on-call team, managed from a terminal.

Operators script against these commands: keep names and options stable.
"""

from __future__ import annotations

from functools import partial
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from bot.cli_db import run_command, settings_or_exit
from bot.settings import Settings
from escalation import rota, wellbeing
from storage import mentors as mentor_store
from storage import rota as rota_store
from storage.types import utcnow

mentors_app = typer.Typer(help="Mentors and coordinators.", no_args_is_help=True)
rota_app = typer.Typer(help="The on-call rota: weekly shifts, overrides, gaps.", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)
INVITE_VALID = timedelta(days=7)


_run = partial(run_command, unknown_exit=1)  # one transaction; a domain error exits 1

@mentors_app.command("add")
def mentors_add(
    name: str = typer.Option(..., "--name", help="Full name; mentors see each other's first names."),
    role: str = typer.Option("mentor", "--role", help="mentor or coordinator"),
    phone: Optional[str] = typer.Option(None, "--phone", help="E.164, e.g. +447700900123 (SMS fallback)"),
    languages: str = typer.Option("en", "--languages", help="Comma-separated: en,nl,it"),
) -> None:
    """Add a mentor or coordinator."""
    from handlers.phone import normalise_phone

    if role not in ("mentor", "coordinator"):
        raise typer.BadParameter("use mentor or coordinator", param_hint="--role")
    number = normalise_phone(phone)[0] if phone else None
    if phone and not (number or "").startswith("+"):
        raise typer.BadParameter(f"{phone!r} is not a phone number", param_hint="--phone")
    langs = [code.strip() for code in languages.split(",") if code.strip()]

    async def work(session: Any, settings: Settings) -> None:
        added = await mentor_store.add_mentor(session, name=name, role=role, languages=langs,
                                              phone=number, now=utcnow())
        console.print(f"added {added.role} {added.name} (id {added.id}); "
                      f"link Telegram with: helpline mentors invite \"{added.name}\"")

    _run(work)


@mentors_app.command("list")
def mentors_list() -> None:
    """List mentors: role, languages, channels, active."""

    async def work(session: Any, settings: Settings) -> None:
        table = Table("name", "role", "languages", "telegram", "phone", "calls", "active")
        for m in await mentor_store.all_mentors(session):
            table.add_row(m.name, m.role, ",".join(m.languages), "linked" if m.has_telegram else "-",
                          "yes" if m.has_phone else "-", m.call_window if m.has_phone else "-",
                          "yes" if m.active else "no")
        console.print(table)

    _run(work)


@mentors_app.command("calls")
def mentors_calls(name: str = typer.Argument(..., help="The mentor's name"),
                  window: str = typer.Argument(..., help="always, never, or local hours like 22:00-08:00")) -> None:
    """When the helpline may ring a mentor's phone to wake them (an emergency, a missed deadline
    at night). The chain's last step rings everyone on call whatever this says."""

    async def work(session: Any, settings: Settings) -> None:
        mentor = await mentor_store.by_name(session, name)
        chosen = await mentor_store.set_call_window(session, mentor.id, window)
        console.print(f"{mentor.name} may be called: {chosen}")

    _run(work)


@mentors_app.command("deactivate")
def mentors_deactivate(name: str = typer.Argument(..., help="The mentor's name")) -> None:
    """Stop alerting a mentor (their history stays) and disable their dashboard log-in."""

    async def work(session: Any, settings: Settings) -> None:
        from bot.account_admin import deactivate_mentor
        from bot.cli_users import cli_actor

        mentor = await mentor_store.by_name(session, name)
        accounts = await deactivate_mentor(session, mentor, cli_actor(), utcnow())
        console.print(f"{mentor.name} will no longer be alerted"
                      + (f"; dashboard log-in {', '.join(accounts)} disabled" if accounts else ""))

    _run(work)


@mentors_app.command("invite")
def mentors_invite(name: str = typer.Argument(..., help="The mentor's name")) -> None:
    """Print a one-time Telegram link (valid 7 days) that links the mentor's Telegram account."""

    async def work(session: Any, settings: Settings) -> None:
        mentor = await mentor_store.by_name(session, name)
        code = await mentor_store.create_invite(session, mentor.id, utcnow(), INVITE_VALID)
        username = await _bot_username(settings)
        print(f"https://t.me/{username}?start={code}")

    _run(work)


async def _bot_username(settings: Settings) -> str:
    if settings.telegram_bot_username:
        return settings.telegram_bot_username
    if not settings.telegram_token:
        raise ValueError("set HELPLINE_TELEGRAM_BOT_USERNAME (or HELPLINE_TELEGRAM_TOKEN) to make invite links")
    from telegram import Bot

    async with Bot(settings.telegram_token.get_secret_value(), base_url=settings.telegram_api_url) as bot:
        return bot.username


@rota_app.command("add")
def rota_add(
    mentor: str = typer.Option(..., "--mentor", help="Mentor's name"),
    day: str = typer.Option(..., "--day", help="mon..sun"),
    start: str = typer.Option(..., "--from", help="HH:MM local time"),
    end: str = typer.Option(..., "--to", help="HH:MM local time; earlier than --from means overnight"),
    role: str = typer.Option(..., "--role", help="primary or backup"),
    override_caps: Optional[str] = typer.Option(
        None, "--override-caps", metavar="COORDINATOR", help="A coordinator's name: allow a shift past the wellbeing caps (audited)"),
) -> None:
    """Add a weekly shift (refused past the wellbeing caps unless a coordinator overrides)."""
    weekday, starts, ends = _weekday(day), _clock(start, "--from"), _clock(end, "--to")
    _role(role)

    async def work(session: Any, settings: Settings) -> None:
        person = await mentor_store.by_name(session, mentor)
        await rota_store.add_shift(session, mentor_id=person.id, weekday=weekday, starts=starts,
                                   ends=ends, role=role, now=utcnow())
        await _within_caps(session, settings, person, override_caps, f"shift {rota.WEEKDAYS[weekday]} {starts}-{ends}")
        console.print(f"{person.name}: {role} every {rota.WEEKDAYS[weekday]} {starts}-{ends}")

    _run(work)


@rota_app.command("remove")
def rota_remove(
    mentor: str = typer.Option(..., "--mentor"),
    day: str = typer.Option(..., "--day", help="mon..sun"),
    role: Optional[str] = typer.Option(None, "--role", help="only this role"),
) -> None:
    """Remove a mentor's weekly shifts on a day."""
    weekday = _weekday(day)

    async def work(session: Any, settings: Settings) -> None:
        person = await mentor_store.by_name(session, mentor)
        removed = await rota_store.remove_shifts(session, mentor_id=person.id, weekday=weekday, role=role)
        console.print(f"removed {removed} shift(s) of {person.name} on {rota.WEEKDAYS[weekday]}")

    _run(work)


@rota_app.command("override")
def rota_override(
    mentor: str = typer.Option(..., "--mentor"),
    start: str = typer.Option(..., "--from", help="ISO date-time, local unless it has an offset"),
    end: str = typer.Option(..., "--to", help="ISO date-time"),
    role: str = typer.Option(..., "--role", help="primary or backup"),
    kind: str = typer.Option("cover", "--kind", help="cover (replace), extra (add) or off (remove)"),
    note: Optional[str] = typer.Option(None, "--note"),
    override_caps: Optional[str] = typer.Option(
        None, "--override-caps", metavar="COORDINATOR", help="A coordinator's name: allow cover past the wellbeing caps (audited)"),
) -> None:
    """A one-off change to the rota."""
    _role(role)
    if kind not in ("cover", "extra", "off"):
        raise typer.BadParameter("use cover, extra or off", param_hint="--kind")
    settings = settings_or_exit()
    starts_at, ends_at = _instant(start, settings, "--from"), _instant(end, settings, "--to")
    if ends_at <= starts_at:
        raise typer.BadParameter("must be after --from", param_hint="--to")

    async def work(session: Any, settings: Settings) -> None:
        person = await mentor_store.by_name(session, mentor)
        await rota_store.add_override(session, mentor_id=person.id, kind=kind, role=role,
                                      starts_at=starts_at, ends_at=ends_at, note=note, now=utcnow())
        if kind != "off":
            await _within_caps(session, settings, person, override_caps, f"{kind} {role} from {starts_at.isoformat()}")
        console.print(f"{person.name}: {kind} {role} from {_local(starts_at, settings)} to {_local(ends_at, settings)}")

    _run(work)


@rota_app.command("show")
def rota_show(week: bool = typer.Option(False, "--week", help="The coming seven days (default: 24 hours)")) -> None:
    """Who holds each role, from now, in local time."""

    async def work(session: Any, settings: Settings) -> None:
        start, end, rules, overrides = await _rota_ahead(session, timedelta(days=7 if week else 1))
        names = {m.id: m.name for m in await mentor_store.all_mentors(session)}
        table = Table("from", "to", "role", "mentor", "source", title=f"rota ({settings.timezone})")
        for cover in sorted(rota.covers(rules, overrides, settings.zone, start, end),
                            key=lambda c: (c.starts_at, c.role)):
            table.add_row(_local(max(cover.starts_at, start), settings), _local(min(cover.ends_at, end), settings),
                          cover.role, names.get(cover.mentor_id, str(cover.mentor_id)), cover.source)
        console.print(table)
        _print_gaps(rota.gaps(rules, overrides, settings.zone, start, end), settings)

    _run(work)


@rota_app.command("gaps")
def rota_gaps(days: int = typer.Option(14, "--days", min=1, max=92)) -> None:
    """Every period in the coming days without a primary."""

    async def work(session: Any, settings: Settings) -> None:
        start, end, rules, overrides = await _rota_ahead(session, timedelta(days=days))
        _print_gaps(rota.gaps(rules, overrides, settings.zone, start, end), settings)

    _run(work)


async def _within_caps(session: Any, settings: Settings, person: Any, coordinator: Optional[str], what: str) -> None:
    """Refuse (the transaction rolls back) past a cap, unless a coordinator overrides: audited."""
    approver = None
    if coordinator is not None:
        approver = await mentor_store.by_name(session, coordinator)
        if approver.role != "coordinator" or not approver.active:
            raise ValueError(f"{coordinator} is not an active coordinator and cannot override the caps")
    try:
        breach = await wellbeing.enforce_caps(session, settings.zone, settings.caps, person.id, utcnow(), what,
                                              f"mentor:{approver.id}" if approver else None)
    except wellbeing.CapBreached as refused:
        raise ValueError(f"refused: {person.name} would have {refused.breach}; "
                         "a coordinator can allow it with --override-caps NAME") from None
    if breach is not None and approver is not None:
        console.print(f"allowed by {approver.name} past the cap: {breach} (recorded in the audit log)")


async def _rota_ahead(session: Any, span: timedelta) -> tuple[datetime, datetime, Any, Any]:
    start = utcnow().replace(second=0, microsecond=0)
    rules, overrides = await rota_store.load(session, start, start + span)
    return start, start + span, rules, overrides


def _print_gaps(holes: list[tuple[datetime, datetime]], settings: Settings) -> None:
    if not holes:
        console.print("no gaps: a primary is on call every minute")
        return
    for begins, ends in holes:
        minutes = int((ends - begins).total_seconds() // 60)
        console.print(f"GAP {_local(begins, settings)} to {_local(ends, settings)} ({minutes} min without a primary)")


def _local(moment: datetime, settings: Settings) -> str:
    return moment.astimezone(settings.zone).strftime("%a %Y-%m-%d %H:%M")


def _weekday(day: str) -> int:
    try:
        return rota.parse_weekday(day)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--day") from None


def _clock(text: str, option: str) -> str:
    try:
        return rota.parse_time(text).strftime("%H:%M")
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint=option) from None


def _role(role: str) -> None:
    if role not in rota.ROLES:
        raise typer.BadParameter("use primary or backup", param_hint="--role")


def _instant(text: str, settings: Settings, option: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not an ISO date-time like 2026-12-24T22:00", param_hint=option) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=settings.zone)
    return moment.astimezone(timezone.utc)
