"""Agencies and referrals: what the helpline shares with MARAC, IOM and safeguarding leads.

Revision ID: 0011_referrals
Revises: 0010_voice
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0011_referrals"
down_revision = "0010_voice"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OPEN = sa.text("state IN ('proposed','drafted','approved','sent','delivered')")


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("area", sa.String(60), nullable=False),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("accepts", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    # a plain column, not a foreign key: SQLite cannot add a constraint in place, and rebuilding
    # ``people`` (which every contact refers to) is refused; the application keeps the reference
    op.add_column("people", sa.Column("iom_agency_id", sa.Integer))
    op.create_table(
        "referrals",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("contact_id", BigId, sa.ForeignKey("contacts.id"), nullable=False, index=True),
        sa.Column("person_id", BigId, sa.ForeignKey("people.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("reason", sa.String(48), nullable=False),
        sa.Column("agency_id", BigId, sa.ForeignKey("agencies.id")),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("criteria", sa.JSON, nullable=False),
        sa.Column("dash", sa.JSON, nullable=False),
        sa.Column("dash_yes", sa.Integer),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("basis", sa.JSON),
        sa.Column("proposed_at", UTCDateTime(), nullable=False),
        sa.Column("proposed_by", sa.String(80), nullable=False),
        sa.Column("drafted_by", sa.String(80)),
        sa.Column("drafted_at", UTCDateTime()),
        sa.Column("approved_by", sa.String(80)),
        sa.Column("approved_at", UTCDateTime()),
        sa.Column("sent_at", UTCDateTime(), index=True),
        sa.Column("delivered_at", UTCDateTime()),
        sa.Column("acknowledged_at", UTCDateTime()),
        sa.Column("acknowledged_by", sa.String(120)),
        sa.Column("ended_reason", sa.Text),
        sa.Column("ack_token_hash", sa.String(64), unique=True),
        sa.Column("ack_code_hash", sa.String(64), unique=True),
        sa.Column("outbox_id", BigId, sa.ForeignKey("outbox.id", name="fk_referrals_outbox_id")),
        sa.Column("reminders", sa.Integer, nullable=False),
        sa.Column("next_reminder_at", UTCDateTime()),
    )
    op.create_index("uq_referral_open_per_contact_kind", "referrals", ["contact_id", "kind"], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index("ix_referrals_state_reminder", "referrals", ["state", "next_reminder_at"])


def downgrade() -> None:
    op.drop_table("referrals")
    op.drop_column("people", "iom_agency_id")
    op.drop_table("agencies")
