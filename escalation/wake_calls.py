"""The answers to a call that wakes a mentor: a key, or no answer at all.

A key is exactly a card's button: 1 accepts (every card is updated), 2 passes (the next step
runs now). A call that rang out, was busy, failed, or was answered without a key (a voicemail
picked up) is an event on the contact; once every call of the alert's current step has ended
like that, the chain moves on now instead of waiting for the deadline (the same rule the
delivery watch applies to calls that could not be placed). Channel-free.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

import structlog

from escalation.routing import Decision, Router
from storage import alerts, outbox, receipts
from storage.db import SessionFactory
from storage.events import append_event
from storage.models import Alert

log = structlog.get_logger(__name__)

KEY_RECEIPT = "voice-key"
END_RECEIPT = "voice-end"


class WakeCalls:
    def __init__(self, sessions: SessionFactory, router: Router, clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._router = router
        self._clock = clock

    async def key(self, call_sid: str, contact_id: int, mentor_id: int, digit: str) -> Decision:
        """1 accepts, 2 passes; a redelivered key press acts once (Pass is not idempotent)."""
        if digit not in ("1", "2"):
            return Decision("unknown")
        async with self._sessions() as session, session.begin():
            await receipts.claim(session, KEY_RECEIPT, call_sid, self._clock())
        if digit == "1":
            return await self._router.accept(contact_id, mentor_id)
        return await self._router.pass_(contact_id, mentor_id, ("voice", call_sid))

    async def over(self, call_sid: str, alert_id: int, step: int, mentor_id: int, status: str) -> bool:
        """The call ended. Returns True if the chain moved on because of it."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            if not await receipts.claim(session, END_RECEIPT, call_sid, now):
                return False
            if await receipts.seen(session, KEY_RECEIPT, call_sid):
                return False  # answered with a key: the key did what it had to
            alert = await session.get(Alert, alert_id)
            if alert is None:
                return False
            await append_event(session, alert.contact_id, "wake_call_unanswered", "routing", now, alert_id=alert_id,
                               step=step, mentor_id=mentor_id, status=status)
            delivery = await alerts.voice_delivery(session, alert_id, step, mentor_id)
            if delivery is not None:
                await outbox.mark_failed(session, delivery, f"call not answered: {status}")
            climb = (alert_id, step) in await alerts.calls_all_failed(session, alert_id)
        if climb and await self._router.unreachable(alert_id, step, "calls_unanswered"):
            log.warning("no call of this step was answered; the chain moves on", alert_id=alert_id, step=step)
            return True
        return False
