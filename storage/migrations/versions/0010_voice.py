"""Phone calls to the helpline, and when each mentor may be woken by a call.

Revision ID: 0010_voice
Revises: 0009_accounts
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0010_voice"
down_revision = "0009_accounts"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("mentors") as batch:
        batch.add_column(sa.Column("call_window", sa.String(16), nullable=False, server_default="always"))
    op.create_table(
        "calls",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("call_sid", sa.String(64), nullable=False, unique=True),
        sa.Column("contact_id", BigId, sa.ForeignKey("contacts.id"), nullable=False, index=True),
        sa.Column("person_id", BigId, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("region", sa.String(4)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("legs", sa.JSON, nullable=False),
        sa.Column("taken_by", BigId, sa.ForeignKey("mentors.id")),
        sa.Column("taken_at", UTCDateTime()),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime()),
        sa.Column("talk_seconds", sa.Integer),
        sa.Column("recording_sid", sa.String(64), unique=True),
        sa.Column("recording_url", sa.String(500)),
        sa.Column("recording_seconds", sa.Integer),
        sa.Column("transcription_due_at", UTCDateTime(), index=True),
        sa.Column("message_id", BigId, sa.ForeignKey("messages.id", name="fk_calls_message_id")),
    )


def downgrade() -> None:
    op.drop_table("calls")
    with op.batch_alter_table("mentors") as batch:
        batch.drop_column("call_window")
