"""Rewriting every sealed value: sealing what was stored in plaintext (migration 0014), opening it
again (its downgrade), and re-sealing with the newest key (``helpline keys rotate``).

Works on the stored text itself, below the column types: a sealed JSON value is sealed text like
any other, so one loop serves every column. Batches by id, so a large table neither loads whole nor
holds one long transaction's worth of rows in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.sealing import PREFIX, Keyring

BATCH = 500


@dataclass(frozen=True)
class SealedColumn:
    table: str
    column: str
    key_column: str | None = None  # its keyed hash, for lookups


# Every sealed column (the models say the same: a test checks it).
SEALED_COLUMNS = (
    SealedColumn("people", "legal_hold"),
    SealedColumn("identities", "address", "address_key"),
    SealedColumn("contacts", "note"),
    SealedColumn("messages", "body"),
    SealedColumn("messages", "triage"),
    SealedColumn("outbox", "address", "address_key"),
    SealedColumn("outbox", "body"),
    SealedColumn("outbox", "options"),
    SealedColumn("opt_outs", "address", "address_key"),
    SealedColumn("contact_events", "data"),
    SealedColumn("mentors", "telegram_chat_id", "telegram_chat_key"),
    SealedColumn("mentors", "phone", "phone_key"),
    SealedColumn("audit_log", "detail"),
    SealedColumn("triage_corrections", "reason"),
    SealedColumn("agencies", "address", "address_key"),
    SealedColumn("referrals", "dash"),
    SealedColumn("referrals", "details"),
    SealedColumn("referrals", "basis"),
    SealedColumn("referrals", "ended_reason"),
    SealedColumn("blocks", "reason"),
    SealedColumn("sealing_check", "sealed"),
)


@dataclass(frozen=True)
class Batch:
    read: int
    changed: int
    last_id: int | None


def count_rows(connection: Connection, target: SealedColumn) -> int:
    table = sa.table(target.table, sa.column(target.column))
    return connection.scalar(sa.select(sa.func.count()).select_from(table)
                             .where(sa.column(target.column).is_not(None))) or 0


def rewrite(connection: Connection, target: SealedColumn, change: Callable[[str], str | None],
            keyring: Keyring | None, on_batch: Callable[[int], None] = lambda rows: None) -> int:
    """Apply ``change`` to every stored value of one column, in this one transaction (a migration);
    return how many rows changed."""
    changed, after = 0, 0
    while True:
        batch = rewrite_batch(connection, target, change, keyring, after)
        if batch.last_id is None:
            return changed
        changed, after = changed + batch.changed, batch.last_id
        on_batch(batch.read)


def rewrite_batch(connection: Connection, target: SealedColumn, change: Callable[[str], str | None],
                  keyring: Keyring | None, after: int) -> Batch:
    """One batch of rows after the id ``after`` (``last_id`` None: there were none).

    ``change`` returns None for a value that needs no rewriting. The keyed hash is set from the
    opened value whenever one is missing or the value is rewritten. Each update applies only if the
    value is still the one read, so a value the helpline changed meanwhile is not put back (it is
    counted as changed all the same: drivers do not all count the rows of a many-row statement)."""
    columns = [sa.column("id"), sa.column(target.column, sa.Text)]
    if target.key_column:
        columns.append(sa.column(target.key_column, sa.String))
    table = sa.table(target.table, *columns)
    rows = connection.execute(sa.select(*table.c).where(table.c.id > after, table.c[target.column].is_not(None))
                              .order_by(table.c.id).limit(BATCH)).all()
    if not rows:
        return Batch(0, 0, None)
    updates = []
    for row in rows:
        values = _changes(row, target, change, keyring)
        if values:
            updates.append({"b_id": row.id, "b_stored": getattr(row, target.column),
                            **{f"b_{name}": value for name, value in values.items()}})
    for names, group in _by_columns(updates).items():  # one statement, many rows
        statement = sa.update(table).where(table.c.id == sa.bindparam("b_id"),
                                           table.c[target.column] == sa.bindparam("b_stored"))
        connection.execute(statement.values({name: sa.bindparam(f"b_{name}") for name in names}), group)
    return Batch(len(rows), len(updates), rows[-1].id)


def _by_columns(updates: list[dict[str, str]]) -> dict[tuple[str, ...], list[dict[str, str]]]:
    """Updates grouped by the columns they set (some set the keyed hash too, some do not)."""
    groups: dict[tuple[str, ...], list[dict[str, str]]] = {}
    for update in updates:
        names = tuple(sorted(key[2:] for key in update if key not in ("b_id", "b_stored")))
        groups.setdefault(names, []).append(update)
    return groups


def _changes(row: sa.Row, target: SealedColumn, change: Callable[[str], str | None],
             keyring: Keyring | None) -> dict[str, str]:
    stored = getattr(row, target.column)
    new = change(stored) if stored != "" else None
    values = {target.column: new} if new is not None else {}
    if target.key_column and keyring is not None and (new is not None or getattr(row, target.key_column) is None):
        values[target.key_column] = keyring.lookup_key(keyring.open(stored))
    return values


def sealing(keyring: Keyring) -> Callable[[str], str | None]:
    """Seal what is plaintext; leave what is sealed."""
    return lambda stored: None if stored.startswith(PREFIX) else keyring.seal(stored)


def opening(keyring: Keyring) -> Callable[[str], str | None]:
    """Back to plaintext (a downgrade)."""
    return lambda stored: keyring.open(stored) if stored.startswith(PREFIX) else None


def resealing(keyring: Keyring) -> Callable[[str], str | None]:
    """With the newest key, whatever it was sealed with (or if it was not)."""
    return lambda stored: None if keyring.is_current(stored) else keyring.seal(keyring.open(stored))


# Updating the review trail's data (to re-seal it) is allowed only while this table has a row,
# and only the transaction that inserted it sees that row: see migration 0014's triggers.
REKEYING_TABLE = "rekeying"
