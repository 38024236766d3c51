"""Failed log-ins counted by key: an account name or a client address (see bot.accounts for the
delays they cause). Keys are hashed, so the table holds no typed usernames or addresses."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import LoginThrottle


def account_key(username: str) -> str:
    return _key("account", username)


def address_key(address: str) -> str:
    return _key("address", address)


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}\0{value}".encode()).hexdigest()


async def forget_before(session: AsyncSession, cutoff: datetime) -> None:
    """Delete keys quiet since ``cutoff``. Rows another attempt holds are skipped, not waited for:
    two deletes locking rows in different orders could deadlock (a stale row is also read as
    nothing, see bot.accounts)."""
    stale = (select(LoginThrottle.key).where(LoginThrottle.last_failure_at < cutoff)
             .with_for_update(skip_locked=True))
    await session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(stale)))


async def locked_rows(session: AsyncSession, keys: list[str], now: datetime) -> dict[str, LoginThrottle]:
    """The rows of ``keys``, made if missing and locked until the transaction ends, so that log-in
    attempts sent at the same moment are counted one after another and none slips past a delay
    (FOR UPDATE on PostgreSQL; SQLite transactions here take the write lock at BEGIN)."""
    keys = sorted(set(keys))  # one locking order for everyone: no deadlock between two attempts
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for _ in range(3):  # a row pruned by another attempt between the insert and the select
        await session.execute(insert(LoginThrottle).values(
            [{"key": key, "failures": 0, "last_failure_at": now} for key in keys]).on_conflict_do_nothing())
        rows = {row.key: row for row in await session.scalars(
            select(LoginThrottle).where(LoginThrottle.key.in_(keys)).order_by(LoginThrottle.key)
            .with_for_update().execution_options(populate_existing=True))}
        if len(rows) == len(keys):
            return rows
    raise RuntimeError("login throttle rows vanished three times in a row")


async def get(session: AsyncSession, key: str) -> LoginThrottle | None:
    return await session.get(LoginThrottle, key)


async def clear(session: AsyncSession, key: str) -> bool:
    """Forget a key's failures; True if it had any."""
    row = await session.get(LoginThrottle, key)
    if row is None:
        return False
    await session.delete(row)
    await session.flush()
    return row.failures > 0


async def take_one_back(session: AsyncSession, key: str) -> None:
    """One counted failure less (an attempt counted in advance that succeeded)."""
    await session.execute(update(LoginThrottle).where(LoginThrottle.key == key, LoginThrottle.failures > 0)
                          .values(failures=LoginThrottle.failures - 1))
