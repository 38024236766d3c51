"""``helpline people export | erase | hold`` (subject rights) and ``helpline purge`` (retention).

Every change is audited; nothing printed here holds a phone number, a chat id or what a person
wrote: the export's contents go to its file (or standard output when asked), only counts to the
terminal. Operators script against these commands: keep names and options stable.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from bot.cli_db import run_command
from bot.cli_referrals import console, people_app
from bot.settings import Settings
from storage.types import utcnow

ACTOR = "cli"


def _refuse(option: str, message: str) -> None:
    typer.echo(f"helpline: {option}: {message}", err=True)
    raise typer.Exit(2)


@people_app.command("export")
def people_export(
    person: str = typer.Option(..., "--person", metavar="ID", help="The person's numeric id or alias (P-XXXXXX)"),
    out: Optional[Path] = typer.Option(None, "--out", metavar="FILE",
                                       help="Write the JSON to FILE (made readable by its owner only); "
                                            "default: standard output"),
) -> None:
    """Everything held about a person, as JSON, for a subject access request (audited)."""
    from storage import subject

    async def work(session: Any, settings: Settings) -> None:
        found = await subject.find(session, person)
        data = await subject.export(session, found, utcnow(), ACTOR)
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        if out is None:
            sys.stdout.write(text + "\n")
            return
        try:
            descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        except OSError as error:
            raise ValueError(f"--out: cannot write {out}: {error.strerror or error}") from None
        console.print(f"wrote everything held about {found.alias} to {out}")

    run_command(work)


@people_app.command("erase")
def people_erase(
    person: str = typer.Option(..., "--person", metavar="ID", help="The person's numeric id or alias (P-XXXXXX)"),
    reason: str = typer.Option(..., "--reason", help="Why (e.g. the request's reference); no personal details"),
) -> None:
    """Erase a person: their numbers and chat ids, what they wrote, notes, transcripts, recordings'
    links and referral contents; the alias and the counts reports need stay. Refused under a
    legal hold or while they have an open contact."""
    from storage import subject

    if not reason.strip():
        _refuse("--reason", "say why (e.g. the erasure request's reference)")

    async def work(session: Any, settings: Settings) -> None:
        found = await subject.find(session, person)
        done = await subject.erase(session, found, reason, utcnow(), ACTOR)
        c = done.counts
        console.print(f"erased {done.alias}: {done.identities} identit{'y' if done.identities == 1 else 'ies'}, "
                      f"{c.contacts} contact(s), {c.messages} message(s), {c.notes} note(s), "
                      f"{c.recordings} recording link(s), {c.referrals} referral(s), {done.opt_outs} opt-out(s); "
                      "counts kept")

    run_command(work)


@people_app.command("hold")
def people_hold(
    person: str = typer.Option(..., "--person", metavar="ID", help="The person's numeric id or alias (P-XXXXXX)"),
    reason: Optional[str] = typer.Option(None, "--reason", help="Why the records must be kept (e.g. a court order's reference)"),
    release: bool = typer.Option(False, "--release", help="Release the hold"),
) -> None:
    """Place a legal hold on a person (nothing about them is purged or erased) or release it."""
    from storage import subject

    if release == bool(reason and reason.strip()):
        _refuse("--reason", "give --reason TEXT to place a hold, or --release to release it")

    async def work(session: Any, settings: Settings) -> None:
        found = await subject.find(session, person)
        changed = await subject.set_hold(session, found, None if release else reason, utcnow(), ACTOR)
        if release:
            console.print(f"legal hold on {found.alias} released" if changed else f"{found.alias} has no legal hold")
        else:
            console.print(f"legal hold on {found.alias}: nothing about them is purged or erased until released"
                          if changed else f"{found.alias} is already under this legal hold")

    run_command(work)


def purge(dry_run: bool = typer.Option(False, "--dry-run", help="Count what would be erased; change nothing")) -> None:
    """Erase texts past their retention period (HELPLINE_RETENTION_MONTHS after a contact closed,
    HELPLINE_REFERRAL_RETENTION_MONTHS after a referral ended), keeping what reports count.
    The service does this daily; audited."""
    from storage import retention

    async def work(session: Any, settings: Settings) -> None:
        counts = await retention.purge(session, utcnow(), months=settings.retention_months,
                                       referral_months=settings.referral_retention_months,
                                       dry_run=dry_run, actor=ACTOR)
        head = "would erase" if dry_run else "erased"
        console.print(f"{head}: texts of {counts.contacts} contact(s) closed over {settings.retention_months} "
                      f"months ago ({counts.messages} message(s), {counts.outbox} outbound, {counts.notes} note(s), "
                      f"{counts.recordings} recording link(s), {counts.corrections} correction reason(s)); "
                      f"{counts.referrals} referral(s) ended over {settings.referral_retention_months} months ago; "
                      f"{counts.held_people} person(s) skipped under a legal hold")

    run_command(work)
