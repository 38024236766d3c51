"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, whatever the backend.

    SQLite has no time zone support and hands back naive values; comparing those with aware
    ones raises at run time, so every value is normalised here rather than at each call site.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware UTC time")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


MAX_ID = 2**31 - 1  # every id column fits this, on SQLite and PostgreSQL alike


def row_id(text: str | None) -> int | None:
    """An id typed or sent by someone else, or None: ASCII digits only ("²" passes isdigit()
    and fails int()), and small enough for the id columns (20 digits overflow them)."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def storable(text: str) -> str:
    """Text as both databases take it: PostgreSQL refuses the NUL character, so it becomes the
    replacement character instead of failing the whole message on every redelivery."""
    return text.replace("\x00", "\ufffd")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
