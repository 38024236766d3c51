"""Safety net: the person's answer to "are you safe right now?", alerts that watch for a
mentor's reply (accepted is not answered), the message an alert was opened for, and mentors'
corrections of the triage kept as labelled examples.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("safety_answer", sa.String(16), nullable=True))
        batch.add_column(sa.Column("safety_answer_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="contact"))
        batch.add_column(sa.Column("message_id", BigId, sa.ForeignKey("messages.id", name="fk_alerts_message_id"),
                                   nullable=True))
    op.create_table(
        "triage_corrections",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("contact_id", BigId, sa.ForeignKey("contacts.id"), nullable=False, index=True),
        sa.Column("message_id", BigId, sa.ForeignKey("messages.id"), nullable=True),
        sa.Column("level_given", sa.String(16), nullable=False),
        sa.Column("level_corrected", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("mentor_id", BigId, sa.ForeignKey("mentors.id"), nullable=True),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("triage_corrections")
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("message_id")
        batch.drop_column("kind")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("safety_answer_at")
        batch.drop_column("safety_answer")
