"""Delivery incidents: stretches of time during which outbound messages stayed undelivered past
the late mark, so that the coordinators are told once per incident, not once per check.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OPEN = sa.text("state = 'open'")


def upgrade() -> None:
    op.create_table(
        "delivery_incidents",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("summary", sa.String(500), nullable=False),
    )
    op.create_index("uq_delivery_incident_open", "delivery_incidents", ["state"], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index("uq_delivery_incident_open", table_name="delivery_incidents")
    op.drop_table("delivery_incidents")
