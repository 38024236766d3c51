"""What is held about one person, in counts: the dashboard's person page shows this before a
coordinator exports, holds or erases, and after an erasure it is what remains.

Counts and states only, never a text or an address: the page is a summary a coordinator can
show on screen; the export is where the contents are. "The person's contacts" are the ones
``storage.subject`` exports and erases (its helpers, so the three never disagree).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Call, Contact, Identity, Message, Person, Referral
from storage.subject import _contact_ids, _person_ids


@dataclass(frozen=True)
class ContactLine:
    """One of the person's contacts, as a link on the page (no text)."""

    id: int
    opened_at: datetime
    status: str
    purged: bool


@dataclass(frozen=True)
class Held:
    """What is held about a person, as counts; ``open_contact`` blocks erasure, as a hold does."""

    person: Person
    merged: int  # other person records merged into this one
    channels: dict[str, int]  # identity kind -> how many (addresses are never shown here)
    contacts: tuple[ContactLine, ...]
    messages: int
    calls: int
    referrals: int
    open_contact: int | None

    @property
    def erasable(self) -> bool:
        return not self.person.legal_hold and self.open_contact is None and self.person.erased_at is None


async def held(session: AsyncSession, person: Person) -> Held:
    """The counts the person page shows, over the person and everyone merged into them."""
    ids = await _person_ids(session, person)
    contact_ids = await _contact_ids(session, ids) or [0]
    contacts = tuple(ContactLine(c.id, c.opened_at, c.status, c.purged_at is not None) for c in await session.scalars(
        select(Contact).where(Contact.id.in_(contact_ids)).order_by(Contact.opened_at.desc(), Contact.id.desc())))
    kinds = Counter(await session.scalars(select(Identity.kind).where(Identity.person_id.in_(ids))))
    messages = await session.scalar(select(func.count(Message.id)).where(Message.contact_id.in_(contact_ids)))
    calls = await session.scalar(select(func.count(Call.id)).where(Call.contact_id.in_(contact_ids)))
    referrals = await session.scalar(select(func.count(Referral.id)).where(
        or_(Referral.person_id.in_(ids), Referral.contact_id.in_(contact_ids))))
    # the same test as ``subject.erase``'s, so the page offers erasure exactly when it would work
    open_contact = await session.scalar(select(Contact.id).where(Contact.person_id.in_(ids), Contact.status == "open")
                                        .order_by(Contact.id).limit(1))
    return Held(person, len(ids) - 1, dict(sorted(kinds.items())), contacts, messages or 0, calls or 0,
                referrals or 0, open_contact)
