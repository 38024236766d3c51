"""The notifier interface: how the chain reaches a mentor, whatever the channel.

The chain decides who and how loudly; a notifier turns that into a Telegram card with buttons,
an SMS or (with the voice feature) a phone call. Notifiers write to the outbox in the caller's
transaction, so an alert is sent if and only if the step that decided it was committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.mentors import MentorView


@dataclass(frozen=True)
class Glimpse:
    """One of the person's messages on a card: its first words, when, how urgent, and why."""

    preview: str
    at: datetime
    level: str
    why: tuple[str, ...]
    via: str | None = None  # voicemail | missed_call: what the person did was call


@dataclass(frozen=True)
class AlertCard:
    """What a mentor needs to decide in one glance: who, how urgent, why, by when.

    ``worst`` is the contact's most urgent message and ``latest`` its newest: after a night of
    waiting the card still shows what the person first described, not only "please answer"."""

    alert_id: int
    contact_id: int
    alias: str
    level: str
    categories: tuple[str, ...]
    worst: Glimpse | None
    latest: Glimpse | None
    channel: str
    language: str
    earlier_contacts: int
    earlier_sessions: tuple[tuple[str | None, str], ...]  # (outcome, mentor), newest first
    iom_cohort: bool
    deadline_at: datetime | None
    step: int
    kind: str = "contact"  # contact | reply (the assigned mentor has not answered)
    since_alert: int = 0  # messages the person wrote after the one that opened the alert
    asked_now_at: datetime | None = None  # when the person asked for someone now
    safety_answer: str | None = None  # now | can_wait, to "are you safe right now?"
    waiting_for: str | None = None  # reply alerts: the mentor who has not answered
    quiet: bool = False  # a low contact at night, before the person has answered the question
    advice: tuple[str, ...] = ()  # what to do beyond answering: call 999, the safeguarding lead told
    referrals: tuple[tuple[int, str], ...] = ()  # (referral id, what is proposed) for the mentor to complete


async def tell(notifier: "Notifier", session: AsyncSession, mentor: MentorView, text: str, dedupe: str,
               buttons: list[tuple[str, str]] | None = None, contact_id: int | None = None) -> bool:
    """A plain message on the mentor's first reachable channel; False if they have none.

    The dedupe key makes it once-only, also when another process races to send the same."""
    from escalation.chain import channels

    for channel in channels(0, mentor, notifier.channels):
        try:
            async with session.begin_nested():
                queued = await notifier.message(session, mentor, text, channel, dedupe=f"{dedupe}:{channel}",
                                                contact_id=contact_id,
                                                buttons=buttons if channel == "telegram" else None)
        except IntegrityError:
            return False
        return queued is not None
    return False


class Notifier(Protocol):
    channels: frozenset[str]

    async def alert(self, session: AsyncSession, mentor: MentorView, card: AlertCard, channel: str) -> int | None:
        """Queue the alert card; returns the outbox id, or None if the mentor has no address there."""
        ...

    async def taken(self, session: AsyncSession, mentor: MentorView, card_outbox_id: int | None,
                    channel: str, card: AlertCard, by: MentorView, how: str = "taken") -> None:
        """Tell a mentor who was alerted that someone else has taken (or answered) the contact."""
        ...

    async def message(self, session: AsyncSession, mentor: MentorView, text: str, channel: str,
                      dedupe: str, contact_id: int | None = None,
                      buttons: list[tuple[str, str]] | None = None) -> int | None:
        """A plain message to a mentor (a gap report, a pass acknowledged)."""
        ...
