"""Triage: each message's level, categories and explanation; each contact's urgency.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("level", sa.String(16), nullable=True))
        batch.add_column(sa.Column("categories", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("triage", sa.JSON(), nullable=True))
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("urgency", sa.String(16), nullable=True))
    op.create_index("ix_contacts_status_urgency", "contacts", ["status", "urgency"])


def downgrade() -> None:
    op.drop_index("ix_contacts_status_urgency", "contacts")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("urgency")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("triage")
        batch.drop_column("categories")
        batch.drop_column("level")
