"""The outbox worker: each message once, in order per recipient, retried, never stuck."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.outbox_worker import OutboxWorker
from bot.senders.base import PermanentSendError, TransientSendError
from storage import outbox
from storage.models import OutboxItem
from storage.types import utcnow
from tests.db_queries import rows


class RecordingSender:
    channel = "sms"

    def __init__(self, delay: float = 0.0, fail: dict[str, list[Exception]] | None = None) -> None:
        self.sent: list[tuple[str, str]] = []
        self.delay = delay
        self.fail = fail or {}

    async def send(self, address: str, body: str, options: dict[str, Any]) -> str | None:
        await asyncio.sleep(self.delay)
        failures = self.fail.get(body)
        if failures:
            raise failures.pop(0)
        self.sent.append((address, body))
        return f"SM-{len(self.sent)}"


async def queue(sessions, *items: tuple[str, str]) -> None:
    now = utcnow()
    async with sessions() as session, session.begin():
        for number, (address, body) in enumerate(items):
            await outbox.enqueue(session, dedupe_key=f"k{number}-{body}", channel="sms",
                                 address=address, body=body, now=now)


async def test_two_workers_on_one_database_never_send_the_same_message(sessions):
    await queue(sessions, *[(f"+4477009{n:05d}", f"m{n}") for n in range(40)])
    sender = RecordingSender(delay=0.01)
    workers = [OutboxWorker(sessions, {"sms": sender}, clock=utcnow) for _ in range(2)]

    async def drain(worker: OutboxWorker) -> None:
        while await worker.deliver_due():
            pass

    await asyncio.gather(*(drain(w) for w in workers))

    assert sorted(body for _, body in sender.sent) == sorted(f"m{n}" for n in range(40))
    assert len(sender.sent) == 40
    assert {i.status for i in await rows(sessions, OutboxItem)} == {"sent"}


async def test_a_delayed_message_holds_back_later_ones_to_the_same_person_only(sessions):
    await queue(sessions, ("+447700900001", "first"), ("+447700900001", "second"),
                ("+447700900002", "other person"))
    sender = RecordingSender(fail={"first": [TransientSendError("twilio 503", retry_after=60)]})
    worker = OutboxWorker(sessions, {"sms": sender}, clock=utcnow)

    await worker.deliver_due()
    await worker.deliver_due()

    assert sender.sent == [("+447700900002", "other person")]
    statuses = {i.body: i.status for i in await rows(sessions, OutboxItem)}
    assert statuses == {"first": "pending", "second": "pending", "other person": "sent"}


async def test_retries_stop_at_the_limit_and_the_row_says_why(sessions):
    await queue(sessions, ("+447700900001", "doomed"))
    clock_now = [utcnow()]
    sender = RecordingSender(fail={"doomed": [TransientSendError("twilio 503")] * 3})
    worker = OutboxWorker(sessions, {"sms": sender}, clock=lambda: clock_now[0], max_attempts=3)

    for _ in range(3):
        await worker.deliver_due()
        clock_now[0] += timedelta(minutes=10)

    [item] = await rows(sessions, OutboxItem)
    assert item.status == "failed" and item.attempts == 3 and item.last_error == "twilio 503"


async def test_a_permanent_error_is_not_retried(sessions):
    await queue(sessions, ("+447700900001", "blocked"))
    sender = RecordingSender(fail={"blocked": [PermanentSendError("telegram: bot was blocked")]})
    worker = OutboxWorker(sessions, {"sms": sender}, clock=utcnow)

    await worker.deliver_due()

    [item] = await rows(sessions, OutboxItem)
    assert (item.status, item.attempts, item.last_error) == ("failed", 1, "telegram: bot was blocked")


async def test_a_row_left_sending_by_a_dead_worker_is_sent_after_its_lease(sessions):
    await queue(sessions, ("+447700900001", "orphan"))
    start = datetime.now(timezone.utc)
    async with sessions() as session, session.begin():
        claimed = await outbox.claim_due(session, start, 10, timedelta(seconds=60), ["sms"])
    assert len(claimed) == 1  # ...and that worker dies here
    sender = RecordingSender()

    early = OutboxWorker(sessions, {"sms": sender}, clock=lambda: start + timedelta(seconds=30))
    assert await early.deliver_due() == 0
    late = OutboxWorker(sessions, {"sms": sender}, clock=lambda: start + timedelta(seconds=61))
    assert await late.deliver_due() == 1
    assert sender.sent == [("+447700900001", "orphan")]


async def test_messages_for_a_channel_that_is_off_wait_rather_than_fail(sessions):
    await queue(sessions, ("+447700900001", "for sms"))
    worker = OutboxWorker(sessions, {}, clock=utcnow)

    assert await worker.deliver_due() == 0
    [item] = await rows(sessions, OutboxItem)
    assert item.status == "pending" and item.attempts == 0
