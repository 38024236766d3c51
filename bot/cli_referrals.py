"""``helpline agencies``, ``helpline referrals``, ``helpline people`` and ``helpline report sharing``:
the agencies the helpline shares risk with, the referrals made to them, the IOM cohort, and the
information sharing report, from a terminal. Every change is audited (actor ``cli``).

Nothing here prints a person's phone number or what a referral says about them.
Operators script against these commands: keep names and options stable.
"""

from __future__ import annotations

import asyncio
import csv
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Optional

import typer
from rich.console import Console
from rich.table import Table

from bot.cli_db import command_session, run_command, settings_or_exit
from bot.settings import Settings
from storage.types import utcnow

if TYPE_CHECKING:
    from escalation.referrals.report import SharingReport

agencies_app = typer.Typer(help="Agencies risk is shared with (MARAC, IOM, safeguarding): add | list | disable | enable.",
                           no_args_is_help=True)
referrals_app = typer.Typer(help="Referrals to agencies: list.", no_args_is_help=True)
people_app = typer.Typer(help="People: import the IOM cohort; export, erase, hold (subject rights).",
                          no_args_is_help=True)
report_app = typer.Typer(help="Reports: impact (helpline report --from --to) and information sharing "
                              "(helpline report sharing).")
console = Console(highlight=False, soft_wrap=True)
ACTOR = "cli"
EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;.]+")
CHAT_ID = re.compile(r"-?\d{1,20}")
E164 = re.compile(r"\+[1-9]\d{6,14}")


def _e164(raw: str) -> str | None:
    """The number in E.164 form, or None if it is not one in international form."""
    from handlers.phone import normalise_phone

    number = normalise_phone(raw)[0]
    return number if E164.fullmatch(number) else None


def _refuse(option: str, message: str) -> NoReturn:
    """A bad value given on the command line: one line naming the option, exit code 2."""
    typer.echo(f"helpline: {option}: {message}", err=True)
    raise typer.Exit(2)


_run = run_command  # one transaction; an unknown name exits 2, a refused change 1

def _when(moment: datetime | None, settings: Settings) -> str:
    return moment.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M") if moment else "-"


# --- agencies -------------------------------------------------------------------------------

def _address(channel: str, address: str) -> str:
    """The address in the form it is stored and sent to, or a one-line refusal."""
    given = address.strip()
    if channel == "email":
        if not EMAIL.fullmatch(given):
            _refuse("--address", f"{given!r} is not an e-mail address (like marac@example.org)")
        return given
    if channel == "sms":
        number = _e164(given)
        if number is None:
            _refuse("--address", f"{given!r} is not a phone number in international form (E.164, like +447700900123)")
        return number
    if not CHAT_ID.fullmatch(given):
        _refuse("--address", f"{given!r} is not a Telegram chat id (a number, like 123456789 or -1001234567890)")
    return given


def _kinds_accepted(kind: str, accepts: list[str] | None) -> list[str]:
    from escalation.referrals.sharing import share_kinds

    chosen = [k.strip() for value in (accepts or []) for k in value.split(",") if k.strip()] or [kind]
    known = share_kinds()
    for k in chosen:
        if k not in known:
            _refuse("--accepts", f"{k!r} is not a kind of share; use {', '.join(known)}")
    return list(dict.fromkeys(chosen))


def _takes(accepts: tuple[str, ...] | list[str]) -> str:
    from escalation.referrals.sharing import share_label

    return ", ".join(share_label(k) for k in accepts) or "-"


@agencies_app.command("add")
def agencies_add(
    name: str = typer.Argument(..., help="The agency contact's name, as coordinators will choose it"),
    kind: str = typer.Option(..., "--type", help="marac, iom, mappa, safeguarding_adults, safeguarding_children "
                                                 "or emergency (the safeguarding lead)"),
    channel: str = typer.Option(..., "--channel", help="email, sms or telegram"),
    address: str = typer.Option(..., "--address", help="An e-mail address, an E.164 number or a Telegram chat id"),
    area: str = typer.Option("", "--area", help="The area it serves, e.g. Merseyside (none: every area)"),
    accepts: Optional[list[str]] = typer.Option(
        None, "--accepts", metavar="KIND", help="A kind of share it takes (repeat for more); default: its type's own"),
) -> None:
    """Add an agency contact that referrals can be sent to."""
    from storage import agencies, audit
    from storage.agencies import AGENCY_CHANNELS, AGENCY_KINDS

    if kind not in AGENCY_KINDS:
        _refuse("--type", f"{kind!r} is not a type of agency; use {', '.join(AGENCY_KINDS)}")
    if channel not in AGENCY_CHANNELS:
        _refuse("--channel", f"{channel!r} is not a channel; use {', '.join(AGENCY_CHANNELS)}")
    if not name.strip():
        _refuse("NAME", "an agency needs a name")
    where = _address(channel, address)
    takes = _kinds_accepted(kind, accepts)

    async def work(session: Any, settings: Settings) -> None:
        now = utcnow()
        added = await agencies.add_agency(session, kind=kind, area=area, name=name, channel=channel, address=where,
                                          accepts=takes, now=now)
        await audit.record(session, ACTOR, "agency_added", now, agency=added.id, name=added.name, kind=added.kind,
                           area=added.area, channel=added.channel, accepts=list(added.accepts))
        console.print(f"added {added.kind} agency {added.name} ({added.area or 'every area'}), "
                      f"{added.channel} {added.address}; takes: {_takes(added.accepts)}")

    _run(work)


@agencies_app.command("list")
def agencies_list(everything: bool = typer.Option(False, "--all", help="Include disabled agencies")) -> None:
    """List agencies: type, area, channel and address, what they take, active."""
    from storage import agencies

    async def work(session: Any, settings: Settings) -> None:
        found = await agencies.all_agencies(session)
        shown = found if everything else [a for a in found if a.active]
        if not shown:
            console.print("no agencies" + ("" if everything or not found else " active (see --all)")
                          + ": add one with helpline agencies add")
            return
        table = Table("name", "type", "area", "channel", "address", "takes", "active")
        for a in shown:
            table.add_row(a.name, a.kind, a.area or "(every area)", a.channel, a.address, _takes(a.accepts),
                          "yes" if a.active else "no")
        console.print(table)
        hidden = len(found) - len(shown)
        if hidden:
            console.print(f"{hidden} disabled agenc{'y' if hidden == 1 else 'ies'} not shown (--all shows them)")

    _run(work)


def _set_active(name: str, active: bool) -> None:
    from storage import agencies, audit

    async def work(session: Any, settings: Settings) -> None:
        found = await agencies.by_name(session, name)
        if found.active == active:
            console.print(f"{found.name} is already {'enabled' if active else 'disabled'}")
            return
        changed = await agencies.set_active(session, found.id, active)
        await audit.record(session, ACTOR, "agency_enabled" if active else "agency_disabled", utcnow(),
                           agency=changed.id, name=changed.name)
        console.print(f"{changed.name} can be sent referrals again" if active
                      else f"{changed.name} is disabled: no referral will be sent to it")

    _run(work)


@agencies_app.command("disable")
def agencies_disable(name: str = typer.Argument(..., help="The agency's name")) -> None:
    """Stop sending referrals to an agency (its history stays)."""
    _set_active(name, False)


@agencies_app.command("enable")
def agencies_enable(name: str = typer.Argument(..., help="The agency's name")) -> None:
    """Send referrals to a disabled agency again."""
    _set_active(name, True)


# --- referrals ------------------------------------------------------------------------------

@referrals_app.command("list")
def referrals_list(pending: bool = typer.Option(False, "--pending", help="Only those waiting for someone")) -> None:
    """Referrals, those waiting first: reference, kind, contact, agency, state, criteria, basis and
    times (local). No personal data: the dashboard shows a referral's details to those who may see them."""
    from escalation.referrals.sharing import describe, share_label
    from escalation.referrals.workflow import reference
    from storage import agencies
    from storage import referrals as store

    async def work(session: Any, settings: Settings) -> None:
        found = await store.listing(session, pending_only=pending)
        if not found:
            console.print("no pending referrals" if pending else "no referrals")
            return
        names = {a.id: a.name for a in await agencies.all_agencies(session)}
        table = Table("ref", "kind", "contact", "agency", "state", "criteria", "basis", "proposed", "sent",
                      "acknowledged", title=f"referrals ({settings.timezone})")
        for r in found:
            table.add_row(reference(r.id), share_label(r.kind), f"#{r.contact_id}",
                          names.get(r.agency_id, "-") if r.agency_id else "-", r.state,
                          ", ".join(r.criteria or ()) or "-", describe(r.basis), _when(r.proposed_at, settings),
                          _when(r.sent_at, settings), _when(r.acknowledged_at, settings))
        console.print(table)

    _run(work)


# --- people: the IOM cohort -----------------------------------------------------------------

YES, NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0")


@dataclass
class _Row:
    line: int
    person_id: int | None  # None: a new person, made with ``phone``
    phone: str | None
    cohort: bool
    case_ref: str | None
    agency_id: int | None


@people_app.command("import")
def people_import(
    file: Path = typer.Argument(..., metavar="FILE.csv",
                                help="Header row; columns phone or alias, case_ref, iom_contact, in_cohort (optional)"),
    create: bool = typer.Option(False, "--create", help="Add a person for a phone number the helpline does not know"),
) -> None:
    """Import the IOM cohort: each person's case reference and IOM contact (an agency that takes IOM
    notifications). The whole file is checked first; nothing changes if any line is wrong."""
    rows, header_errors = _read_csv(file)
    if header_errors:
        typer.echo(f"helpline: {file}: {header_errors}", err=True)
        raise typer.Exit(2)

    async def work(session: Any, settings: Settings) -> None:
        from storage import audit, people

        planned, skipped, errors = await _check_cohort(session, rows, create)
        if errors:
            for error in errors:
                typer.echo(f"helpline: {file.name} {error}", err=True)
            raise ValueError(f"nothing imported: {len(errors)} line(s) to correct in {file.name}")
        now = utcnow()
        updated = created = 0
        for row in planned:
            person_id = row.person_id
            if person_id is None:
                assert row.phone is not None
                person_id = (await people.create_person(session, "phone", row.phone, now)).id
                created += 1
            else:
                updated += 1
            await people.set_iom(session, person_id, cohort=row.cohort, case_ref=row.case_ref, agency_id=row.agency_id)
        await audit.record(session, ACTOR, "iom_cohort_imported", now, updated=updated, created=created,
                           skipped=len(skipped), in_cohort=sum(1 for r in planned if r.cohort),
                           left_cohort=sum(1 for r in planned if not r.cohort))
        for note in skipped:
            console.print(f"{file.name} {note}: skipped")
        console.print(f"IOM cohort imported from {file.name}: {updated} updated, {created} created, "
                      f"{len(skipped)} skipped")

    _run(work)


def _read_csv(file: Path) -> tuple[list[tuple[int, dict[str, str]]], str | None]:
    """The data rows with their line numbers, keyed by lower-case column; or what is wrong with the file."""
    try:
        with file.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [h.strip().lower() for h in next(reader, [])]
            rows = []
            for values in reader:
                if any(v.strip() for v in values):
                    rows.append((reader.line_num, {h: (values[i].strip() if i < len(values) else "")
                                                   for i, h in enumerate(header) if h}))
    except FileNotFoundError:
        return [], "no such file"
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        return [], f"cannot be read as a UTF-8 CSV file ({type(error).__name__})"
    if "phone" not in header and "alias" not in header:
        return [], "the header row needs a phone or an alias column"
    missing = [c for c in ("case_ref", "iom_contact") if c not in header]
    if missing:
        return [], f"the header row has no {' or '.join(missing)} column"
    return rows, None


async def _check_cohort(session: Any, rows: list[tuple[int, dict[str, str]]],
                        create: bool) -> tuple[list[_Row], list[str], list[str]]:
    """Every line checked against the database before anything changes: the rows to apply, the
    lines skipped (unknown people) and the errors. No message repeats a phone number."""
    from escalation.referrals.sharing import share_label
    from storage import agencies, people

    by_name = {a.name: a for a in await agencies.all_agencies(session)}
    planned: list[_Row] = []
    skipped: list[str] = []
    errors: list[str] = []
    seen: dict[tuple[str, Any], int] = {}
    wrong = errors.append
    for line, row in rows:
        phone, alias = row.get("phone", ""), row.get("alias", "")
        flag = row.get("in_cohort", "").lower() or "yes"
        if flag not in YES + NO:
            wrong(f"line {line}: in_cohort must be yes or no")
            continue
        cohort = flag in YES
        case_ref = row.get("case_ref", "") or None
        if case_ref and len(case_ref) > 40:
            wrong(f"line {line}: case_ref is longer than 40 characters")
            continue
        contact = row.get("iom_contact", "")
        agency_id = None
        if contact:
            found = by_name.get(contact)
            if found is None:
                wrong(f"line {line}: no agency called {contact!r} (see: helpline agencies list)")
                continue
            if not found.active:
                wrong(f"line {line}: agency {contact!r} is disabled")
                continue
            if "iom" not in found.accepts:
                wrong(f"line {line}: {contact!r} does not take {share_label('iom')}s (it takes: {_takes(found.accepts)})")
                continue
            agency_id = found.id
        elif cohort:
            wrong(f"line {line}: iom_contact is empty (the IOM team to tell of this person's risk)")
            continue
        if cohort and not case_ref:
            wrong(f"line {line}: case_ref is empty")
            continue
        if not phone and not alias:
            wrong(f"line {line}: give a phone or an alias")
            continue
        number = None
        person = None
        if phone:
            number = _e164(phone)
            if number is None:
                wrong(f"line {line}: the phone is not a number in international form (+ and the country code first)")
                continue
            person = await people.find_person(session, "phone", number)
        if alias:
            named = await people.by_alias(session, alias)
            if phone and person is not None and (named is None or named.id != person.id):
                wrong(f"line {line}: the alias {alias!r} is not the person with that phone")
                continue
            if not phone:
                person = named
                if person is None:
                    skipped.append(f"line {line}: no person with the alias {alias!r}"
                                   + (" (only a phone can add a person)" if create else ""))
                    continue
        if person is None:
            if not create:
                skipped.append(f"line {line}: no person with that phone (--create adds them)")
                continue
            if alias:
                wrong(f"line {line}: no person with that phone, so the alias {alias!r} cannot be theirs")
                continue
        key = ("person", person.id) if person is not None else ("new", number)
        if key in seen:
            wrong(f"line {line}: the same person as line {seen[key]}")
            continue
        seen[key] = line
        planned.append(_Row(line, person.id if person is not None else None, number, cohort, case_ref, agency_id))
    return planned, skipped, errors


# --- reports --------------------------------------------------------------------------------

def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        _refuse(option, f"{text!r} is not a date; use YYYY-MM-DD")


@report_app.callback(invoke_without_command=True)
def report_main(
    ctx: typer.Context,
    start: Optional[str] = typer.Option(None, "--from", help="First day, YYYY-MM-DD (local)"),
    end: Optional[str] = typer.Option(None, "--to", help="Last day, YYYY-MM-DD (included)"),
    output: str = typer.Option("table", "--format", help="table, csv or json"),
) -> None:
    """Sessions delivered and people mentored against the pro-rated targets, and the service's
    measures (helpline report --from --to). The information sharing report: helpline report sharing."""
    if ctx.invoked_subcommand is not None:
        return
    if start is None:
        ctx.fail("Missing option '--from'.")
    if end is None:
        ctx.fail("Missing option '--to'.")
    from bot.cli_report import report

    report(start, end, output)


@report_app.command("sharing")
def report_sharing(
    start: Optional[str] = typer.Option(None, "--from", help="First day, YYYY-MM-DD (local); default: 12 months ago"),
    end: Optional[str] = typer.Option(None, "--to", help="Last day, YYYY-MM-DD (included); default: today"),
    to_csv: Optional[Path] = typer.Option(None, "--csv", metavar="FILE", help="Also write the report's lines to FILE"),
) -> None:
    """The information sharing report: shares per month, by agency, kind and lawful basis, how many
    and how fast agencies acknowledged them."""
    settings = settings_or_exit()
    today = utcnow().astimezone(settings.zone).date()
    last = _day(end, "--to") if end else today
    first = _day(start, "--from") if start else _months_before(last.replace(day=1), 11)
    if last < first:
        _refuse("--to", "must not be before --from")
    _run_sharing(settings, first, last, to_csv)


def _run_sharing(settings: Settings, first: date, last: date, to_csv: Optional[Path]) -> None:
    from escalation.referrals.report import sharing_report

    async def go() -> SharingReport:
        async with command_session(settings) as session:
            begins = datetime.combine(first, time.min, tzinfo=settings.zone).astimezone(timezone.utc)
            ends = datetime.combine(last + timedelta(days=1), time.min, tzinfo=settings.zone).astimezone(timezone.utc)
            return await sharing_report(session, begins, ends, settings.zone)

    result = asyncio.run(go())
    _print_sharing(result, first, last)
    if to_csv is not None:
        try:
            with to_csv.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["month", "agency", "kind", "basis", "shared", "acknowledged", "median_hours_to_ack"])
                writer.writerows([line.month, line.agency, line.kind, line.basis, line.shared, line.acknowledged,
                                  "" if line.median_hours_to_ack is None else line.median_hours_to_ack]
                                 for line in result.lines)
        except OSError as error:
            _refuse("--csv", f"cannot write {to_csv}: {error.strerror or error}")
        console.print(f"wrote {len(result.lines)} line(s) to {to_csv}")


def _months_before(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _months(first: date, last: date) -> list[str]:
    found, at = [], first.replace(day=1)
    while at <= last:
        found.append(f"{at:%Y-%m}")
        at = _months_before(at, -1)
    return found


def _print_sharing(result: SharingReport, first: date, last: date) -> None:
    title = f"Information sharing {first} to {last}"
    if not result.lines:
        console.print(f"{title}: no shares sent")
        return
    counts = dict(result.by_month)
    growth = Table("month", "shares", title=f"{title}: shares per month")
    for month in sorted(set(_months(first, last)) | set(counts)):
        growth.add_row(month, str(counts.get(month, 0)))
    console.print(growth)
    detail = Table("month", "agency", "kind", "basis", "shared", "acknowledged", "median hours to ack",
                   title="by agency, kind and lawful basis")
    for line in result.lines:
        detail.add_row(line.month, line.agency, line.kind, line.basis, str(line.shared), str(line.acknowledged),
                       "-" if line.median_hours_to_ack is None else f"{line.median_hours_to_ack:g}")
    console.print(detail)
    console.print("by basis: " + ", ".join(f"{basis} {count}" for basis, count in result.by_basis))
    console.print(f"{result.total} share(s); {result.unacknowledged} not acknowledged")
