"""Encryption at rest: personal values sealed, keyed-hash lookup columns, a key check.

- The lookup columns (``*_key``: HMAC-SHA256 of a number or chat id) and their indexes. The old
  unique constraints on the plaintext addresses stay (SQLite cannot drop them in place); on sealed
  values they never bind, the new unique indexes on the keys do.
- On PostgreSQL the sealed columns become TEXT (a sealed value is longer than the number, and is
  not JSON). SQLite keeps the declared types: it stores any text in any column.
- Whatever is already stored is sealed, with the keys the process was given; a database with
  rows and no keys stops here with one line naming the setting.
- ``sealing_check`` holds one value sealed with the current key and the lookup key's hash of a
  fixed word: start-up opens it, so a wrong key fails at once, not at the first message; and the
  ids of the keys the helpline last started with, which a rotation checks.
- The review trail stays append-only, but for a key rotation: an UPDATE that changes nothing but
  ``data`` is allowed while ``rekeying`` holds a row, which only the rotating transaction sees.

Revision ID: 0014_sealed
Revises: 0013_retention
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage import sealing
from storage.resealing import SealedColumn, opening, rewrite
from storage.resealing import sealing as sealing_with

revision = "0014_sealed"
down_revision = "0013_retention"
branch_labels = None
depends_on = None

KEY_COLUMNS = (("identities", "address_key"), ("outbox", "address_key"), ("opt_outs", "address_key"),
               ("mentors", "telegram_chat_key"), ("mentors", "phone_key"), ("agencies", "address_key"))
INDEXES = (("uq_identity_kind_address_key", "identities", ["kind", "address_key"], True),
           ("ix_outbox_address_key", "outbox", ["address_key"], False),
           ("uq_opt_out_channel_address_key", "opt_outs", ["channel", "address_key"], True),
           ("ix_mentors_telegram_chat_key", "mentors", ["telegram_chat_key"], True),
           ("ix_mentors_phone_key", "mentors", ["phone_key"], False),
           ("ix_agencies_address_key", "agencies", ["address_key"], False))
# PostgreSQL types before sealing, to go back to on a downgrade; the others were TEXT
WAS = {("identities", "address"): "VARCHAR(255)", ("outbox", "address"): "VARCHAR(255)",
       ("opt_outs", "address"): "VARCHAR(255)", ("agencies", "address"): "VARCHAR(255)",
       ("mentors", "telegram_chat_id"): "VARCHAR(32)", ("mentors", "phone"): "VARCHAR(32)",
       ("messages", "triage"): "JSON", ("outbox", "options"): "JSON", ("contact_events", "data"): "JSON",
       ("audit_log", "detail"): "JSON", ("referrals", "dash"): "JSON", ("referrals", "details"): "JSON",
       ("referrals", "basis"): "JSON"}
# the columns this revision seals (a later revision's new sealed columns are sealed from the start)
DATA_COLUMNS = [SealedColumn(table, column, key) for table, column, key in (
    ("people", "legal_hold", None), ("identities", "address", "address_key"), ("contacts", "note", None),
    ("messages", "body", None), ("messages", "triage", None), ("outbox", "address", "address_key"),
    ("outbox", "body", None), ("outbox", "options", None), ("opt_outs", "address", "address_key"),
    ("contact_events", "data", None), ("mentors", "telegram_chat_id", "telegram_chat_key"),
    ("mentors", "phone", "phone_key"), ("audit_log", "detail", None), ("triage_corrections", "reason", None),
    ("agencies", "address", "address_key"), ("referrals", "dash", None), ("referrals", "details", None),
    ("referrals", "basis", None), ("referrals", "ended_reason", None))]
POSTGRES = "postgresql"


def upgrade() -> None:
    bind = op.get_bind()
    for table, column in KEY_COLUMNS:
        op.add_column(table, sa.Column(column, sa.String(64), nullable=True))
    op.create_table("sealing_check", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("sealed", sa.Text(), nullable=False), sa.Column("lookup", sa.String(64), nullable=False),
                    sa.Column("serving", sa.String(200), nullable=True))
    op.create_table("rekeying", sa.Column("id", sa.Integer(), primary_key=True))
    if bind.dialect.name == POSTGRES:
        for table, column in WAS:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE TEXT USING {column}::text")
    _drop_trail_triggers(bind.dialect.name)
    if any(_has_rows(bind, column.table, column.column) for column in DATA_COLUMNS):
        keyring = sealing.keyring()  # no keys: one line naming the setting, and nothing changes
        for column in DATA_COLUMNS:
            rewrite(bind, column, sealing_with(keyring), keyring)
    _make_trail_append_only(bind.dialect.name, allow_rekeying=True)
    for name, table, columns, unique in INDEXES:
        op.create_index(name, table, columns, unique=unique)


def downgrade() -> None:
    bind = op.get_bind()
    _drop_trail_triggers(bind.dialect.name)
    if any(_has_rows(bind, column.table, column.column) for column in DATA_COLUMNS):
        keyring = sealing.keyring()
        for column in DATA_COLUMNS:
            rewrite(bind, column, opening(keyring), None)
    _make_trail_append_only(bind.dialect.name, allow_rekeying=False)
    for name, table, _, _ in INDEXES:
        op.drop_index(name, table_name=table)
    if bind.dialect.name == POSTGRES:
        for (table, column), kind in WAS.items():
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {kind} USING {column}::{kind.lower()}")
    for table, column in reversed(KEY_COLUMNS):
        op.drop_column(table, column)
    op.drop_table("rekeying")
    op.drop_table("sealing_check")


def _has_rows(bind: sa.Connection, table: str, column: str) -> bool:
    return bind.execute(sa.text(f"SELECT 1 FROM {table} WHERE {column} IS NOT NULL LIMIT 1")).first() is not None


def _drop_trail_triggers(dialect: str) -> None:
    if dialect == POSTGRES:
        op.execute("DROP TRIGGER contact_events_append_only ON contact_events")
        op.execute("DROP FUNCTION contact_events_append_only()")
        return
    for action in ("update", "delete"):
        op.execute(f"DROP TRIGGER contact_events_no_{action}")


# An update may only re-seal data, and only inside a rotation (0001 refused every update).
UNCHANGED = ("NEW.id = OLD.id AND NEW.contact_id = OLD.contact_id AND NEW.at = OLD.at "
             "AND NEW.kind = OLD.kind AND NEW.actor = OLD.actor")


def _make_trail_append_only(dialect: str, allow_rekeying: bool) -> None:
    rekeying = f"EXISTS (SELECT 1 FROM rekeying) AND {UNCHANGED}" if allow_rekeying else "false"
    if dialect == POSTGRES:
        op.execute(
            "CREATE FUNCTION contact_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'UPDATE' AND {rekeying} THEN RETURN NEW; END IF; "
            "RAISE EXCEPTION 'contact_events is append-only'; END $$")
        op.execute("CREATE TRIGGER contact_events_append_only BEFORE UPDATE OR DELETE ON contact_events "
                   "FOR EACH ROW EXECUTE FUNCTION contact_events_append_only()")
        return
    sqlite_rekeying = rekeying.replace("false", "0")
    op.execute(f"CREATE TRIGGER contact_events_no_update BEFORE UPDATE ON contact_events WHEN NOT ({sqlite_rekeying}) "
               "BEGIN SELECT RAISE(ABORT, 'contact_events is append-only'); END")
    op.execute("CREATE TRIGGER contact_events_no_delete BEFORE DELETE ON contact_events "
               "BEGIN SELECT RAISE(ABORT, 'contact_events is append-only'); END")
