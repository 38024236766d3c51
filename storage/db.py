"""Engine and session factory for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SessionFactory = async_sessionmaker[AsyncSession]
CONNECT_SECONDS = 3  # an unreachable database server is reported as down after this long

# What a database outage looks like from here: the server refuses or drops connections, the
# pool has none to give, the file cannot be written. Callers answer "try again later" (503).
UNAVAILABLE: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout,
                                                ConnectionRefusedError, TimeoutError, socket.gaierror)


# SQLSTATE classes of a server that is going away or not taking connections: connection
# exceptions, operator intervention (shutting down, cannot connect now), insufficient resources.
UNAVAILABLE_SQLSTATES = ("08", "57P", "53")


def _lost(error: DBAPIError) -> bool:
    code = getattr(error.orig, "pgcode", None) or getattr(error.orig, "sqlstate", None)
    return error.connection_invalidated or str(code or "").startswith(UNAVAILABLE_SQLSTATES)


def unavailable(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) is the database being out of reach."""
    seen = 0
    current: BaseException | None = error
    while current is not None and seen < 5:
        if isinstance(current, UNAVAILABLE) or (isinstance(current, DBAPIError) and _lost(current)):
            return True
        current, seen = current.__cause__ or current.__context__, seen + 1
    return False


def create_engine(database_url: str) -> AsyncEngine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(database_url)
    return create_async_engine(database_url, pool_pre_ping=True, pool_size=10, max_overflow=10,
                               pool_timeout=CONNECT_SECONDS, connect_args={"timeout": CONNECT_SECONDS})


def _sqlite_engine(database_url: str) -> AsyncEngine:
    """SQLite with write-ahead logging and IMMEDIATE transactions.

    pysqlite's own transaction handling starts transactions late and as readers, so two intakes
    could both read "no such message" and then deadlock on upgrade to a writer; taking the write
    lock at BEGIN serialises intake, which is what a one-machine helpline needs.

    One connection: every transaction holds SQLite's one write lock anyway, so more connections
    only made them wait for it in SQLite's busy handler, which sleeps and retries and lets
    whoever comes next jump the queue. Under the outbox worker's stream of short writes a call's
    webhook waited up to seconds (bench/voice_bench.py); the pool's queue is first come, first served.
    """
    database = make_url(database_url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        _create_private(Path(database).expanduser())
    engine = create_async_engine(database_url, connect_args={"timeout": 30}, pool_size=1, max_overflow=0,
                                 pool_timeout=30)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, expire_on_commit=False)


def _create_private(path: Path) -> None:
    """A new database file is readable by its owner only (0600), whatever the umask: it holds
    what people in crisis wrote. SQLite gives its -wal and -shm files the same mode. An existing
    file keeps the mode it has (an operator may have chosen a group for backups)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.fchmod(descriptor, 0o600)
    os.close(descriptor)


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


def redact_url(database_url: str) -> str:
    return make_url(database_url).render_as_string(hide_password=True)
