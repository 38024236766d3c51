"""A closed contact as a mentoring session: outcome, pathway tags, minutes, who closed it, a note.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = (("outcome", sa.String(24)), ("pathways", sa.JSON()), ("minutes", sa.Integer()),
           ("closed_by", sa.Integer()), ("note", sa.Text()))


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("contacts", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        for name, _ in COLUMNS:
            batch.drop_column(name)
