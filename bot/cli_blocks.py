"""``helpline people block | unblock | blocks``: the block list, from the command line.

A blocked person's messages are stored on their contact and not routed to mentors (an emergency
still is); coordinators get a daily count. People are named by id or alias, never by number, and
nothing printed here holds a number or what anyone wrote. Block and unblock are audited.
"""

from __future__ import annotations

from typing import Any

import typer

from bot.cli_db import run_command
from bot.cli_referrals import console, people_app
from bot.settings import Settings
from storage.types import utcnow

ACTOR = "cli"


@people_app.command("block")
def people_block(
    person: str = typer.Option(..., "--person", metavar="ID", help="The person's numeric id or alias (P-XXXXXX)"),
    reason: str = typer.Option(..., "--reason", help="Why (e.g. abuse of mentors); no personal details"),
) -> None:
    """Block a person: their messages are stored, not routed to mentors (an emergency still is).
    Coordinators are told daily how many messages they sent. Audited."""
    from storage import blocks, subject

    if not reason.strip():
        typer.echo("helpline: --reason: say why the person is blocked", err=True)
        raise typer.Exit(2)

    async def work(session: Any, settings: Settings) -> None:
        found = await subject.find(session, person)
        if await blocks.block(session, found, reason, utcnow(), ACTOR):
            console.print(f"blocked {found.alias}: their messages are stored, not routed (an emergency still is)")
        else:
            console.print(f"{found.alias} is already blocked")

    run_command(work)


@people_app.command("unblock")
def people_unblock(
    person: str = typer.Option(..., "--person", metavar="ID", help="The person's numeric id or alias (P-XXXXXX)"),
) -> None:
    """Lift a person's block: their next message is routed as anyone's. Audited."""
    from storage import blocks, subject

    async def work(session: Any, settings: Settings) -> None:
        found = await subject.find(session, person)
        lifted = await blocks.lift(session, found, utcnow(), ACTOR)
        console.print(f"block on {found.alias} lifted: their messages are routed again" if lifted
                      else f"{found.alias} is not blocked")

    run_command(work)


@people_app.command("blocks")
def people_blocks() -> None:
    """The people blocked now: alias, since when, by whom and why."""
    from storage import blocks

    async def work(session: Any, settings: Settings) -> None:
        listed = await blocks.listed(session)
        if not listed:
            console.print("nobody is blocked")
            return
        for entry in listed:
            console.print(f"{entry.alias}  since {entry.blocked_at:%Y-%m-%d %H:%M} UTC  by {entry.blocked_by}  "
                          f"reason: {entry.reason}", markup=False, highlight=False)

    run_command(work)
