"""``helpline keys``: make the encryption keys, and re-seal everything with the newest one.

Rotating: put the new key first in HELPLINE_ENCRYPTION_KEYS and keep the old ones after it,
restart the helpline (new values are sealed with the new key from then on, old ones still
open), run ``helpline keys rotate``, then drop the old key and restart. Rotation works in small
transactions, so the helpline keeps answering while it runs.
"""

from __future__ import annotations

import asyncio

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from sqlalchemy import column, delete, insert, table
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.cli_db import settings_or_exit
from bot.keys import NO_KEYS, has_keys
from storage import sealing
from storage.keycheck import key_ids, serving_key_ids
from storage.resealing import (
    REKEYING_TABLE,
    SEALED_COLUMNS,
    SealedColumn,
    count_rows,
    resealing,
    rewrite_batch,
)

keys_app = typer.Typer(help="Encryption at rest: make keys, rotate to a new one.", no_args_is_help=True)
console = Console(highlight=False, soft_wrap=True, stderr=True)
REKEYING = table(REKEYING_TABLE, column("id"))


@keys_app.command("new")
def new_keys() -> None:
    """Print a fresh sealing key and lookup key, as settings to keep somewhere safe."""
    typer.echo(f"HELPLINE_ENCRYPTION_KEYS={sealing.new_key()}")
    typer.echo(f"HELPLINE_LOOKUP_KEY={sealing.new_key()}")


@keys_app.command("rotate")
def rotate(not_running: bool = typer.Option(
        False, "--not-running", help="No helpline uses this database now: skip the check that the "
                                     "one last started holds the new key.")) -> None:
    """Re-seal every stored value with the first key of HELPLINE_ENCRYPTION_KEYS."""
    settings = settings_or_exit()
    if not has_keys(settings):
        typer.echo(NO_KEYS, err=True)
        raise typer.Exit(2)
    try:
        changed = asyncio.run(_rotate(settings.database_url, check_serving=not not_running))
    except sealing.SealError as error:
        typer.echo(f"helpline: {error}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"re-sealed {changed} values with the newest key; the older keys can now be removed")


async def _rotate(database_url: str, check_serving: bool = True) -> int:
    from storage.db import create_engine
    from storage.migrate import upgrade

    engine = create_engine(database_url)
    try:
        await upgrade(engine)  # also checks that the keys open this database
        totals = {}
        async with engine.connect() as connection:
            if check_serving:
                await _refuse_unless_served(connection)
            for target in SEALED_COLUMNS:
                totals[target] = await connection.run_sync(lambda sync, t=target: count_rows(sync, t))
        with Progress(TextColumn("{task.description:<32}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      console=console, transient=False) as progress:
            return sum([await _rotate_column(engine, target, progress, progress.add_task(
                f"{target.table}.{target.column}", total=totals[target])) for target in SEALED_COLUMNS])
    finally:
        await engine.dispose()


async def _refuse_unless_served(connection: AsyncConnection) -> None:
    """A helpline still running without the new key could not read what the rotation re-seals:
    the people it serves would be the ones to find out."""
    serving = await serving_key_ids(connection)
    newest = key_ids(sealing.keyring())[0]
    if serving is not None and newest not in serving:
        raise sealing.SealError(
            "the helpline last started on this database does not hold the new key: restart it with "
            "HELPLINE_ENCRYPTION_KEYS=<new key>,<old keys> first (or pass --not-running if none uses it)")


async def _rotate_column(engine: AsyncEngine, target: SealedColumn, progress: Progress, task: TaskID) -> int:
    """One column, a batch per transaction; the review trail's rows only while ``rekeying`` has one."""
    keyring = sealing.keyring()
    changed, after = 0, 0
    while True:
        async with engine.begin() as connection:
            if target.table == "contact_events":
                await connection.execute(insert(REKEYING).values(id=1))
            batch = await connection.run_sync(
                lambda sync: rewrite_batch(sync, target, resealing(keyring), keyring, after))
            if target.table == "contact_events":
                await connection.execute(delete(REKEYING))
        if batch.last_id is None:
            return changed
        changed, after = changed + batch.changed, batch.last_id
        progress.update(task, advance=batch.read)
