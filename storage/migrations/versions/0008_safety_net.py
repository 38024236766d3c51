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
    # Plain ADD COLUMN, not a batch copy: SQLite copies a table in batch mode, and the copy
    # breaks foreign keys (deadlines -> alerts) on a database that holds data.
    op.add_column("contacts", sa.Column("safety_answer", sa.String(16), nullable=True))
    op.add_column("contacts", sa.Column("safety_answer_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("alerts", sa.Column("kind", sa.String(16), nullable=False, server_default="contact"))
    if op.get_bind().dialect.name == "sqlite":  # SQLite takes a reference only inline, as it adds the column
        op.execute("ALTER TABLE alerts ADD COLUMN message_id INTEGER REFERENCES messages (id)")
    else:
        op.add_column("alerts", sa.Column("message_id", BigId, sa.ForeignKey("messages.id", name="fk_alerts_message_id"),
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
