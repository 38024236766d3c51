"""Opt-outs: SMS STOP, or a Telegram bot the person blocked.

Revision ID: 0012_opt_outs
Revises: 0011_referrals
Create Date: 2026-11-28
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0012_opt_outs"
down_revision = "0011_referrals"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "opt_outs",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address", sa.String(255), nullable=False),
        sa.Column("how", sa.String(16), nullable=False),
        sa.Column("stopped_at", UTCDateTime(), nullable=False),
        sa.Column("wrote_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("channel", "address", name="uq_opt_out_channel_address"),
    )


def downgrade() -> None:
    op.drop_table("opt_outs")
