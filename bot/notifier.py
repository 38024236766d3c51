"""The outbox-backed notifier: alert cards as Telegram messages with buttons, or as SMS.

Rendering lives here, not in the chain: the chain says who and how loudly, this says how it
looks on each channel. Everything goes through the outbox in the caller's transaction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from escalation.notify import AlertCard, Glimpse
from handlers.twiml import spelt
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


def level_buttons(contact_id: int, current: str) -> list[dict[str, str]]:
    """One tap to say the triage was wrong: every level but the current one."""
    return [{"text": MARKERS[level].split()[0] + " " + level, "callback_data": f"l:{contact_id}:{level}"}
            for level in MARKERS if level != current]


def card_text(card: AlertCard, zone: Any) -> str:
    def local(at: datetime) -> str:
        return at.astimezone(zone).strftime("%H:%M")

    head = f"{MARKERS.get(card.level, card.level.upper())} · {card.alias} · {card.channel.upper()} · #{card.contact_id}"
    lines = [head]
    if card.kind == "reply":
        since = f" since {local(card.latest.at)}" if card.latest else ""
        lines.append(f"⏰ Waiting for {card.waiting_for or 'its mentor'}'s answer{since}")
    if card.asked_now_at is not None:
        lines.append(f"🆘 The person asked for help now ({local(card.asked_now_at)})")
    if card.categories:
        lines.append("Risk: " + ", ".join(CATEGORY_WORDS.get(c, c) for c in card.categories))
    lines += _messages(card, local)
    if card.since_alert:
        lines.append(f"{card.since_alert} more message{'s' if card.since_alert != 1 else ''} since the alert")
    if card.safety_answer == "can_wait":
        lines.append("Safe to wait: the person said it can wait")
    elif card.safety_answer is None and card.quiet:
        lines.append("Quiet for now: asked if they are safe; this comes again with sound unless they say it can wait")
    lines.append(f"Earlier contacts: {card.earlier_contacts} · language: {card.language}"
                 + (" · IOM cohort" if card.iom_cohort else ""))
    if card.earlier_sessions:
        lines.append("Last sessions: " + "; ".join(f"{outcome or '?'} with {who.split()[0]}"
                                                    for outcome, who in card.earlier_sessions))
    lines += list(card.advice)
    lines += [f"📋 {what}: the Dash checklist / referral, button below" for _, what in card.referrals]
    if card.deadline_at is not None:
        verb = "Answer" if card.kind == "reply" and card.step == 0 else "Accept"
        lines.append(f"{verb} by {local(card.deadline_at)}" + (" (reminder)" if card.step else ""))
    return "\n".join(lines)


VIA = {"voicemail": "🎙 Voicemail (listen on the dashboard): ", "missed_call": "📞 "}


def _messages(card: AlertCard, local: Any) -> list[str]:
    """The most urgent message with why, and the latest when it is another one."""
    worst, latest = card.worst, card.latest
    if worst is None:
        return []
    why = ("Why: " + ", ".join(worst.why)) if worst.why else ""
    quoted = _quoted(worst)
    if latest is None or latest == worst:
        return [line for line in (why, quoted) if line]
    return [f"Most urgent ({local(worst.at)}, {worst.level}): {quoted}" + (f" · {why}" if why else ""),
            f"Latest ({local(latest.at)}): {_quoted(latest)}"]


def _quoted(seen: Glimpse) -> str:
    if seen.via == "missed_call":
        return VIA["missed_call"] + seen.preview
    return VIA.get(seen.via or "", "") + f"“{seen.preview}”"


def voice_text(card: AlertCard) -> str:
    """What a mentor's phone says when the helpline calls to wake them: who, how urgent, why."""
    alias = spelt(card.alias)
    risk = ", ".join(CATEGORY_WORDS.get(c, c) for c in card.categories) or "no risk words found"
    if card.kind == "reply" and card.waiting_for:
        return (f"Helpline. {alias} is still waiting for an answer from {card.waiting_for}. "
                "Press 1 to take it over, 2 to pass.")
    asked = " The person asked for help now." if card.asked_now_at else ""
    return (f"{card.level.capitalize()} helpline contact waiting, {alias}, {risk}.{asked} "
            "Press 1 to accept, 2 to pass.")


def sms_text(card: AlertCard, zone: Any) -> str:
    by = f" by {card.deadline_at.astimezone(zone):%H:%M}" if card.deadline_at else ""
    if card.kind == "reply" and card.step == 0:
        return (f"HELPLINE {card.alias} #{card.contact_id} is waiting for your answer. "
                f"Reply to them here{by}, or PASS {card.contact_id}.")
    risk = ", ".join(CATEGORY_WORDS.get(c, c) for c in card.categories) or "no risk found"
    asked = " Asked for help now." if card.asked_now_at else ""
    asked += " Life at risk now: call 999." if card.advice else ""
    return (f"HELPLINE {card.level.upper()} {card.alias}: {risk}.{asked} "
            f"Reply ACCEPT {card.contact_id} to take it{by}, or PASS {card.contact_id}.")


class OutboxNotifier:
    def __init__(self, channels: frozenset[str], zone: Any, clock: Callable[[], datetime]) -> None:
        self.channels = channels
        self._zone = zone
        self._clock = clock

    async def alert(self, session: AsyncSession, mentor: MentorView, card: AlertCard, channel: str) -> int | None:
        options: dict[str, Any] = {"quiet": True} if card.quiet else {}
        if channel == "telegram":
            text = card_text(card, self._zone)
            first = ({"text": "Reply", "callback_data": f"r:{card.contact_id}"} if card.kind == "reply" and card.step == 0
                     else {"text": "Accept", "callback_data": callback(card.contact_id, "accept")})
            options["reply_markup"] = {"inline_keyboard": [
                [first, {"text": "Pass", "callback_data": callback(card.contact_id, "pass")}],
                level_buttons(card.contact_id, card.level),
                *[[{"text": f"📋 {what.removesuffix(' proposed')}", "callback_data": f"f:{rid}:go"}]
                  for rid, what in card.referrals]]}
        elif channel == "voice":
            text = voice_text(card)
            options["call"] = {"contact": card.contact_id, "alert": card.alert_id, "step": card.step,
                               "mentor": mentor.id}
        else:
            text = sms_text(card, self._zone)
        round_ = int(card.deadline_at.timestamp()) if card.deadline_at else 0  # a step can repeat
        return await self._queue(session, mentor, channel, text,
                                 f"alert:{card.alert_id}:{card.step}:{round_}:{mentor.id}:{channel}",
                                 card.contact_id, options)

    async def taken(self, session: AsyncSession, mentor: MentorView, card_outbox_id: int | None,
                    channel: str, card: AlertCard, by: MentorView, how: str = "taken") -> None:
        note = f"✅ {how.capitalize()} by {by.first_name}"
        if channel == "telegram" and card_outbox_id is not None:
            text = card_text(replace(card, deadline_at=None), self._zone) + f"\n{note}"
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
