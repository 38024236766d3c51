"""First tables: people, identities, contacts, messages, outbox, contact events.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OPEN = sa.text("status = 'open'")


def _id() -> sa.Column:
    return sa.Column("id", ID, primary_key=True)


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, UTCDateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "people", _id(),
        sa.Column("alias", sa.String(16), nullable=False, unique=True),
        sa.Column("language", sa.String(8), nullable=False),
        _at("created_at"),
        sa.Column("merged_into_id", ID, sa.ForeignKey("people.id"), nullable=True),
    )
    op.create_table(
        "identities", _id(),
        sa.Column("person_id", ID, sa.ForeignKey("people.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("address", sa.String(255), nullable=False),
        _at("created_at"),
        sa.UniqueConstraint("kind", "address", name="uq_identity_kind_address"),
    )
    op.create_table(
        "contacts", _id(),
        sa.Column("person_id", ID, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _at("opened_at"), _at("last_activity_at"), _at("closed_at", nullable=True),
        sa.Column("close_reason", sa.String(32), nullable=True),
    )
    op.create_index("uq_contact_open_per_person", "contacts", ["person_id"], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index("ix_contacts_status_last_activity", "contacts", ["status", "last_activity_at"])
    op.create_table(
        "messages", _id(),
        sa.Column("contact_id", ID, sa.ForeignKey("contacts.id"), nullable=False, index=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("sender_kind", sa.String(16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("provider_message_id", sa.String(128), nullable=True),
        _at("received_at"),
        sa.UniqueConstraint("channel", "provider_message_id", name="uq_message_channel_provider_id"),
    )
    op.create_table(
        "outbox", _id(),
        sa.Column("dedupe_key", sa.String(128), nullable=False, unique=True),
        sa.Column("contact_id", ID, sa.ForeignKey("contacts.id"), nullable=True, index=True),
        sa.Column("message_id", ID, sa.ForeignKey("messages.id"), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address", sa.String(255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _at("next_attempt_at"), _at("lease_until", nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("provider_message_id", sa.String(128), nullable=True),
        _at("created_at"), _at("sent_at", nullable=True),
    )
    op.create_index("ix_outbox_due", "outbox", ["status", "next_attempt_at"])
    op.create_table(
        "contact_events", _id(),
        sa.Column("contact_id", ID, sa.ForeignKey("contacts.id"), nullable=False, index=True),
        _at("at"),
        sa.Column("kind", sa.String(48), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    _make_events_append_only()


def _make_events_append_only() -> None:
    """The review trail must not be rewritten, not even by a bug in our own code."""
    if op.get_bind().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER contact_events_no_{action.lower()} BEFORE {action} ON contact_events "
                "BEGIN SELECT RAISE(ABORT, 'contact_events is append-only'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION contact_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'contact_events is append-only'; END $$"
    )
    op.execute(
        "CREATE TRIGGER contact_events_append_only BEFORE UPDATE OR DELETE ON contact_events "
        "FOR EACH ROW EXECUTE FUNCTION contact_events_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER contact_events_append_only ON contact_events")
        op.execute("DROP FUNCTION contact_events_append_only()")
    for table in ("contact_events", "outbox", "messages", "contacts", "identities", "people"):
        op.drop_table(table)
