"""People and their channel identities.

The only place that reads or writes channel addresses (phone numbers, Telegram chat ids):
encryption at rest and keyed-hash lookups will be added here without touching callers.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.events import append_event
from storage.models import Contact, Identity, Person
from storage.sealing import lookup_key

ALIAS_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_alias() -> str:
    """A short name mentors can say aloud ("P-7KQ2MD"): no 0/O or 1/I to misread."""
    return "P-" + "".join(secrets.choice(ALIAS_ALPHABET) for _ in range(6))


async def find_person(session: AsyncSession, kind: str, address: str) -> Person | None:
    person_id = await session.scalar(
        select(Identity.person_id).where(Identity.kind == kind, Identity.address_key == lookup_key(address))
    )
    return None if person_id is None else await session.get(Person, person_id)


async def create_person(
    session: AsyncSession, kind: str, address: str, now: datetime, language: str = "en"
) -> Person:
    person = Person(alias=new_alias(), language=language, created_at=now, iom_cohort=False)
    session.add(person)
    await session.flush()
    session.add(Identity(person_id=person.id, kind=kind, address=address, created_at=now))
    await session.flush()
    return person


async def address_of(session: AsyncSession, person_id: int, kind: str) -> str | None:
    return await session.scalar(
        select(Identity.address)
        .where(Identity.person_id == person_id, Identity.kind == kind)
        .order_by(Identity.id.desc())
        .limit(1)
    )


async def link_identity(
    session: AsyncSession, person_id: int, kind: str, address: str, now: datetime, actor: str
) -> Person:
    """Attach a channel identity to a person, merging the person it belonged to, if any.

    Merging moves identities and contacts so that the history stays whole; if both people
    had an open contact, the other one is closed as ``merged`` so the rule "one open contact
    per person" keeps holding.
    """
    person = await session.get(Person, person_id)
    if person is None:
        raise LookupError(f"no person {person_id}")
    other = await find_person(session, kind, address)
    if other is None:
        session.add(Identity(person_id=person.id, kind=kind, address=address, created_at=now))
        await session.flush()
        return person
    if other.id != person.id:
        await _merge(session, keep=person, gone=other, now=now, actor=actor)
    return person


async def _merge(session: AsyncSession, keep: Person, gone: Person, now: datetime, actor: str) -> None:
    kept_open = await session.scalar(
        select(Contact.id).where(Contact.person_id == keep.id, Contact.status == "open")
    )
    if kept_open is not None:
        for contact in await session.scalars(
            select(Contact).where(Contact.person_id == gone.id, Contact.status == "open")
        ):
            contact.status, contact.closed_at, contact.close_reason = "closed", now, "merged"
            await append_event(session, contact.id, "contact_closed", actor, now,
                               reason="merged", into_contact_id=kept_open)
        await session.flush()
    await session.execute(update(Identity).where(Identity.person_id == gone.id).values(person_id=keep.id))
    await session.execute(update(Contact).where(Contact.person_id == gone.id).values(person_id=keep.id))
    gone.merged_into_id = keep.id
    await session.flush()


async def set_iom(session: AsyncSession, person_id: int, cohort: bool, case_ref: str | None,
                  agency_id: int | None) -> Person:
    """The person's place in the IOM cohort, their case reference and their IOM contact (an
    agency's id, or None)."""
    person = await session.get(Person, person_id)
    if person is None:
        raise LookupError(f"no person {person_id}")
    person.iom_cohort, person.iom_case_ref, person.iom_agency_id = cohort, (case_ref or None), agency_id
    await session.flush()
    return person


async def by_alias(session: AsyncSession, alias: str) -> Person | None:
    """The person known by this alias (the one they were merged into, if they were)."""
    person = await session.scalar(select(Person).where(Person.alias == alias.strip().upper()))
    while person is not None and person.merged_into_id is not None:
        person = await session.get(Person, person.merged_into_id)
    return person


async def addresses_of(session: AsyncSession, person_id: int) -> list[tuple[str, str]]:
    """Every (kind, full address) of a person, oldest first: only for an audited reveal."""
    return [(kind, address) for kind, address in (await session.execute(
        select(Identity.kind, Identity.address).where(Identity.person_id == person_id).order_by(Identity.id))).all()]
