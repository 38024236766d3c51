"""Delivers the outbox: claims due rows, sends them, records the outcome.

Runs in every process; PostgreSQL's SKIP LOCKED and the claim lease keep two workers from
sending the same row. A crash between claim and send leaves the row "sending" until the lease
runs out, then it is sent again: delivery is at least once in that window and exactly once
everywhere else (neither Telegram nor Twilio takes an idempotency key for a send).
"""

from __future__ import annotations

import asyncio
import random
from datetime import datetime, timedelta
from typing import Callable, Mapping

import structlog

from bot.senders.base import PermanentSendError, Sender, TransientSendError
from storage import outbox
from storage.db import SessionFactory
from storage.events import append_event

log = structlog.get_logger(__name__)

LEASE = timedelta(seconds=60)
BATCH = 20
MAX_BACKOFF_SECONDS = 300.0


def backoff_seconds(attempts: int) -> float:
    """2, 4, 8 ... seconds, capped at five minutes, with jitter so retries do not stampede."""
    return min(2.0 ** attempts, MAX_BACKOFF_SECONDS) * random.uniform(0.8, 1.2)


class OutboxWorker:
    def __init__(
        self,
        sessions: SessionFactory,
        senders: Mapping[str, Sender],
        *,
        clock: Callable[[], datetime],
        poll_seconds: float = 1.0,
        max_attempts: int = 8,
    ) -> None:
        self._sessions = sessions
        self._senders = dict(senders)
        self._clock = clock
        self._poll = poll_seconds
        self._max_attempts = max_attempts
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

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                while await self.deliver_due():
                    pass
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
        """One pass: claim a batch and send it; returns how many were claimed."""
        async with self._sessions() as session, session.begin():
            claimed = await outbox.claim_due(session, self._clock(), BATCH, LEASE,
                                             channels=list(self._senders))
        for delivery in claimed:
            await self._deliver(delivery)
        return len(claimed)

    async def _deliver(self, delivery: outbox.Delivery) -> None:
        sender = self._senders[delivery.channel]
        options = await self._resolved(delivery.options)
        try:
            provider_id = await sender.send(delivery.address, delivery.body, options)
        except TransientSendError as error:
            await self._retry_or_fail(delivery, str(error), error.retry_after)
            return
        except PermanentSendError as error:
            await self._fail(delivery, str(error))
            return
        except Exception as error:  # a bug in a sender must not stall the queue
            log.exception("sender raised unexpectedly", outbox_id=delivery.id)
            await self._retry_or_fail(delivery, f"unexpected {type(error).__name__}", None)
            return
        now = self._clock()
        async with self._sessions() as session, session.begin():
            await outbox.mark_sent(session, delivery.id, provider_id, now)
            if delivery.contact_id is not None:
                await append_event(session, delivery.contact_id, "message_delivered", "system", now,
                                   outbox_id=delivery.id, channel=delivery.channel)
        log.info("outbound delivered", outbox_id=delivery.id, channel=delivery.channel,
                 contact_id=delivery.contact_id)

    async def _resolved(self, options: dict[str, object]) -> dict[str, object]:
        """An edit of an earlier message names its outbox row; the provider's id is known only
        once that row was sent, which the per-recipient ordering guarantees by now."""
        if "edit_of" not in options:
            return options
        resolved = {k: v for k, v in options.items() if k != "edit_of"}
        async with self._sessions() as session:
            resolved["edit_provider_id"] = await outbox.provider_id_of(session, int(str(options["edit_of"])))
        return resolved

    async def _retry_or_fail(self, delivery: outbox.Delivery, reason: str, wait: float | None) -> None:
        if delivery.attempts >= self._max_attempts:
            await self._fail(delivery, reason)
            return
        delay = wait if wait is not None else backoff_seconds(delivery.attempts)
        async with self._sessions() as session, session.begin():
            await outbox.mark_retry(session, delivery.id, self._clock() + timedelta(seconds=delay), reason)
        log.warning("outbound delayed", outbox_id=delivery.id, channel=delivery.channel,
                    attempts=delivery.attempts, retry_in=round(delay, 1), reason=reason)

    async def _fail(self, delivery: outbox.Delivery, reason: str) -> None:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            await outbox.mark_failed(session, delivery.id, reason)
            if delivery.contact_id is not None:
                await append_event(session, delivery.contact_id, "delivery_failed", "system", now,
                                   outbox_id=delivery.id, channel=delivery.channel, reason=reason)
        log.error("outbound failed for good", outbox_id=delivery.id, channel=delivery.channel,
                  contact_id=delivery.contact_id, reason=reason)
