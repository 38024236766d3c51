"""What a mentor is shown of a contact on every card, reminder and handover: the most urgent
message with why, the latest one, how many came since the alert, and what the person said of
their own safety. Channel-free: ``bot.notifier`` renders it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from escalation.notify import AlertCard, Glimpse
from storage import contacts
from storage import mentors as mentor_store
from storage import relay as relay_store
from storage.contacts import StoredMessage
from escalation.referrals.sharing import share_label
from storage import referrals as referral_store
from storage.models import Alert, Contact, Person, Referral

PREVIEW_WORDS = 12
ASKED_FOR_HELP = "the person asked for help now"
LIFE_AT_RISK = "☎ If life is at risk now, call 999 (112 in NL / IT) yourself, then stay in touch with the person."


async def build_card(session: AsyncSession, alert: Alert, contact: Contact, person: Person, step: int,
                     due: datetime | None, quiet: bool = False) -> AlertCard:
    worst, latest = await contacts.worst_and_latest(session, contact.id)
    earlier = await contacts.count_contacts(session, person.id) - 1
    sessions_before = tuple(await relay_store.earlier_sessions(session, person.id, contact.id))
    since = await contacts.inbound_after(session, contact.id, alert.message_id, alert.opened_at)
    shared = await referral_store.of_contact(session, contact.id)
    waiting_for = None
    if alert.kind == "reply" and contact.assigned_mentor_id is not None:
        holder = (await mentor_store.mentors_by_id(session, [contact.assigned_mentor_id])).get(contact.assigned_mentor_id)
        waiting_for = holder.first_name if holder else None
    return AlertCard(
        alert.id, contact.id, person.alias, alert.level, categories_of(worst, latest), glimpse(worst),
        glimpse(latest), contact.channel, person.language, earlier, sessions_before[:3], bool(person.iom_cohort),
        due, step, kind=alert.kind, since_alert=since,
        asked_now_at=contact.safety_answer_at if contact.safety_answer == "now" else None,
        safety_answer=contact.safety_answer, waiting_for=waiting_for, quiet=quiet,
        advice=advice(contact, shared), referrals=to_complete(shared))


def advice(contact: Contact, shared: list[Referral]) -> tuple[str, ...]:
    """What a mentor must know beyond "someone is waiting": at emergency, that 999 is theirs to
    call if life is at risk now, and whether the safeguarding lead has been told."""
    if contact.urgency != "emergency":
        return ()
    lines = [LIFE_AT_RISK]
    told = [r for r in shared if r.kind == "emergency"]
    if any(r.state in ("sent", "delivered", "acknowledged") for r in told):
        lines.append("The safeguarding lead has been told.")
    elif told:
        lines.append("The safeguarding lead could NOT be told: the coordinators were asked to call them.")
    return tuple(lines)


def to_complete(shared: list[Referral]) -> tuple[tuple[int, str], ...]:
    """Proposed shares a mentor can take forward from the card (the checklist first)."""
    return tuple((r.id, f"{share_label(r.kind)} proposed") for r in shared
                 if r.state == "proposed" and r.kind != "emergency")


async def most_urgent_line(session: AsyncSession, contact_id: int) -> str:
    """The contact's most urgent message with why, as one line for a handover or transfer."""
    worst, _ = await contacts.worst_and_latest(session, contact_id)
    return describe("Most urgent", glimpse(worst))


def describe(label: str, seen: Glimpse | None) -> str:
    if seen is None:
        return ""
    why = f" — why: {', '.join(seen.why)}" if seen.why else ""
    return f"{label} ({seen.level}): “{seen.preview}”{why}"


def glimpse(message: StoredMessage | None) -> Glimpse | None:
    if message is None:
        return None
    words = message.body.split()
    preview = " ".join(words[:PREVIEW_WORDS]) + (" …" if len(words) > PREVIEW_WORDS else "")
    triage = message.triage or {}
    return Glimpse(preview, message.received_at, message.level or "low", why(triage), triage.get("via"))


def why(triage: dict[str, Any]) -> tuple[str, ...]:
    """The reasons a mentor can read: a plea for help first, then the phrases that counted."""
    reasons = [ASKED_FOR_HELP] if triage.get("asked_for_help") else []
    for match in triage.get("matched", []):
        if match.get("lowered_by") or match.get("kind") == "self_escalation":
            continue
        phrase = f"“{match['phrase']}”"
        reasons.append(f"{match['source']}: {phrase}" if match.get("kind") == "model" else phrase)
    return tuple(dict.fromkeys(reasons))[:4]


def categories_of(*messages: StoredMessage | None) -> tuple[str, ...]:
    found: list[str] = []
    for message in messages:
        if message is not None:
            found += [c for c in message.categories if c not in found]
    return tuple(found)
