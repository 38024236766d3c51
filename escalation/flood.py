"""Whether a person is flooding the helpline: more than the limit of messages in the window.

It decides only how the mentor is told (one batch instead of a relay a message), never whether a
message is stored, answered when safety needs it, or escalated: a message that raises the
contact's urgency, or is an emergency or a plea for help, goes through on its own whatever the
count (the intake decides that). When the count cannot be had (Redis down), the answer is "not
flooding": safety first, every message is relayed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import structlog

from storage.rate_limit import RateLimiter

log = structlog.get_logger(__name__)


class FloodGuard:
    def __init__(self, limiter: RateLimiter, limit: int, window: timedelta) -> None:
        self._limiter = limiter
        self._limit = limit
        self._window = window

    @property
    def window(self) -> timedelta:
        return self._window

    @property
    def limit(self) -> int:
        return self._limit

    async def over(self, person_id: int, message_key: str, now: datetime) -> bool:
        """Count this message (once, by its provider id) and say whether it is over the limit."""
        try:
            count = await self._limiter.hit(f"person:{person_id}", message_key, now, self._window.total_seconds())
        except Exception:  # the count is optional; the message is stored and relayed anyway
            log.warning("rate limit store unavailable; relaying every message", store=self._limiter.name)
            return False
        return count > self._limit
