"""One database session for a command-line command, on the schema's newest revision."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from storage.db import create_engine, session_factory
from storage.migrate import upgrade


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
