"""Run Alembic migrations from inside the running event loop.

Alembic's env.py would otherwise call asyncio.run(), which cannot nest in the loop that
``helpline run`` already owns; handing it a live connection avoids that.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.keycheck import verify

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> str | None:
    """Upgrade the database and return the revision it ends on."""

    def _run(connection: Connection) -> str | None:
        command.upgrade(alembic_config(connection), revision)
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.begin() as connection:
        reached = await connection.run_sync(_run)
        if reached == head_revision():
            await verify(connection)  # wrong keys stop start-up here, with one line
        return reached


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
