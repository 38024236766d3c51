"""Subject rights: everything held about one person (a subject access request), erasing them,
and the legal hold that blocks erasure and purges.

What is the person's: their person row, their own channel addresses (identities), their
contacts with every message (the mentors' replies too: the conversation), the review trail,
calls, referrals with what they said, opt-outs of their addresses, tags, triage corrections and
blocks (with the coordinator's reason; erasing deletes them).
Mentors appear by name only, as who handled; their numbers and chat ids never leave here.

Erasing keeps the person's alias and everything reports count (contacts, message times, levels,
categories, outcomes, pathways, minutes, alerts, referral kinds and bases), and removes every
text and address: identities are deleted, so a new message from the number is a new person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit
from storage.models import (
    Agency,
    Block,
    Call,
    Contact,
    ContactEvent,
    ContactTag,
    Identity,
    Mentor,
    Message,
    OptOut,
    OutboxItem,
    Person,
    Referral,
    TriageCorrection,
)
from storage.people import by_alias
from storage.retention import PurgeCounts, erase_contact_texts, erase_referral

ERASED = "[erased at the person's request]"
_DIGITS = re.compile(r"\+?\d[\d ()-]{5,}\d")


class LegalHold(ValueError):
    """Erasure refused: the person is under a legal hold (the message names its reason)."""


def _scrubbed(reason: str) -> str:
    """An operator's reason, kept for the audit without anything that looks like a number."""
    def number(found: re.Match[str]) -> str:
        return "[number]" if sum(ch.isdigit() for ch in found.group()) >= 7 else found.group()

    return _DIGITS.sub(number, reason.strip())[:200]


async def find(session: AsyncSession, given: str) -> Person:
    """The person by numeric id or alias (P-XXXXXX), followed to the one they were merged into."""
    text = given.strip()
    person = None
    if text.isdigit():
        person = await session.get(Person, int(text))
        while person is not None and person.merged_into_id is not None:
            person = await session.get(Person, person.merged_into_id)
    elif text:
        person = await by_alias(session, text)
    if person is None:
        raise LookupError(f"--person: no person {text!r} (give the numeric id or the alias, like P-7KQ2MD)")
    return person


async def _person_ids(session: AsyncSession, person: Person) -> list[int]:
    """The person and everyone merged into them (calls and referrals may still name those)."""
    ids, frontier = [person.id], [person.id]
    while frontier:
        frontier = list(await session.scalars(select(Person.id).where(Person.merged_into_id.in_(frontier))))
        ids += [i for i in frontier if i not in ids]
    return ids


async def _contact_ids(session: AsyncSession, person_ids: list[int]) -> list[int]:
    found = set(await session.scalars(select(Contact.id).where(Contact.person_id.in_(person_ids))))
    found |= set(await session.scalars(select(Call.contact_id).where(Call.person_id.in_(person_ids))))
    found |= set(await session.scalars(select(Referral.contact_id).where(Referral.person_id.in_(person_ids))))
    return sorted(found)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


async def export(session: AsyncSession, person: Person, now: datetime, actor: str) -> dict[str, Any]:
    """Everything held about the person, as JSON-ready data; audited (counts only)."""
    ids = await _person_ids(session, person)
    contact_ids = await _contact_ids(session, ids)
    names = {m.id: m.name for m in await session.scalars(select(Mentor))}
    agencies = {a.id: a.name for a in await session.scalars(select(Agency))}
    identities = list(await session.scalars(select(Identity).where(Identity.person_id.in_(ids)).order_by(Identity.id)))
    keys = [i.address_key for i in identities]
    contacts = []
    for contact in await session.scalars(select(Contact).where(Contact.id.in_(contact_ids)).order_by(Contact.id)):
        messages = await session.scalars(select(Message).where(Message.contact_id == contact.id).order_by(Message.id))
        events = await session.scalars(select(ContactEvent).where(ContactEvent.contact_id == contact.id)
                                       .order_by(ContactEvent.id))
        calls = await session.scalars(select(Call).where(Call.contact_id == contact.id).order_by(Call.id))
        tags = await session.scalars(select(ContactTag).where(ContactTag.contact_id == contact.id).order_by(ContactTag.id))
        corrections = await session.scalars(select(TriageCorrection).where(TriageCorrection.contact_id == contact.id)
                                            .order_by(TriageCorrection.id))
        referrals = await session.scalars(select(Referral).where(Referral.contact_id == contact.id).order_by(Referral.id))
        contacts.append({
            "id": contact.id, "channel": contact.channel, "status": contact.status, "urgency": contact.urgency,
            "opened_at": _iso(contact.opened_at), "closed_at": _iso(contact.closed_at),
            "close_reason": contact.close_reason, "outcome": contact.outcome, "pathways": contact.pathways,
            "minutes": contact.minutes, "note": contact.note, "safety_answer": contact.safety_answer,
            "handled_by": names.get(contact.assigned_mentor_id) if contact.assigned_mentor_id else None,
            "closed_by": names.get(contact.closed_by) if contact.closed_by else None,
            "texts_erased_at": _iso(contact.purged_at),
            "tags": [{"kind": t.kind, "value": t.value} for t in tags],
            "messages": [{"at": _iso(m.received_at), "channel": m.channel, "direction": m.direction,
                          "from": m.sender_kind, "text": m.body, "level": m.level, "categories": m.categories,
                          "triage": m.triage} for m in messages],
            "events": [{"at": _iso(e.at), "kind": e.kind, "by": _who(e.actor, names), "data": e.data} for e in events],
            "calls": [{"started_at": _iso(c.started_at), "ended_at": _iso(c.ended_at), "state": c.state,
                       "language": c.language, "taken_by": names.get(c.taken_by) if c.taken_by else None,
                       "talk_seconds": c.talk_seconds, "recording_url": c.recording_url,
                       "recording_seconds": c.recording_seconds} for c in calls],
            "triage_corrections": [{"at": _iso(t.at), "level_given": t.level_given,
                                    "level_corrected": t.level_corrected, "reason": t.reason} for t in corrections],
            "referrals": [{"id": r.id, "kind": r.kind, "reason": r.reason, "state": r.state,
                           "agency": agencies.get(r.agency_id) if r.agency_id else None,
                           "criteria": r.criteria, "checklist": r.dash, "details": r.details, "basis": r.basis,
                           "proposed_at": _iso(r.proposed_at), "sent_at": _iso(r.sent_at),
                           "acknowledged_at": _iso(r.acknowledged_at), "acknowledged_by": r.acknowledged_by,
                           "ended_reason": r.ended_reason} for r in referrals],
        })
    opt_outs = list(await session.scalars(select(OptOut).where(OptOut.address_key.in_(keys)))) if keys else []
    data = {
        "exported_at": now.isoformat(),
        "person": {"id": person.id, "alias": person.alias, "language": person.language,
                   "created_at": _iso(person.created_at), "also_known_as": ids[1:],
                   "iom_cohort": person.iom_cohort, "iom_case_ref": person.iom_case_ref,
                   "iom_contact": agencies.get(person.iom_agency_id) if person.iom_agency_id else None,
                   "named_mentor": names.get(person.named_mentor_id) if person.named_mentor_id else None,
                   "legal_hold": person.legal_hold, "erased_at": _iso(person.erased_at)},
        "identities": [{"kind": i.kind, "address": i.address, "since": _iso(i.created_at)} for i in identities],
        "opt_outs": [{"channel": o.channel, "address": o.address, "how": o.how, "stopped_at": _iso(o.stopped_at),
                      "wrote_at": _iso(o.wrote_at)} for o in opt_outs],
        "contacts": contacts,
        "blocks": [{"reason": b.reason, "blocked_at": _iso(b.blocked_at), "blocked_by": b.blocked_by,
                    "lifted_at": _iso(b.lifted_at), "lifted_by": b.lifted_by}
                   for b in await session.scalars(select(Block).where(Block.person_id.in_(ids)).order_by(Block.id))],
    }
    await audit.record(session, actor, "subject_export", now, person=person.id, contacts=len(contacts),
                       messages=sum(len(c["messages"]) for c in contacts))
    return data


def _who(actor: str, names: dict[int, str]) -> str:
    """An event's actor, with a mentor's name rather than their id."""
    kind, _, number = actor.partition(":")
    if kind == "mentor" and number.isdigit():
        return f"mentor {names.get(int(number), number)}"
    return actor


@dataclass
class Erased:
    alias: str
    identities: int
    opt_outs: int
    counts: PurgeCounts


async def erase(session: AsyncSession, person: Person, reason: str, now: datetime, actor: str) -> Erased:
    """Erase what is held about the person (see the module's note); refused under a legal hold
    or while they have an open contact. Audited with counts and the (scrubbed) reason."""
    if person.legal_hold:
        raise LegalHold(f"{person.alias} is under a legal hold ({person.legal_hold}): release it first")
    ids = await _person_ids(session, person)
    open_contact = await session.scalar(select(Contact.id).where(Contact.person_id.in_(ids), Contact.status == "open"))
    if open_contact is not None:
        raise ValueError(f"{person.alias} has an open contact #{open_contact}: close it first")
    identities = list(await session.scalars(select(Identity).where(Identity.person_id.in_(ids))))
    keys = [i.address_key for i in identities]
    contact_ids = await _contact_ids(session, ids)
    counts = await erase_contact_texts(session, contact_ids, ERASED, now, forget_provider_ids=True)
    for referral in await session.scalars(select(Referral).where(or_(Referral.person_id.in_(ids),
                                                                     Referral.contact_id.in_(contact_ids or [0])))):
        await erase_referral(session, referral, now)
        counts.referrals += 1
    opt_outs = 0
    if keys:
        # what was sent to them (or queued) outside their contacts still names their address
        await session.execute(update(OutboxItem).where(OutboxItem.address_key.in_(keys))
                              .values(address="", address_key=None, body="", provider_message_id=None, last_error=None)
                              .execution_options(synchronize_session=False))
        opt_outs = (await session.execute(delete(OptOut).where(OptOut.address_key.in_(keys)))).rowcount or 0
    await session.execute(delete(Identity).where(Identity.person_id.in_(ids)))
    await session.execute(delete(Block).where(Block.person_id.in_(ids)))  # a coordinator's words about them
    for each in await session.scalars(select(Person).where(Person.id.in_(ids))):
        each.iom_case_ref, each.erased_at = None, now
    await session.flush()
    await audit.record(session, actor, "subject_erase", now, person=person.id, reason=_scrubbed(reason),
                       identities=len(identities), opt_outs=opt_outs, **counts.as_dict())
    return Erased(person.alias, len(identities), opt_outs, counts)


async def set_hold(session: AsyncSession, person: Person, reason: str | None, now: datetime, actor: str) -> bool:
    """Place (``reason``) or release (None) a legal hold; False when nothing changes. Audited."""
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > 500:
        raise ValueError("--reason: at most 500 characters")
    if person.legal_hold == reason:
        return False
    person.legal_hold = reason
    await session.flush()
    await audit.record(session, actor, "legal_hold_set" if reason else "legal_hold_released", now,
                       person=person.id, **({"reason": _scrubbed(reason)} if reason else {}))
    return True
