"""Mentors, invites, the rota, alerts, their deliveries and deadlines.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _id() -> sa.Column:
    return sa.Column("id", ID, primary_key=True)


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, UTCDateTime(), nullable=nullable)


def _ref(name: str, table: str, nullable: bool = False, index: bool = False) -> sa.Column:
    return sa.Column(name, ID, sa.ForeignKey(f"{table}.id"), nullable=nullable, index=index)


def upgrade() -> None:
    op.create_table(
        "mentors", _id(),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("telegram_chat_id", sa.String(32), nullable=True, unique=True),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("alert_channel", sa.String(16), nullable=False),
        sa.Column("fallback_channel", sa.String(16), nullable=False),
        _at("created_at"),
    )
    op.create_table(
        "mentor_invites", _id(), _ref("mentor_id", "mentors"),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        _at("expires_at"), _at("used_at", nullable=True),
    )
    op.create_table(
        "shifts", _id(), _ref("mentor_id", "mentors", index=True),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts", sa.String(5), nullable=False),
        sa.Column("ends", sa.String(5), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        _at("created_at"),
    )
    op.create_table(
        "rota_overrides", _id(), _ref("mentor_id", "mentors"),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        _at("starts_at"), _at("ends_at"),
        sa.Column("note", sa.String(200), nullable=True),
        _at("created_at"),
    )
    op.create_index("ix_rota_overrides_period", "rota_overrides", ["starts_at", "ends_at"])
    op.create_table(
        "alerts", _id(), _ref("contact_id", "contacts"),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        _at("opened_at"), _ref("accepted_by", "mentors", nullable=True), _at("accepted_at", nullable=True),
    )
    op.create_index("ix_alerts_contact_state", "alerts", ["contact_id", "state"])
    op.create_table(
        "alert_deliveries", _id(), _ref("alert_id", "alerts", index=True), _ref("mentor_id", "mentors"),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        _ref("outbox_id", "outbox", nullable=True),
        _at("created_at"),
    )
    op.create_table(
        "deadlines", _id(), _ref("alert_id", "alerts", index=True),
        sa.Column("step", sa.Integer(), nullable=False),
        _at("due_at"),
        sa.Column("state", sa.String(16), nullable=False),
        _at("fired_at", nullable=True),
    )
    op.create_index("ix_deadlines_due", "deadlines", ["state", "due_at"])
    _add_reference("contacts", "assigned_mentor_id")
    _add_reference("people", "named_mentor_id")


def _add_reference(table: str, column: str) -> None:
    """A nullable column referencing mentors. On SQLite, plain ADD COLUMN with REFERENCES
    (which SQLite allows) rather than a batch rebuild of tables that carry a partial index."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES mentors (id)")
    else:
        op.add_column(table, sa.Column(column, ID, sa.ForeignKey("mentors.id", name=f"fk_{table}_{column}"),
                                       nullable=True))


def downgrade() -> None:
    op.drop_column("people", "named_mentor_id")
    op.drop_column("contacts", "assigned_mentor_id")
    for table in ("deadlines", "alert_deliveries", "alerts", "rota_overrides", "shifts",
                  "mentor_invites", "mentors"):
        op.drop_table(table)
