"""Delivers the outbox: claims due rows, sends them, records the outcome.

Runs in every process; PostgreSQL's SKIP LOCKED and the claim lease keep two workers from
sending the same row. A crash between claim and send leaves the row "sending" until the lease
runs out, then it is sent again: delivery is at least once in that window and exactly once
everywhere else (neither Telegram nor Twilio takes an idempotency key for a send).

Every (channel, address) is a lane of its own: the claim only ever hands out a recipient's
oldest unsent row, so one person's messages arrive in order, while other recipients and other
channels go on at the same time. Each channel has its own bounded number of sends in flight,
and every send has a timeout, so a provider that hangs or fails delays nobody on another channel.

Nothing is given up for being retried often: a transient failure is retried with capped,
jittered back-off until the row is ``give_up_after`` old, and a provider's own "retry after"
is waited out without counting as a failure. Only a permanent error (a blocked bot, an
invalid number) fails a row at once; ``escalation.delivery_watch`` then reaches a mentor on
their other channel. A person who blocked the bot (or whom Twilio opted out) is recorded as
opted out instead, and their rows are ``suppressed``, not failed (see ``storage.opt_outs``).
"""

from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta
from typing import Callable, Mapping

import structlog

from bot.senders.base import PermanentSendError, RecipientOptedOut, Sender, TransientSendError, redacted
from escalation.channels import IDENTITY_KIND
from storage import opt_outs, outbox, people
from storage.db import SessionFactory
from storage.events import append_event

log = structlog.get_logger(__name__)

BACKOFF_BASE_SECONDS = 2.0
BACKOFF_CAP_SECONDS = 300.0
MIN_LEASE = timedelta(seconds=60)


def backoff_seconds(failures: int) -> float:
    """Full jitter between 2 s and 2^n s, capped at five minutes: retries of many rows after an
    outage spread out instead of hitting the provider together the moment it comes back."""
    ceiling = min(BACKOFF_BASE_SECONDS * 2.0 ** min(max(failures, 0), 20), BACKOFF_CAP_SECONDS)
    return random.uniform(BACKOFF_BASE_SECONDS, max(ceiling, BACKOFF_BASE_SECONDS))


class OutboxWorker:
    def __init__(
        self,
        sessions: SessionFactory,
        senders: Mapping[str, Sender],
        *,
        clock: Callable[[], datetime],
        poll_seconds: float = 1.0,
        give_up_after: timedelta = timedelta(hours=24),
        send_timeout: float = 15.0,
        lanes_per_channel: int = 8,
    ) -> None:
        self._sessions = sessions
        self._senders = dict(senders)
        self._clock = clock
        self._poll = poll_seconds
        self._give_up_after = give_up_after
        self._send_timeout = send_timeout
        self._lanes = lanes_per_channel
        # a claim must outlive the longest send, or another process would send the row again
        self._lease = max(MIN_LEASE, timedelta(seconds=3 * send_timeout))
        self._in_flight: dict[int, tuple[str, asyncio.Task[None]]] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def add_sender(self, sender: Sender) -> None:
        self._senders[sender.channel] = sender

    def wake(self) -> None:
        """Deliver now rather than at the next poll (called after an intake commits)."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-worker")
        self.wake()  # whatever a previous process left in the outbox goes first

    async def stop(self, grace: float = 5.0) -> None:
        """Stop claiming; give sends in flight ``grace`` seconds, then cancel them (their rows
        come back after the lease, so nothing is lost, at worst sent twice)."""
        if self._task is not None:
            self._task.cancel()
            # bounded: a claim cancelled inside the database driver must not hold the stop up
            await asyncio.wait({self._task}, timeout=grace)
            self._task = None
        sending = [task for _, task in self._in_flight.values()]
        if not sending:
            return
        _, pending = await asyncio.wait(sending, timeout=grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if pending:
            log.warning("sends cut short at stop; their rows are sent again after the lease", count=len(pending))

    async def _run(self) -> None:
        while True:
            try:
                await self._start_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox pass failed; retrying at the next poll")
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll)
            except TimeoutError:
                pass
            self._wake.clear()

    async def deliver_due(self) -> int:
        """One pass that waits for its sends: claim what is due and send it, lanes in parallel.
        Returns how many rows it claimed. The service's own loop never waits like this."""
        started = await self._start_due()
        await asyncio.gather(*started)
        return len(started)

    async def _start_due(self) -> list[asyncio.Task[None]]:
        """Claim as many due rows as each channel has free lanes, and start sending them."""
        busy: dict[str, int] = {}
        for channel, _ in self._in_flight.values():
            busy[channel] = busy.get(channel, 0) + 1
        free = {channel: self._lanes - busy.get(channel, 0) for channel in self._senders}
        free = {channel: room for channel, room in free.items() if room > 0}
        if not free:
            return []
        now = self._clock()
        claimed: list[outbox.Delivery] = []
        async with self._sessions() as session, session.begin():
            for channel, room in free.items():
                claimed += await outbox.claim_due(session, now, room, self._lease, [channel],
                                                  in_flight=list(self._in_flight))
        return [self._spawn(delivery) for delivery in claimed]

    def _spawn(self, delivery: outbox.Delivery) -> asyncio.Task[None]:
        task = asyncio.create_task(self._deliver(delivery), name=f"outbox-send-{delivery.id}")
        self._in_flight[delivery.id] = (delivery.channel, task)

        def done(_: asyncio.Task[None]) -> None:
            self._in_flight.pop(delivery.id, None)
            self._wake.set()  # the recipient's next message, or another lane's, can go now

        task.add_done_callback(done)
        return task

    async def _deliver(self, delivery: outbox.Delivery) -> None:
        """Send one row and record the outcome. Never raises: a lane must not die of one row."""
        try:
            await self._send_and_record(delivery)
        except Exception:
            log.exception("outcome not recorded; the row is sent again after its lease", outbox_id=delivery.id)

    async def _send_and_record(self, delivery: outbox.Delivery) -> None:
        sender = self._senders[delivery.channel]
        options = await self._resolved(delivery.options)
        try:
            async with asyncio.timeout(self._send_timeout):
                provider_id = await sender.send(delivery.address, delivery.body, options)
        except TransientSendError as error:
            await self._retry_or_give_up(delivery, str(error), error.retry_after)
        except RecipientOptedOut as error:
            await self._opted_out(delivery, str(error))
        except PermanentSendError as error:
            await self._fail(delivery, str(error))
        except TimeoutError:
            await self._retry_or_give_up(delivery, f"{delivery.channel}: no answer within "
                                                   f"{self._send_timeout:g} s", None)
        except Exception as error:  # a bug in a sender must not stall the queue
            log.exception("sender raised unexpectedly", outbox_id=delivery.id)
            await self._retry_or_give_up(delivery, f"{delivery.channel}: unexpected {type(error).__name__}", None)
        else:
            await self._sent(delivery, provider_id)

    async def _sent(self, delivery: outbox.Delivery, provider_id: str | None) -> None:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            await outbox.mark_sent(session, delivery.id, provider_id, now)
            if delivery.contact_id is not None:
                await append_event(session, delivery.contact_id, "message_delivered", "system", now,
                                   outbox_id=delivery.id, channel=delivery.channel)
        log.info("outbound delivered", outbox_id=delivery.id, channel=delivery.channel,
                 contact_id=delivery.contact_id, attempts=delivery.attempts)

    async def _resolved(self, options: dict[str, object]) -> dict[str, object]:
        """An edit of an earlier message names its outbox row; the provider's id is known only
        once that row was sent, which the per-recipient ordering guarantees by now."""
        if "edit_of" not in options:
            return options
        resolved = {k: v for k, v in options.items() if k != "edit_of"}
        async with self._sessions() as session:
            resolved["edit_provider_id"] = await outbox.provider_id_of(session, int(str(options["edit_of"])))
        return resolved

    async def _retry_or_give_up(self, delivery: outbox.Delivery, reason: str, wait: float | None) -> None:
        """Retry later; a provider's ``wait`` is honoured and not counted. Give up only by age."""
        reason, now = redacted(reason), self._clock()
        if now >= delivery.created_at + self._give_up_after:
            hours = self._give_up_after.total_seconds() / 3600
            await self._fail(delivery, f"gave up after {hours:g} h: {reason}")
            return
        delay = max(wait, 0.0) if wait is not None else backoff_seconds(delivery.attempts)
        async with self._sessions() as session, session.begin():
            await outbox.mark_retry(session, delivery.id, now + timedelta(seconds=delay), reason,
                                    counted=wait is None)
        log.warning("outbound delayed", outbox_id=delivery.id, channel=delivery.channel,
                    attempts=delivery.attempts, retry_in=round(delay, 1), provider_wait=wait is not None,
                    reason=reason)

    async def _opted_out(self, delivery: outbox.Delivery, reason: str) -> None:
        """A person blocked the bot (or told the carrier STOP): their address is recorded as
        opted out, this row and later ones are suppressed (not failures), until they write again.
        A mentor's blocked chat stays a failure: the delivery watch reaches them another way."""
        reason, now = redacted(reason), self._clock()
        kind = IDENTITY_KIND.get(delivery.channel)
        async with self._sessions() as session, session.begin():
            person = await people.find_person(session, kind, delivery.address) if kind else None
            if person is not None:
                await opt_outs.stop(session, delivery.channel, delivery.address, now, how="blocked")
                await outbox.mark_suppressed(session, delivery.id, f"{opt_outs.HELD_BACK}: {reason}", now)
                if delivery.contact_id is not None:
                    await append_event(session, delivery.contact_id, "opted_out", "system", now,
                                       channel=delivery.channel, how="blocked")
        if person is None:
            await self._fail(delivery, reason)
            return
        log.warning("recipient opted out; their messages are held back", outbox_id=delivery.id,
                    channel=delivery.channel, contact_id=delivery.contact_id)

    async def _fail(self, delivery: outbox.Delivery, reason: str) -> None:
        reason, now = redacted(reason), self._clock()
        async with self._sessions() as session, session.begin():
            await outbox.mark_failed(session, delivery.id, reason)
            if delivery.contact_id is not None:
                await append_event(session, delivery.contact_id, "delivery_failed", "system", now,
                                   outbox_id=delivery.id, channel=delivery.channel, reason=reason)
        log.error("outbound failed for good", outbox_id=delivery.id, channel=delivery.channel,
                  contact_id=delivery.contact_id, reason=reason)
