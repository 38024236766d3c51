"""The outbox worker: each message once, in order per recipient, retried, never stuck."""

from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.outbox_worker import BACKOFF_CAP_SECONDS, OutboxWorker, backoff_seconds
from bot.senders.base import PermanentSendError, TransientSendError
from storage import outbox
from storage.models import OutboxItem
from storage.types import utcnow
from tests.conftest import eventually
from tests.db_queries import rows
from tests.routing_kit import Clock


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


class GatedSender:
    """Holds every send to a gated address until the test opens its gate."""

    channel = "sms"

    def __init__(self, gated: set[str] = frozenset(), delays: dict[str, float] | None = None) -> None:
        self.gates = {address: asyncio.Event() for address in gated}
        self.delays = delays or {}
        self.started: list[str] = []
        self.sent: list[tuple[str, str]] = []

    async def send(self, address: str, body: str, options: dict[str, Any]) -> str | None:
        self.started.append(body)
        if address in self.gates:
            await self.gates[address].wait()
        await asyncio.sleep(self.delays.get(body, 0.0))
        self.sent.append((address, body))
        return f"SM-{len(self.sent)}"


async def queue(sessions, *items: tuple[str, str], now: datetime | None = None) -> None:
    now = now or utcnow()
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


async def test_a_failing_message_is_retried_for_a_day_however_many_tries_that_takes(sessions):
    start = utcnow()
    await queue(sessions, ("+447700900001", "doomed"), now=start)
    clock = Clock(start)
    sender = RecordingSender(fail={"doomed": [TransientSendError("twilio 503")] * 1000})
    worker = OutboxWorker(sessions, {"sms": sender}, clock=clock, give_up_after=timedelta(hours=24))

    tries = 0
    while clock.now < start + timedelta(hours=23, minutes=50):
        tries += await worker.deliver_due()
        clock.advance(minutes=10)  # past the longest back-off
    [item] = await rows(sessions, OutboxItem)
    assert item.status == "pending" and tries == item.attempts > 100  # the old limit was 8 tries

    clock.now = start + timedelta(hours=24)
    await worker.deliver_due()
    [item] = await rows(sessions, OutboxItem)
    assert item.status == "failed" and item.last_error == "gave up after 24 h: twilio 503"


def test_back_off_grows_with_jitter_and_is_capped():
    random.seed(12)
    first, fourth, late = ([backoff_seconds(n) for _ in range(300)] for n in (1, 4, 40))
    assert 2 <= min(first) and max(first) <= 4
    assert 2 <= min(fourth) and max(fourth) <= 32 and max(fourth) > 24
    assert max(late) <= BACKOFF_CAP_SECONDS and max(late) > 0.9 * BACKOFF_CAP_SECONDS
    assert len({round(wait, 3) for wait in late}) > 250  # spread out, not a stampede at one instant


async def test_a_slow_recipient_delays_neither_others_nor_its_own_order(sessions):
    await queue(sessions, ("+447700900001", "A1"), ("+447700900001", "A2"), ("+447700900002", "B1"),
                ("+447700900002", "B2"))
    sender = GatedSender(gated={"+447700900001"})
    worker = OutboxWorker(sessions, {"sms": sender}, clock=utcnow, poll_seconds=0.05)
    worker.start()
    try:
        await eventually(lambda: len(sender.sent) == 2)
        assert sender.sent == [("+447700900002", "B1"), ("+447700900002", "B2")]
        assert "A1" in sender.started and "A2" not in sender.started  # A2 never starts while A1 is held
        sender.gates["+447700900001"].set()
        await eventually(lambda: len(sender.sent) == 4)
    finally:
        await worker.stop()
    assert [body for address, body in sender.sent if address == "+447700900001"] == ["A1", "A2"]


async def test_each_recipient_gets_their_messages_in_order_while_lanes_run_at_once(sessions):
    people = [f"+4477009000{n:02d}" for n in range(6)]
    await queue(sessions, *[(person, f"{person[-2:]}-{i}") for i in range(4) for person in people])
    rng = random.Random(5)
    sender = GatedSender(delays={f"{p[-2:]}-{i}": rng.uniform(0, 0.03) for p in people for i in range(4)})
    worker = OutboxWorker(sessions, {"sms": sender}, clock=utcnow, poll_seconds=0.05, lanes_per_channel=4)
    worker.start()
    try:
        await eventually(lambda: len(sender.sent) == 24)
    finally:
        await worker.stop()
    for person in people:
        assert [body for address, body in sender.sent if address == person] == [f"{person[-2:]}-{i}" for i in range(4)]


async def test_sends_in_flight_are_bounded_per_channel(sessions):
    await queue(sessions, *[(f"+4477009000{n:02d}", f"m{n}") for n in range(5)])
    sender = GatedSender(gated={f"+4477009000{n:02d}" for n in range(5)})
    worker = OutboxWorker(sessions, {"sms": sender}, clock=utcnow, poll_seconds=0.05, lanes_per_channel=2)
    worker.start()
    try:
        await eventually(lambda: len(sender.started) == 2)
        await asyncio.sleep(0.3)  # several polls: none claims a third while two are in flight
        assert len(sender.started) == 2
        for gate in sender.gates.values():
            gate.set()
        await eventually(lambda: len(sender.sent) == 5)
    finally:
        await worker.stop()


async def test_a_permanent_error_is_not_retried(sessions):
    await queue(sessions, ("+447700900001", "blocked"))
    sender = RecordingSender(fail={"blocked": [PermanentSendError("telegram: bot was blocked")]})
    worker = OutboxWorker(sessions, {"sms": sender}, clock=utcnow)

    await worker.deliver_due()

    [item] = await rows(sessions, OutboxItem)
    assert (item.status, item.attempts, item.last_error) == ("failed", 1, "telegram: bot was blocked")


async def test_a_number_in_a_provider_error_is_neither_kept_nor_logged(sessions, capsys):
    await queue(sessions, ("+447700900001", "moved"))
    error = PermanentSendError("telegram: Group migrated to supergroup. New chat id: -1001234567890")
    worker = OutboxWorker(sessions, {"sms": RecordingSender(fail={"moved": [error]})}, clock=utcnow)

    await worker.deliver_due()

    [item] = await rows(sessions, OutboxItem)
    assert item.last_error == "telegram: Group migrated to supergroup. New chat id: -…"
    assert "1001234567890" not in capsys.readouterr().out


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
