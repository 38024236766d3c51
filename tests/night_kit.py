"""A running helpline on a fixed clock, with the team of ``routing_kit`` on the rota, driven as
a person and mentors would drive it: signed SMS, Telegram updates and button taps in, and what
the Telegram and Twilio fakes were asked to deliver out. Time moves only when a test says so,
and deadlines fire only then, so a test can say what happened at 03:09 and what at 03:10."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased

from storage.models import OutboxItem
from tests.conftest import Backend, Helpline, eventually, helpline_settings
from tests.fake_telegram import FakeBotApi
from tests.fake_twilio import FakeTwilio
from tests.routing_kit import Clock, Team, make_team

# Tuesday 24 November 2026, London time (= UTC in winter); awake hours 08:00-22:00
AT_3AM = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
AT_2PM = datetime(2026, 11, 24, 14, 0, tzinfo=timezone.utc)
PERSON = "+447700900123"
ANNE, BEN, CARA = 1001, 1002, 1003  # primary, backup, coordinator (Telegram chats)
CARA_PHONE = "+447700900903"
_sids = itertools.count(1)


@dataclass
class Line:
    helpline: Helpline
    clock: Clock
    bot: FakeBotApi
    twilio: FakeTwilio
    sessions: Any
    team: Team
    start: datetime

    # --- in ---------------------------------------------------------------------------------

    async def sms(self, text: str, sender: str = PERSON) -> None:
        response = await self.helpline.sms(sender, text, f"SM{next(_sids):032d}")
        assert response.status == 200, await response.text()
        await self.settle()

    async def telegram(self, chat: int, text: str) -> None:
        response = await self.helpline.telegram(self.bot.message_update(chat, text))
        assert response.status == 200, await response.text()
        await self.settle()

    async def tap(self, chat: int, data: str) -> None:
        response = await self.helpline.telegram(self.bot.button_update(chat, data))
        assert response.status == 200, await response.text()
        await self.settle()

    async def at(self, **delta: float) -> None:
        """Move the clock on from the start of the scenario and let whatever fell due happen."""
        self.clock.now = self.start + timedelta(**delta)
        await self.helpline.services.router.fire_due()
        await self.helpline.services.calls.overdue()  # the same poll as the deadlines'
        await self.helpline.services.referrals.poll()
        await self.helpline.services.relay_batches.flush_due()  # a flood's held messages, batched
        self.helpline.services.outbox_worker.wake()
        await self.settle()

    async def settle(self) -> None:
        """Wait until the outbox has sent everything that is due and may go: a row queued behind
        an unsent one to the same recipient (the privacy notice behind a welcome that is being
        retried) waits for it, as the outbox worker makes it (storage/outbox.py)."""
        unsent = ("pending", "sending")
        earlier = aliased(OutboxItem)
        held = exists().where(earlier.channel == OutboxItem.channel, earlier.address_key == OutboxItem.address_key,
                              earlier.status.in_(unsent), earlier.id < OutboxItem.id)

        async def drained() -> bool:
            async with self.sessions() as session:
                waiting = await session.scalar(select(func.count()).select_from(OutboxItem).where(
                    OutboxItem.status.in_(unsent), OutboxItem.next_attempt_at <= self.clock.now, ~held))
            return not waiting

        self.helpline.services.outbox_worker.wake()
        await eventually(drained)

    # --- out --------------------------------------------------------------------------------

    def texts_to(self, number: str = PERSON) -> list[str]:
        return [m["body"] for m in self.twilio.messages if m["to"] == number]

    def sent_to(self, chat: int) -> list[dict[str, Any]]:
        """Every new message the bot sent to a chat (edits are not new messages)."""
        return [p for p in self.bot.sent() if int(p["chat_id"]) == chat]

    def cards_to(self, chat: int) -> list[dict[str, Any]]:
        return [p for p in self.sent_to(chat) if "HIGH" in p["text"] or "LOW" in p["text"]
                or "MEDIUM" in p["text"] or "EMERGENCY" in p["text"]]

    def edits_to(self, chat: int) -> list[dict[str, Any]]:
        return [p for p in self.bot.sent("editMessageText") if int(p["chat_id"]) == chat]


def quiet(message: dict[str, Any]) -> bool:
    return bool(message.get("disable_notification"))


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


async def open_line(backend: Backend, sessions: Any, bot: FakeBotApi, twilio: FakeTwilio, start_helpline: Any,
                    at: datetime, shifts: bool = True, **settings: Any) -> Line:
    team = await make_team(sessions, shifts=shifts)
    clock = Clock(at)
    values: dict[str, Any] = dict(deadline_poll_seconds=3600, outbox_poll_seconds=0.05)
    values.update(settings)
    helpline = await start_helpline(helpline_settings(backend, bot, twilio, **values), clock=clock,
                                    poll_at_start=False)  # deadlines fire when a test moves the clock
    return Line(helpline, clock, bot, twilio, sessions, team, at)
