"""Per-sender rate limits: how many messages one person sent in the last window (a sliding log).

Redis in production, so that every worker counts the same flood; an in-process log on one
machine. The count only decides how loudly mentors are told (one batch instead of one relay a
message): it never decides whether a message is stored, so a lost count loses nothing.

Each hit is keyed by its message's provider id, so counting the same message twice (an intake
retried after a race) counts it once. Times come from the caller's clock, not the store's, so
that the window follows the helpline's own notion of now. Keys name a person id, never a number.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from datetime import datetime
from typing import Protocol

PREFIX = "helpline:rate:"


class RateLimiter(Protocol):
    name: str

    async def hit(self, key: str, member: str, at: datetime, window_seconds: float) -> int:
        """Record ``member`` at ``at`` under ``key``; how many are in the window ending at ``at``."""
        ...

    async def close(self) -> None: ...


class MemoryRateLimiter:
    """A bounded sliding log per key, for the embedded default (one process)."""

    name = "memory"

    def __init__(self, max_keys: int = 10_000) -> None:
        self._logs: OrderedDict[str, dict[str, float]] = OrderedDict()
        self._max_keys = max_keys

    async def hit(self, key: str, member: str, at: datetime, window_seconds: float) -> int:
        now = at.timestamp()
        log = self._logs.pop(key, {})
        log = {m: t for m, t in log.items() if t > now - window_seconds}
        log[member] = now
        self._logs[key] = log  # most recently used last: the oldest keys go first when full
        while len(self._logs) > self._max_keys:
            self._logs.popitem(last=False)
        return sum(1 for t in log.values() if t <= now)

    async def close(self) -> None:
        self._logs.clear()


class RedisRateLimiter:
    """A sorted set per key (member: the message, score: its time), trimmed to the window and
    counted in one MULTI, so that two workers never read a half-done count."""

    name = "redis"

    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    async def hit(self, key: str, member: str, at: datetime, window_seconds: float) -> int:
        now, name = at.timestamp(), PREFIX + key
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(name, "-inf", now - window_seconds)
            pipe.zadd(name, {member or uuid.uuid4().hex: now})
            pipe.zcount(name, "-inf", now)
            pipe.expire(name, max(1, int(window_seconds) + 1))
            _, _, count, _ = await pipe.execute()
        return int(count)

    async def close(self) -> None:
        await self._redis.aclose()


def create_limiter(redis_url: str | None) -> RateLimiter:
    return RedisRateLimiter(redis_url) if redis_url else MemoryRateLimiter()
