"""One contact as the dashboard shows it: the person, and a timeline built from the contact's
append-only event log (so calls, voicemails and referrals join it without a new page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Call,
    Contact,
    ContactEvent,
    Identity,
    Mentor,
    Message,
    Person,
)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    actor: str
    data: dict[str, Any]
    body: str | None = None  # the message, when the event is about one
    direction: str | None = None
    triage: dict[str, Any] | None = None


@dataclass(frozen=True)
class CallSummary:
    """A phone call of the contact: who rang, who took it, how long, and its voicemail."""

    id: int
    started_at: datetime
    state: str
    rang: tuple[str, ...]
    taken_by: str | None
    talk_seconds: int | None
    recording_seconds: int | None
    has_recording: bool


@dataclass(frozen=True)
class ContactDetail:
    contact: Contact
    person: Person
    mentor: str | None
    identities: tuple[tuple[str, str], ...]  # (kind, masked address)
    timeline: tuple[TimelineEntry, ...]
    calls: tuple[CallSummary, ...] = ()


def masked(address: str) -> str:
    """Enough to tell two numbers apart, not enough to call one."""
    return "•••" + address[-3:] if len(address) > 4 else "•••"


async def contact_detail(session: AsyncSession, contact_id: int) -> ContactDetail | None:
    contact = await session.get(Contact, contact_id)
    if contact is None:
        return None
    person = await session.get(Person, contact.person_id)
    assert person is not None
    names = {f"mentor:{i}": n for i, n in (await session.execute(select(Mentor.id, Mentor.name))).all()}
    names[f"person:{person.id}"] = person.alias
    messages = {m.id: m for m in await session.scalars(select(Message).where(Message.contact_id == contact_id))}
    timeline = []
    for event in await session.scalars(select(ContactEvent).where(ContactEvent.contact_id == contact_id)
                                       .order_by(ContactEvent.id)):
        message = messages.get(event.data.get("message_id")) if isinstance(event.data, dict) else None
        timeline.append(TimelineEntry(event.at, event.kind, names.get(event.actor, event.actor), dict(event.data or {}),
                                      message.body if message else None, message.direction if message else None,
                                      message.triage if message else None))
    identities = tuple((kind, masked(address)) for kind, address in (await session.execute(
        select(Identity.kind, Identity.address).where(Identity.person_id == person.id).order_by(Identity.id))).all())
    mentor = names.get(f"mentor:{contact.assigned_mentor_id}") if contact.assigned_mentor_id else None
    calls = tuple(CallSummary(c.id, c.started_at, c.state, tuple(names.get(f"mentor:{m}", "?") for m in c.legs),
                              names.get(f"mentor:{c.taken_by}") if c.taken_by else None, c.talk_seconds,
                              c.recording_seconds, bool(c.recording_url))
                  for c in await session.scalars(select(Call).where(Call.contact_id == contact_id).order_by(Call.id)))
    return ContactDetail(contact, person, mentor, identities, tuple(timeline), calls)


async def person_of(session: AsyncSession, contact_id: int) -> Person:
    person = await session.scalar(select(Person).join(Contact, Contact.person_id == Person.id)
                                  .where(Contact.id == contact_id))
    if person is None:
        raise LookupError(f"no contact {contact_id}")
    return person


async def set_iom(session: AsyncSession, person: Person, cohort: bool, case_ref: str | None) -> None:
    person.iom_cohort, person.iom_case_ref = cohort, (case_ref or None)
    await session.flush()
