"""Retention and subject rights: a legal hold on a person, and when a person was erased or a
contact's or referral's contents were purged (so a purge is done once and can be accounted for).

Plain nullable columns only: SQLite cannot rebuild ``people`` or ``contacts`` in place (other
tables refer to them), and ``ALTER TABLE ... ADD COLUMN`` needs no rebuild.

Revision ID: 0013_retention
Revises: 0012_opt_outs
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0013_retention"
down_revision = "0012_opt_outs"
branch_labels = None
depends_on = None

COLUMNS = (
    ("people", "legal_hold", sa.Text()),  # the reason of a hold; null: none
    ("people", "erased_at", UTCDateTime()),
    ("contacts", "purged_at", UTCDateTime()),
    ("referrals", "purged_at", UTCDateTime()),
)


def upgrade() -> None:
    for table, name, kind in COLUMNS:
        op.add_column(table, sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    for table, name, _ in reversed(COLUMNS):
        op.drop_column(table, name)  # in place (SQLite 3.35+), like 0011's: no rebuild of people
