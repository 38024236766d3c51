"""A small key-value store: Redis in production, an in-process equivalent on one machine.

Used as a fast path only (for example "this delivery was already stored"): the database
stays the source of truth, so losing Redis never loses or duplicates a message.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Protocol


class KeyValueStore(Protocol):
    name: str

    async def remember(self, key: str, ttl_seconds: int) -> None: ...

    async def seen(self, key: str) -> bool: ...

    async def ping(self) -> None: ...

    async def close(self) -> None: ...


class MemoryStore:
    """Bounded, expiring set of keys for the embedded default (one process)."""

    name = "memory"

    def __init__(self, max_keys: int = 100_000) -> None:
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._max_keys = max_keys

    async def remember(self, key: str, ttl_seconds: int) -> None:
        self._expiry[key] = time.monotonic() + ttl_seconds
        self._expiry.move_to_end(key)
        while len(self._expiry) > self._max_keys:
            self._expiry.popitem(last=False)

    async def seen(self, key: str) -> bool:
        expires = self._expiry.get(key)
        if expires is None:
            return False
        if expires < time.monotonic():
            del self._expiry[key]
            return False
        return True

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        self._expiry.clear()


class RedisStore:
    name = "redis"

    def __init__(self, url: str, prefix: str = "helpline:") -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._prefix = prefix

    async def remember(self, key: str, ttl_seconds: int) -> None:
        await self._redis.set(self._prefix + key, b"1", ex=ttl_seconds)

    async def seen(self, key: str) -> bool:
        return bool(await self._redis.exists(self._prefix + key))

    async def ping(self) -> None:
        await self._redis.ping()

    async def close(self) -> None:
        await self._redis.aclose()


def create_store(redis_url: str | None) -> KeyValueStore:
    return RedisStore(redis_url) if redis_url else MemoryStore()
