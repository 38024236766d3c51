"""A closed contact as a mentoring session (outcome, pathway tags, minutes, who closed it, a
note), and a person's IOM cohort flag and case reference.

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
    op.add_column("people", sa.Column("iom_cohort", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("people", sa.Column("iom_case_ref", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("iom_case_ref")
        batch.drop_column("iom_cohort")
    with op.batch_alter_table("contacts") as batch:
        for name, _ in COLUMNS:
            batch.drop_column(name)
