"""The contact log: filtered, keyset-paged reads of contacts for the dashboard and its CSV export.

Paging goes by (opened_at, id) through an index, never by OFFSET or a COUNT of the filtered
rows, so a page costs the same on the millionth contact as on the first.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, exists, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Alert, Contact, ContactTag, Mentor, Person
from storage.tags import CATEGORY, PATHWAY


@dataclass(frozen=True)
class LogFilter:
    opened_from: datetime | None = None
    opened_to: datetime | None = None
    level: str | None = None
    category: str | None = None
    mentor_id: int | None = None
    channel: str | None = None
    outcome: str | None = None
    pathway: str | None = None
    iom: bool | None = None
    handled_by: int | None = None  # a mentor's own view: only contacts they handled


@dataclass(frozen=True)
class LogRow:
    id: int
    alias: str
    opened_at: datetime
    channel: str
    urgency: str | None
    status: str
    mentor: str | None
    outcome: str | None
    pathways: tuple[str, ...] = field(default_factory=tuple)
    minutes: int | None = None
    iom: bool = False
    iom_case_ref: str | None = None


Cursor = tuple[datetime, int]


def handled_by(mentor_id: int):  # type: ignore[no-untyped-def]
    """Contacts a mentor handled: assigned now, closed by them, or an alert they accepted."""
    return or_(Contact.assigned_mentor_id == mentor_id, Contact.closed_by == mentor_id,
               exists().where(Alert.contact_id == Contact.id, Alert.accepted_by == mentor_id))


def _query(f: LogFilter) -> Select:  # type: ignore[type-arg]
    query = (select(Contact, Person.alias, Person.iom_cohort, Person.iom_case_ref, Mentor.name)
             .join(Person, Person.id == Contact.person_id)
             .outerjoin(Mentor, Mentor.id == Contact.assigned_mentor_id))
    conditions = []
    if f.opened_from is not None:
        conditions.append(Contact.opened_at >= f.opened_from)
    if f.opened_to is not None:
        conditions.append(Contact.opened_at < f.opened_to)
    for column, value in ((Contact.urgency, f.level), (Contact.assigned_mentor_id, f.mentor_id),
                          (Contact.channel, f.channel), (Contact.outcome, f.outcome)):
        if value is not None:
            conditions.append(column == value)
    for kind, value in ((CATEGORY, f.category), (PATHWAY, f.pathway)):
        if value is not None:
            conditions.append(exists().where(ContactTag.contact_id == Contact.id, ContactTag.kind == kind,
                                             ContactTag.value == value))
    if f.iom is not None:
        conditions.append(Person.iom_cohort.is_(f.iom))
    if f.handled_by is not None:
        conditions.append(handled_by(f.handled_by))
    return query.where(and_(*conditions)) if conditions else query


def _row(contact: Contact, alias: str, iom: bool, case_ref: str | None, mentor: str | None) -> LogRow:
    return LogRow(contact.id, alias, contact.opened_at, contact.channel, contact.urgency, contact.status, mentor,
                  contact.outcome, tuple(contact.pathways or ()), contact.minutes, bool(iom), case_ref)


async def page(session: AsyncSession, f: LogFilter, before: Cursor | None, size: int) -> tuple[list[LogRow], Cursor | None]:
    """One page, newest first, and the cursor of the next page (None on the last)."""
    query = _query(f).order_by(Contact.opened_at.desc(), Contact.id.desc()).limit(size + 1)
    if before is not None:
        query = query.where(tuple_(Contact.opened_at, Contact.id) < tuple_(*before))
    rows = [_row(*r) for r in (await session.execute(query)).all()]
    more = len(rows) > size
    rows = rows[:size]
    return rows, ((rows[-1].opened_at, rows[-1].id) if more and rows else None)


async def all_rows(session: AsyncSession, f: LogFilter, batch: int = 1000) -> AsyncIterator[LogRow]:
    """Every matching row, in pages, for the CSV export (memory stays flat however many)."""
    cursor: Cursor | None = None
    while True:
        rows, cursor = await page(session, f, cursor, batch)
        for row in rows:
            yield row
        if cursor is None:
            return


async def may_see(session: AsyncSession, contact_id: int, mentor_id: int) -> bool:
    return bool(await session.scalar(select(Contact.id).where(Contact.id == contact_id, handled_by(mentor_id))))
