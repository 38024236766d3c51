"""What every command needs: settings (or a one-line error naming the bad one) and a session."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import ConfigError, Settings, load_settings, unknown_variables
from storage.db import create_engine, session_factory
from storage.migrate import upgrade


def settings_or_exit() -> Settings:
    try:
        settings = load_settings()
    except ConfigError as error:
        typer.echo(f"helpline: {error}", err=True)
        raise typer.Exit(2) from None
    for warning in unknown_variables(os.environ):
        typer.echo(f"helpline: warning: {warning}", err=True)
    from bot.keys import install

    install(settings)  # a command without keys fails at the database with one line naming them
    return settings


@asynccontextmanager
async def command_session(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A transaction that commits if the command succeeds; the schema is brought up to date first."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with session_factory(engine)() as session, session.begin():
            yield session
    finally:
        await engine.dispose()


def run_command(work: Callable[[Any, Settings], Awaitable[None]], *, unknown_exit: int = 2) -> None:
    """One command in one transaction, its refusal one line on stderr: an unknown name exits
    ``unknown_exit``, a refused change 1."""
    settings = settings_or_exit()

    async def go() -> None:
        async with command_session(settings) as session:
            await work(session, settings)

    try:
        asyncio.run(go())
    except LookupError as error:
        typer.echo(f"helpline: {error}", err=True)
        raise typer.Exit(unknown_exit) from None
    except ValueError as error:
        typer.echo(f"helpline: {error}", err=True)
        raise typer.Exit(1) from None
