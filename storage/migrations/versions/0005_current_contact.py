"""A mentor's current contact (/use n), where their untargeted messages go.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mentors", sa.Column("current_contact_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mentors") as batch:
        batch.drop_column("current_contact_id")
