"""The outbox-backed notifier: alert cards as Telegram messages with buttons, or as SMS.

Rendering lives here, not in the chain: the chain says who and how loudly, this says how it
looks on each channel. Everything goes through the outbox in the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from escalation.notify import AlertCard
from storage import mentors as mentor_store
from storage import outbox
from storage.mentors import MentorView

MARKERS = {"emergency": "🔴 EMERGENCY", "high": "🟠 HIGH", "medium": "🟡 MEDIUM", "low": "⚪ LOW"}
CATEGORY_WORDS = {
    "suicide_self_harm": "suicide / self-harm", "violence_to_others": "violence to others",
    "domestic_abuse": "domestic abuse", "child_safeguarding": "child safeguarding",
    "substance_misuse": "drugs / alcohol", "reoffending_risk": "reoffending / licence",
    "accommodation": "accommodation", "finance": "money / food", "emotional_distress": "distress",
    "employment": "work / training",
}


def callback(contact_id: int, action: str) -> str:
    """The button protocol: short, stable across restarts, far under Telegram's 64 bytes."""
    return f"c:{contact_id}:{action}"


def card_text(card: AlertCard, zone: Any) -> str:
    lines = [f"{MARKERS.get(card.level, card.level.upper())} · {card.alias} · {card.channel.upper()} · #{card.contact_id}"]
    if card.categories:
        lines.append("Risk: " + ", ".join(CATEGORY_WORDS.get(c, c) for c in card.categories))
    if card.phrases:
        lines.append("Why: " + ", ".join(f"“{p}”" for p in card.phrases))
    if card.preview:
        lines.append(f"“{card.preview}”")
    lines.append(f"Earlier contacts: {card.earlier_contacts} · language: {card.language}"
                 + (" · IOM cohort" if card.iom_cohort else ""))
    if card.earlier_sessions:
        lines.append("Last sessions: " + "; ".join(f"{outcome or '?'} with {who.split()[0]}"
                                                    for outcome, who in card.earlier_sessions))
    if card.deadline_at is not None:
        lines.append(f"Accept by {card.deadline_at.astimezone(zone):%H:%M}" + (" (reminder)" if card.step else ""))
    return "\n".join(lines)


def sms_text(card: AlertCard, zone: Any) -> str:
    risk = ", ".join(CATEGORY_WORDS.get(c, c) for c in card.categories) or "no risk found"
    by = f" by {card.deadline_at.astimezone(zone):%H:%M}" if card.deadline_at else ""
    return (f"HELPLINE {card.level.upper()} {card.alias}: {risk}. "
            f"Reply ACCEPT {card.contact_id} to take it{by}, or PASS {card.contact_id}.")


class OutboxNotifier:
    def __init__(self, channels: frozenset[str], zone: Any, clock: Callable[[], datetime]) -> None:
        self.channels = channels
        self._zone = zone
        self._clock = clock

    async def alert(self, session: AsyncSession, mentor: MentorView, card: AlertCard, channel: str) -> int | None:
        options: dict[str, Any] = {}
        if channel == "telegram":
            text = card_text(card, self._zone)
            options["reply_markup"] = {"inline_keyboard": [[
                {"text": "Accept", "callback_data": callback(card.contact_id, "accept")},
                {"text": "Pass", "callback_data": callback(card.contact_id, "pass")},
            ]]}
        else:
            text = sms_text(card, self._zone)
        round_ = int(card.deadline_at.timestamp()) if card.deadline_at else 0  # the last step repeats
        return await self._queue(session, mentor, channel, text,
                                 f"alert:{card.alert_id}:{card.step}:{round_}:{mentor.id}:{channel}",
                                 card.contact_id, options)

    async def taken(self, session: AsyncSession, mentor: MentorView, card_outbox_id: int | None,
                    channel: str, card: AlertCard, by: MentorView) -> None:
        note = f"✅ Taken by {by.first_name}"
        if channel == "telegram" and card_outbox_id is not None:
            text = card_text(card, self._zone).rsplit("\nAccept by", 1)[0] + f"\n{note}"
            options = {"edit_of": card_outbox_id, "reply_markup": {"inline_keyboard": []}}
            await self._queue(session, mentor, channel, text, f"taken:{card_outbox_id}", card.contact_id, options)
        elif channel == "sms":
            await self._queue(session, mentor, channel, f"HELPLINE {card.alias} #{card.contact_id}: {note}.",
                              f"taken:{card.alert_id}:{mentor.id}:sms", card.contact_id, {})

    async def message(self, session: AsyncSession, mentor: MentorView, text: str, channel: str,
                      dedupe: str, contact_id: int | None = None,
                      buttons: list[tuple[str, str]] | None = None) -> int | None:
        options: dict[str, Any] = {}
        if buttons and channel == "telegram":
            options["reply_markup"] = {"inline_keyboard": [[{"text": t, "callback_data": d} for t, d in buttons]]}
        return await self._queue(session, mentor, channel, text, dedupe, contact_id, options)

    async def _queue(self, session: AsyncSession, mentor: MentorView, channel: str, text: str, dedupe: str,
                     contact_id: int | None, options: dict[str, Any]) -> int | None:
        address = await mentor_store.address(session, mentor.id, channel)
        if not address:
            return None
        return await outbox.enqueue(session, dedupe_key=dedupe, channel=channel, address=address, body=text,
                                    now=self._clock(), contact_id=contact_id, options=options)
