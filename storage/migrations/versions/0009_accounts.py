"""Accounts: failed log-ins counted per account name and per client address in their own table
(a growing delay instead of a lock held on the user row), each user's last log-in, and the
dashboard accounts of mentors deactivated before this revision disabled, their sessions ended.

Revision ID: 0009_accounts
Revises: 0009_receipts
Create Date: 2026-11-27
"""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0009_accounts"
down_revision = "0009_receipts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_failure_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_login_throttles_last_failure_at", "login_throttles", ["last_failure_at"])
    # Plain ALTER TABLE, not a batch: a batch copies the table, and on SQLite dropping the old
    # users table fails while web_sessions and audit rows refer to it (foreign keys are on).
    op.add_column("users", sa.Column("last_login_at", UTCDateTime(), nullable=True))
    op.drop_column("users", "failed_logins")
    op.drop_column("users", "locked_until")
    _disable_accounts_of_inactive_mentors()


def _disable_accounts_of_inactive_mentors() -> None:
    """Before this revision, deactivating a mentor left their dashboard account open."""
    inactive = "SELECT id FROM users WHERE mentor_id IN (SELECT id FROM mentors WHERE active = :no)"
    bind = op.get_bind()
    revoke = sa.text(f"UPDATE web_sessions SET revoked_at = :now WHERE revoked_at IS NULL AND user_id IN ({inactive})")
    bind.execute(revoke.bindparams(sa.bindparam("now", type_=UTCDateTime())),
                 {"now": datetime.now(timezone.utc), "no": False})
    bind.execute(sa.text(f"UPDATE users SET active = :no WHERE id IN ({inactive})"), {"no": False})


def downgrade() -> None:
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.add_column("users", sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
    op.drop_column("users", "last_login_at")
    op.drop_index("ix_login_throttles_last_failure_at", "login_throttles")
    op.drop_table("login_throttles")
