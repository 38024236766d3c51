"""Provider faults, reproduced on purpose against the real clients: python-telegram-bot against the
Bot API fake, the twilio client against the Twilio fake. Time that matters runs on a test clock.

Flood control, an outage of minutes and a hung provider lose nothing, and a hung or failing
channel delays no other.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import pytest
from telegram import Bot

from bot.outbox_worker import BACKOFF_CAP_SECONDS, OutboxWorker
from bot.senders.base import Sender, TransientSendError
from bot.senders.sms import SmsSender, twilio_client
from bot.senders.telegram import TelegramSender
from storage import outbox
from storage.models import OutboxItem
from storage.types import utcnow
from tests.conftest import eventually
from tests.db_queries import rows
from tests.fake_telegram import FakeBotApi
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, HELPLINE_NUMBER, FakeTwilio
from tests.routing_kit import Clock

PEOPLE = ["+447700900201", "+447700900202", "+447700900203"]
CHATS = ["2001", "2002", "2003"]


@asynccontextmanager
async def real_senders(bot_api: FakeBotApi, twilio: FakeTwilio, *,
                       twilio_timeout: float = 15.0) -> AsyncIterator[dict[str, Sender]]:
    """The production senders, unmodified, pointed at the fakes."""
    bot = Bot(bot_api.token, base_url=bot_api.base_url)
    await bot.initialize()
    sms = SmsSender(twilio_client(ACCOUNT_SID, AUTH_TOKEN, twilio.api_url, timeout=twilio_timeout), HELPLINE_NUMBER)
    try:
        yield {"telegram": TelegramSender(bot), "sms": sms}
    finally:
        await sms.close()
        await bot.shutdown()


async def queue(sessions: Any, now: datetime, *items: tuple[str, str, str]) -> None:
    async with sessions() as session, session.begin():
        for channel, address, body in items:
            await outbox.enqueue(session, dedupe_key=f"{channel}:{address}:{body}", channel=channel,
                                 address=address, body=body, now=now)


async def drive(worker: OutboxWorker, clock: Clock, *, seconds: float, step: float) -> None:
    """Run the worker's passes while the test clock moves on ``step`` seconds at a time."""
    end = clock.now + timedelta(seconds=seconds)
    while clock.now < end:
        await worker.deliver_due()
        clock.advance(seconds=step)
    await worker.deliver_due()


async def statuses(sessions: Any) -> dict[str, str]:
    return {item.body: item.status for item in await rows(sessions, OutboxItem)}


async def test_45_seconds_of_telegram_flood_control_lose_no_reply(sessions, fake_bot, fake_twilio):
    clock = Clock(utcnow())
    flood_ends = clock.now + timedelta(seconds=45)
    fake_bot.fail_while("sendMessage", lambda: clock.now < flood_ends, 429, "Too Many Requests: retry after 5",
                        retry_after=5)
    replies = [("telegram", chat, f"{chat} reply {n}") for n in (1, 2) for chat in CHATS]
    await queue(sessions, clock.now, *replies)

    async with real_senders(fake_bot, fake_twilio) as senders:
        worker = OutboxWorker(sessions, senders, clock=clock)
        await drive(worker, clock, seconds=90, step=1)

    assert set((await statuses(sessions)).values()) == {"sent"}
    for item in await rows(sessions, OutboxItem):
        assert item.attempts == 1, "a flood-control wait is not a failed try"
    for chat in CHATS:
        assert [text for text, _ in fake_bot.delivered_to(int(chat))] == [f"{chat} reply 1", f"{chat} reply 2"]
        # asked again only when Telegram said to (every 5 s), not at every pass (every 1 s)
        assert fake_bot.attempts_to(int(chat)) <= 45 // 5 + 1 + 2


async def test_a_five_minute_twilio_outage_loses_no_sms(sessions, fake_bot, fake_twilio):
    clock = Clock(utcnow())
    outage_ends = clock.now + timedelta(minutes=5, seconds=30)
    fake_twilio.fail_while(lambda: clock.now < outage_ends, 500, 20500, "Internal Server Error")
    replies = [("sms", person, f"{person[-3:]} reply {n}") for n in (1, 2) for person in PEOPLE]
    await queue(sessions, clock.now, *replies)

    async with real_senders(fake_bot, fake_twilio) as senders:
        worker = OutboxWorker(sessions, senders, clock=clock)
        waits = []
        end = outage_ends + timedelta(minutes=10)
        while clock.now < end:
            await worker.deliver_due()
            waits += [(i.next_attempt_at - clock.now).total_seconds() for i in await rows(sessions, OutboxItem)
                      if i.status == "pending"]
            clock.advance(seconds=5)

    lost = [body for body, status in (await statuses(sessions)).items() if status != "sent"]
    assert lost == []
    for person in PEOPLE:
        assert [m["body"] for m in fake_twilio.messages if m["to"] == person] == [
            f"{person[-3:]} reply 1", f"{person[-3:]} reply 2"]
    assert max(waits) <= BACKOFF_CAP_SECONDS and fake_twilio.requests > 6 * 2


async def test_twilio_429_retry_after_is_waited_out_and_not_counted(sessions, fake_bot, fake_twilio):
    clock = Clock(utcnow())
    fake_twilio.fail_next(429, 20429, "Too Many Requests", retry_after="30")
    await queue(sessions, clock.now, ("sms", PEOPLE[0], "hello"))

    async with real_senders(fake_bot, fake_twilio) as senders:
        worker = OutboxWorker(sessions, senders, clock=clock)
        await worker.deliver_due()
        [item] = await rows(sessions, OutboxItem)
        assert (item.status, item.attempts, item.next_attempt_at) == ("pending", 0, clock.now + timedelta(seconds=30))
        clock.advance(seconds=29)
        assert await worker.deliver_due() == 0
        clock.advance(seconds=1)
        assert await worker.deliver_due() == 1

    [item] = await rows(sessions, OutboxItem)
    assert (item.status, item.attempts) == ("sent", 1)


async def test_the_twilio_client_gives_up_on_a_hung_request_by_itself(fake_bot, fake_twilio):
    fake_twilio.hang()
    async with real_senders(fake_bot, fake_twilio, twilio_timeout=0.3) as senders:
        with pytest.raises(TransientSendError, match="twilio unreachable"):
            # bounded wait: without the client's own timeout this raises TimeoutError instead
            await asyncio.wait_for(senders["sms"].send(PEOPLE[0], "hello", {}), timeout=20)
    assert fake_twilio.held == 1 and fake_twilio.messages == []


async def test_while_twilio_hangs_telegram_replies_go_out_and_the_sms_goes_later(sessions, fake_bot, fake_twilio):
    clock = Clock(utcnow())
    fake_twilio.hang()
    await queue(sessions, clock.now, ("sms", PEOPLE[0], "sms reply"))

    async with real_senders(fake_bot, fake_twilio, twilio_timeout=60) as senders:
        worker = OutboxWorker(sessions, senders, clock=clock, poll_seconds=0.05, send_timeout=60)
        worker.start()
        try:
            await asyncio.wait_for(fake_twilio.request_held.wait(), timeout=10)
            await queue(sessions, clock.now, *[("telegram", chat, f"reply to {chat}") for chat in CHATS])
            worker.wake()
            await eventually(lambda: len(fake_bot.sent()) == 3)
            # the Telegram replies arrived while the SMS was still held by Twilio
            assert (await statuses(sessions))["sms reply"] == "sending" and fake_twilio.messages == []

            fake_twilio.release()  # Twilio answers the held request with a 503: retried later
            await eventually(lambda: statuses_are(sessions, {"sms reply": "pending"}))
            clock.advance(minutes=10)
            await eventually(lambda: len(fake_twilio.messages) == 1)
        finally:
            await worker.stop()
    assert [m["body"] for m in fake_twilio.messages] == ["sms reply"]


async def test_a_send_that_outlasts_the_timeout_is_cut_and_retried_not_lost(sessions, fake_bot, fake_twilio):
    clock = Clock(utcnow())
    fake_twilio.hang()
    await queue(sessions, clock.now, ("sms", PEOPLE[0], "sms reply"))

    # the client itself would wait a minute: the worker's own bound cuts the send first
    async with real_senders(fake_bot, fake_twilio, twilio_timeout=60) as senders:
        worker = OutboxWorker(sessions, senders, clock=clock, send_timeout=0.3)
        await asyncio.wait_for(worker.deliver_due(), timeout=20)
        [item] = await rows(sessions, OutboxItem)
        assert (item.status, item.last_error) == ("pending", "sms: no answer within 0.3 s")

        fake_twilio.release()
        clock.advance(minutes=10)
        await worker.deliver_due()
    assert [m["body"] for m in fake_twilio.messages] == ["sms reply"]
    assert fake_twilio.held == 1


async def statuses_are(sessions: Any, expected: dict[str, str]) -> bool:
    found = await statuses(sessions)
    return all(found.get(body) == status for body, status in expected.items())
