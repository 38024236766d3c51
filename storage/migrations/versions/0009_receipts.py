"""Receipts of mentors' inbound messages and taps, so that a redelivery acts once.

Revision ID: 0009_receipts
Revises: 0009
Create Date: 2026-11-26
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_receipts"
down_revision = "0009"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "inbound_receipts",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("provider_id", sa.String(160), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.UniqueConstraint("channel", "provider_id", name="uq_inbound_receipt"),
    )


def downgrade() -> None:
    op.drop_table("inbound_receipts")
