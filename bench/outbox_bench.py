"""Provider faults, measured: the production senders and outbox worker against the test fakes.

    .venv/bin/python bench/outbox_bench.py [--hang 120] [--outage-minutes 5]

1. Twilio hangs. For ``--hang`` seconds every Twilio request is held unanswered; meanwhile a
   Telegram reply and an SMS reply are queued every second. Prints how long the Telegram replies
   waited (queued to received by the Bot API fake, real time) and what became of the SMS.
2. Outage. On a test clock: Twilio answers 500 for ``--outage-minutes`` minutes and Telegram
   has 45 s of flood control (retry after 5 s), while replies are queued on both every 10 s.
   Prints how many replies were lost (failed or never sent by the end; the goal is 0).

SQLite in a temporary folder; nothing leaves the loopback interface.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import structlog  # noqa: E402
from sqlalchemy import select  # noqa: E402

from bot.outbox_worker import OutboxWorker  # noqa: E402
from storage import (
    outbox,  # noqa: E402
    sealing,  # noqa: E402
)
from storage.db import create_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import OutboxItem  # noqa: E402
from tests.fake_telegram import FakeBotApi  # noqa: E402
from tests.fake_twilio import FakeTwilio  # noqa: E402
from tests.routing_kit import Clock  # noqa: E402
from tests.test_outbox_faults import real_senders  # noqa: E402


class TimedBotApi(FakeBotApi):
    """The Bot API fake, noting when each message text arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: dict[str, float] = {}

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        self.arrived[str(params.get("text", ""))] = time.monotonic()
        return await super()._api_sendMessage(params)


async def enqueue(sessions: Any, now: datetime, channel: str, address: str, body: str) -> None:
    async with sessions() as session, session.begin():
        await outbox.enqueue(session, dedupe_key=f"{channel}:{body}", channel=channel, address=address,
                             body=body, now=now)


async def statuses(sessions: Any) -> dict[str, tuple[str, str]]:
    async with sessions() as session:
        return {i.body: (i.channel, i.status) for i in await session.scalars(select(OutboxItem))}


async def twilio_hangs(sessions: Any, hang: float) -> None:
    bot, twilio = TimedBotApi(), FakeTwilio()
    await bot.start()
    await twilio.start()
    queued: dict[str, float] = {}
    async with real_senders(bot, twilio) as senders:
        worker = OutboxWorker(sessions, senders, clock=lambda: datetime.now(timezone.utc), poll_seconds=0.2)
        worker.start()
        twilio.hang()
        for n in range(int(hang)):
            now = datetime.now(timezone.utc)
            await enqueue(sessions, now, "sms", f"+4477009{n:05d}", f"sms {n}")
            await enqueue(sessions, now, "telegram", str(3000 + n), f"telegram {n}")
            queued[f"telegram {n}"] = time.monotonic()
            worker.wake()
            await asyncio.sleep(1)
        twilio.release()
        released = time.monotonic()
        while time.monotonic() - released < 90 and any(
                status != "sent" for channel, status in (await statuses(sessions)).values() if channel == "sms"):
            await asyncio.sleep(0.5)  # the SMS go out on their next retry
        await worker.stop()
    await bot.stop()
    await twilio.stop()
    waits = [bot.arrived[text] - at for text, at in queued.items() if text in bot.arrived]
    found = await statuses(sessions)
    sms = [status for channel, status in found.values() if channel == "sms"]
    print(f"Twilio hung for {hang:.0f} s; {len(queued)} Telegram replies queued meanwhile, {len(waits)} delivered")
    if waits:
        print(f"  Telegram reply wait: median {statistics.median(waits) * 1000:.0f} ms, "
              f"max {max(waits) * 1000:.0f} ms")
    print(f"  SMS queued meanwhile: {len(sms)}; after Twilio came back: {sms.count('sent')} sent, "
          f"{sms.count('failed')} failed, {len(sms) - sms.count('sent') - sms.count('failed')} still waiting; "
          f"Twilio held {twilio.held} requests, each cut at the send timeout and retried")


async def outage(sessions: Any, minutes: float) -> None:
    bot, twilio = FakeBotApi(), FakeTwilio()
    await bot.start()
    await twilio.start()
    clock = Clock(datetime.now(timezone.utc))
    start = clock.now
    twilio.fail_while(lambda: clock.now < start + timedelta(minutes=minutes), 500, 20500, "Internal Server Error")
    bot.fail_while("sendMessage", lambda: clock.now < start + timedelta(seconds=45), 429,
                   "Too Many Requests: retry after 5", retry_after=5)
    async with real_senders(bot, twilio) as senders:
        worker = OutboxWorker(sessions, senders, clock=clock)
        n = 0
        while clock.now < start + timedelta(minutes=minutes + 15):
            if clock.now < start + timedelta(minutes=minutes):
                await enqueue(sessions, clock.now, "sms", f"+4477008{n:05d}", f"outage sms {n}")
                await enqueue(sessions, clock.now, "telegram", str(4000 + n), f"outage telegram {n}")
                n += 1
            await worker.deliver_due()
            clock.advance(seconds=10)
    await bot.stop()
    await twilio.stop()
    found = {body: s for body, s in (await statuses(sessions)).items() if body.startswith("outage")}
    lost = [body for body, (_, status) in found.items() if status != "sent"]
    print(f"Twilio 500s for {minutes:g} min and 45 s of Telegram flood control (test clock): "
          f"{len(found)} replies queued, {len(lost)} lost")


async def main() -> None:
    sealing.use_fresh_keys()  # encryption at rest, as in production; the keys die with the run
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hang", type=float, default=120.0, help="seconds Twilio hangs (real time)")
    parser.add_argument("--outage-minutes", type=float, default=5.0)
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))  # figures only
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{folder}/bench.db")
        await upgrade(engine)
        sessions = session_factory(engine)
        await twilio_hangs(sessions, args.hang)
        await outage(sessions, args.outage_minutes)
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
