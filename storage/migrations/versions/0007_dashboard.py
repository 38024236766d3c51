"""Dashboard: user accounts, server-side web sessions, and contact tags (risk categories and
pathways) so the contact log can filter a million contacts through an index.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("username", sa.String(80), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("mentor_id", BigId, sa.ForeignKey("mentors.id"), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("user_id", BigId, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "contact_tags",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("contact_id", BigId, sa.ForeignKey("contacts.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(48), nullable=False),
        sa.UniqueConstraint("kind", "value", "contact_id", name="uq_contact_tag"),
    )
    op.create_index("ix_contact_tags_contact_id", "contact_tags", ["contact_id"])
    op.create_index("ix_contacts_opened", "contacts", ["opened_at", "id"])
    op.create_index("ix_contacts_mentor_opened", "contacts", ["assigned_mentor_id", "opened_at"])
    _backfill()


def _backfill() -> None:
    """Tags for contacts that existed before this revision."""
    bind = op.get_bind()
    tags: set[tuple[int, str, str]] = set()
    for contact_id, categories in bind.execute(sa.text(
            "SELECT contact_id, categories FROM messages WHERE categories IS NOT NULL")):
        for value in _json_list(categories):
            tags.add((contact_id, "category", value))
    for contact_id, pathways in bind.execute(sa.text(
            "SELECT id, pathways FROM contacts WHERE pathways IS NOT NULL")):
        for value in _json_list(pathways):
            tags.add((contact_id, "pathway", value))
    if tags:
        bind.execute(sa.text("INSERT INTO contact_tags (contact_id, kind, value) VALUES (:c, :k, :v)"),
                     [{"c": c, "k": k, "v": v} for c, k, v in sorted(tags)])


def _json_list(value: object) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value)
    return [str(v) for v in value] if isinstance(value, list) else []


def downgrade() -> None:
    op.drop_index("ix_contacts_mentor_opened", "contacts")
    op.drop_index("ix_contacts_opened", "contacts")
    op.drop_table("contact_tags")
    op.drop_table("web_sessions")
    op.drop_table("users")
