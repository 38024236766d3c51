"""Alembic environment: migrations always run on a connection handed in by storage.migrate."""

from __future__ import annotations

import asyncio

from alembic import context

from storage.models import Base

target_metadata = Base.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_with_url() -> None:
    """For the alembic command line: connect with the URL from HELPLINE_DATABASE_URL."""
    from bot.settings import load_settings
    from storage.db import create_engine

    async def _go() -> None:
        engine = create_engine(load_settings().database_url)
        async with engine.begin() as connection:
            await connection.run_sync(_run)
        await engine.dispose()

    asyncio.run(_go())


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; use `helpline db upgrade`")

connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    _run_with_url()
