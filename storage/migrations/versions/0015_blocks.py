"""Abuse limits that lose nothing: a coordinator's block list, and the messages of a flood held
for one batched relay to the mentor.

New tables only: nothing in ``people`` or ``contacts`` changes (SQLite cannot rebuild them in
place), and no number or chat id is stored: a block names the person by id.

Revision ID: 0015_blocks
Revises: 0014_sealed
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0015_blocks"
down_revision = "0014_sealed"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "blocks",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("person_id", BigId, sa.ForeignKey("people.id"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("blocked_at", UTCDateTime(), nullable=False),
        sa.Column("blocked_by", sa.String(80), nullable=False),
        sa.Column("lifted_at", UTCDateTime(), nullable=True),
        sa.Column("lifted_by", sa.String(80), nullable=True),
    )
    op.create_index("ix_blocks_person_id", "blocks", ["person_id"])
    op.create_table(
        "held_relays",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("contact_id", BigId, sa.ForeignKey("contacts.id"), nullable=False),
        sa.Column("message_id", BigId, sa.ForeignKey("messages.id"), nullable=False, unique=True),
        sa.Column("held_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_held_relays_contact_id", "held_relays", ["contact_id"])


def downgrade() -> None:
    op.drop_index("ix_held_relays_contact_id", "held_relays")
    op.drop_table("held_relays")
    op.drop_index("ix_blocks_person_id", "blocks")
    op.drop_table("blocks")
