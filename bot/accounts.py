"""Dashboard log-in: argon2 password hashes, a growing delay after repeated failures, and sessions
that the server can end (log-out, a disabled account, idle time-out).

Failures are counted per account name and per client address. A delay, not a lock: an attacker
guessing one account can hold it at most ``Delay.cap`` at a time, a coordinator can lift it at
once, and failures from one address never delay a log-in from another beyond the account's own
delay. The account is counted by the name typed, known or not, so a delay never tells which
usernames exist.
"""

from __future__ import annotations

import asyncio
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.ext.asyncio import AsyncSession

from storage import throttle, users
from storage.db import SessionFactory
from storage.models import LoginThrottle
from storage.users import UserView

IDLE_FOR = timedelta(hours=8)
FORGET_AFTER = timedelta(hours=24)  # failures are forgotten a day after the last one

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a real password")


@dataclass(frozen=True)
class Delay:
    """After ``free`` failures, the next try must wait 1 s, then 2, 4, 8… up to ``cap``."""

    free: int
    cap: timedelta

    def after(self, failures: int) -> timedelta:
        if failures < self.free:
            return timedelta(0)
        return min(timedelta(seconds=2 ** min(failures - self.free, 30)), self.cap)

    def until(self, row: LoginThrottle | None) -> datetime | None:
        """When the key may try again, if it must wait at all."""
        if row is None or row.failures < self.free:
            return None
        return row.last_failure_at + self.after(row.failures)


ACCOUNT_DELAY = Delay(free=5, cap=timedelta(minutes=15))
# Higher: several people behind one office network mistype; 20 covers a bad morning.
ADDRESS_DELAY = Delay(free=20, cap=timedelta(minutes=15))


def hash_password(password: str) -> str:
    if len(password) < 10:
        raise ValueError("a password needs at least 10 characters")
    return _hasher.hash(password)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


class LoginRefused(Exception):
    """Why a log-in failed, worded for the person at the log-in form (never which part was wrong,
    never whether the username exists)."""


class LoginThrottled(LoginRefused):
    """Too many failures: try again after ``retry_after`` seconds (nothing was checked)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _wait_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _throttled(by_account: float, by_address: float) -> LoginThrottled:
    seconds = max(1, math.ceil(max(by_account, by_address)))
    if by_account >= by_address:
        return LoginThrottled(f"Too many failed log-ins for this username. Try again in {_wait_words(seconds)}, "
                              "or ask a coordinator to let you in now.", seconds)
    return LoginThrottled(f"Too many failed log-ins from your network. Try again in {_wait_words(seconds)}.",
                          seconds)


async def _count_attempt(session: AsyncSession, username: str, address: str, now: datetime) -> None:
    """Count this attempt as a failure before the password is checked (a success takes it back),
    so that a burst of simultaneous guesses meets the delay; or LoginThrottled, counting nothing."""
    await throttle.forget_before(session, now - FORGET_AFTER)
    account, place = throttle.account_key(username), throttle.address_key(address)
    rows = await throttle.locked_rows(session, [account, place], now)
    for row in rows.values():
        if row.last_failure_at < now - FORGET_AFTER:
            row.failures = 0  # not pruned yet: quiet for a day all the same
    waits = [(delay.until(rows[key]) or now) - now for key, delay in ((account, ACCOUNT_DELAY), (place, ADDRESS_DELAY))]
    if max(waits) > timedelta(0):
        raise _throttled(*(wait.total_seconds() for wait in waits))
    for row in rows.values():
        row.failures += 1
        row.last_failure_at = now


async def _take_back(session: AsyncSession, username: str, address: str) -> None:
    """A success: the account starts again from nothing, the address gets its counted try back."""
    await throttle.clear(session, throttle.account_key(username))
    await throttle.take_one_back(session, throttle.address_key(address))


class Accounts:
    def __init__(self, sessions: SessionFactory, clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._clock = clock

    async def log_in(self, username: str, password: str, address: str) -> str:
        """A new session token, or LoginRefused (LoginThrottled while a delay runs). Every attempt
        past the delay costs one argon2 verification, known user or not, so timing does not tell
        which usernames exist; it runs in a thread, so the helpline's messages keep flowing."""
        async with self._sessions() as session, session.begin():
            await _count_attempt(session, username, address, self._clock())
            user = await users.by_username(session, username)
            stored = user.password_hash if user is not None and user.active else None
        if not await asyncio.to_thread(_verify, stored or _DUMMY_HASH, password) or stored is None:
            raise LoginRefused("Wrong username or password.")
        now = self._clock()
        async with self._sessions() as session, session.begin():
            user = await users.by_username(session, username)
            if user is None or not user.active or user.password_hash != stored:
                raise LoginRefused("Wrong username or password.")  # disabled or reset meanwhile
            await _take_back(session, username, address)
            user.last_login_at = now
            token = secrets.token_urlsafe(32)
            await users.open_session(session, user.id, token, now)
        return token

    async def user_of(self, token: str) -> UserView | None:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            return await users.session_user(session, token, now - IDLE_FOR, now)

    async def log_out(self, token: str) -> None:
        async with self._sessions() as session, session.begin():
            await users.revoke(session, token, self._clock())


async def may_try_again_at(session: AsyncSession, username: str, now: datetime) -> datetime | None:
    """When the account's delay ends, if one is running (for ``helpline users list``)."""
    until = ACCOUNT_DELAY.until(await throttle.get(session, throttle.account_key(username)))
    return until if until is not None and until > now else None
