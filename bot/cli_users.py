"""``helpline users``: dashboard accounts from a terminal. Every change is audited, as done by
``cli:<the operator's login name>``; an unknown username is one line on stderr and exit code 2.

Operators script against these commands: keep names and options stable.
"""

from __future__ import annotations

import getpass
import sys
from datetime import datetime
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from bot.cli_db import run_command
from bot.settings import Settings
from storage.types import utcnow

users_app = typer.Typer(help="Dashboard accounts: add | list | disable | enable | reset-password.",
                        no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True)
ROLES = ("coordinator", "mentor", "admin")


def cli_actor() -> str:
    """Who ran the command, for the audit log (the operating system's user name)."""
    try:
        return f"cli:{getpass.getuser()}"[:80]
    except (OSError, KeyError):
        return "cli"


def _password(from_stdin: bool) -> str:
    """The new password's hash, read without echo (or from standard input); exit 1 if too short."""
    from bot.accounts import hash_password

    password = (sys.stdin.readline().rstrip("\n") if from_stdin
                else typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    try:
        return hash_password(password)
    except ValueError as error:
        typer.echo(f"helpline: {error}", err=True)
        raise typer.Exit(1) from None


_run = run_command  # one transaction; an unknown name exits 2, a refused change 1

@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="The log-in name"),
    role: str = typer.Option(..., "--role", help="coordinator, mentor or admin"),
    mentor: Optional[str] = typer.Option(None, "--mentor", help="For a mentor account: the mentor's name"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input"),
) -> None:
    """Add a dashboard account; the password is asked for (or read from standard input)."""
    if role not in ROLES:
        raise typer.BadParameter("use coordinator, mentor or admin", param_hint="--role")
    hashed = _password(password_stdin)

    async def work(session: Any, settings: Settings) -> None:
        from storage import audit, users

        added = await users.add_user(session, username=username, password_hash=hashed, role=role,
                                     mentor_name=mentor, now=utcnow())
        await audit.record(session, cli_actor(), "user_added", utcnow(), username=added.username, role=added.role)
        console.print(f"added {added.role} account {added.username}")

    _run(work)


def _when(moment: datetime | None, settings: Settings, missing: str) -> str:
    return moment.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M:%S") if moment else missing


@users_app.command("list")
def users_list() -> None:
    """List accounts: role, linked mentor, active, log-in delay, last log-in (never a password hash)."""

    async def work(session: Any, settings: Settings) -> None:
        from bot.account_admin import list_accounts

        table = Table("username", "role", "mentor", "active", "locked until", "last log-in")
        for a in await list_accounts(session, utcnow()):
            table.add_row(a.username, a.role, a.mentor or "-", "yes" if a.active else "no",
                          _when(a.may_try_again_at, settings, "-"), _when(a.last_login_at, settings, "never"))
        console.print(table)

    _run(work)


@users_app.command("disable")
def users_disable(username: str = typer.Argument(..., help="The log-in name")) -> None:
    """Stop an account logging in, and end its open sessions at once."""

    async def work(session: Any, settings: Settings) -> None:
        from bot import account_admin

        user = await account_admin.find(session, username)
        await account_admin.disable(session, user, cli_actor(), utcnow())
        console.print(f"{user.username} can no longer log in; their sessions have ended")

    _run(work)


@users_app.command("enable")
def users_enable(username: str = typer.Argument(..., help="The log-in name")) -> None:
    """Let an account log in again, now: enables it and lifts any delay after failed log-ins."""

    async def work(session: Any, settings: Settings) -> None:
        from bot import account_admin

        user = await account_admin.find(session, username)
        lifted = await account_admin.enable(session, user, cli_actor(), utcnow())
        console.print(f"{user.username} can log in now" + (" (the delay after failed log-ins is lifted)" if lifted else ""))

    _run(work)


@users_app.command("reset-password")
def users_reset_password(
    username: str = typer.Argument(..., help="The log-in name"),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input"),
) -> None:
    """Set a new password: ends the account's sessions and lifts its log-in delay."""
    hashed = _password(password_stdin)

    async def work(session: Any, settings: Settings) -> None:
        from bot import account_admin

        user = await account_admin.find(session, username)
        await account_admin.reset_password(session, user, hashed, cli_actor(), utcnow())
        console.print(f"new password set for {user.username}; their sessions have ended"
                      + ("" if user.active else f" (the account is disabled: helpline users enable {user.username})"))

    _run(work)
