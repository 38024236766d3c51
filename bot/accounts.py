"""Dashboard log-in: argon2 password hashes, lock-out after repeated failures, and sessions
that the server can end (log-out, deactivation, idle time-out)."""

from __future__ import annotations

import secrets
import time
from collections import defaultdict, deque
from datetime import datetime, timedelta
from typing import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from storage import users
from storage.db import SessionFactory
from storage.models import User
from storage.users import UserView

MAX_FAILURES = 5  # per account, then locked for LOCK_FOR
LOCK_FOR = timedelta(minutes=15)
MAX_FAILURES_PER_ADDRESS = 20  # per browser address in ADDRESS_WINDOW, whichever accounts it tries
ADDRESS_WINDOW = 15 * 60.0
IDLE_FOR = timedelta(hours=8)

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a real password")


def hash_password(password: str) -> str:
    if len(password) < 10:
        raise ValueError("a password needs at least 10 characters")
    return _hasher.hash(password)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _count_failure(user: User, now: datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILURES:
        user.locked_until, user.failed_logins = now + LOCK_FOR, 0


class LoginRefused(Exception):
    """Why a log-in failed, worded for the person at the log-in form (never which part was wrong)."""


class Accounts:
    def __init__(self, sessions: SessionFactory, clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._clock = clock
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)

    async def log_in(self, username: str, password: str, address: str) -> str:
        """A new session token, or LoginRefused. Every attempt costs one argon2 verification,
        known user or not, so timing does not tell which usernames exist."""
        if self._address_blocked(address):
            raise LoginRefused("Too many failed log-ins from this address. Try again in 15 minutes.")
        now = self._clock()
        async with self._sessions() as session, session.begin():  # commits the failure count too
            user = await users.by_username(session, username)
            ok = _verify(user.password_hash if user else _DUMMY_HASH, password)
            if user is not None and user.locked_until is not None and user.locked_until > now:
                refusal = "This account is locked after repeated failed log-ins. Try again later."
            elif user is None or not ok or not user.active:
                refusal = "Wrong username or password."
                self._failures[address].append(time.monotonic())
                if user is not None:
                    _count_failure(user, now)
            else:
                user.failed_logins, user.locked_until, refusal = 0, None, ""
                token = secrets.token_urlsafe(32)
                await users.open_session(session, user.id, token, now)
        if refusal:
            raise LoginRefused(refusal)
        return token

    def _address_blocked(self, address: str) -> bool:
        recent = self._failures[address]
        while recent and recent[0] < time.monotonic() - ADDRESS_WINDOW:
            recent.popleft()
        return len(recent) >= MAX_FAILURES_PER_ADDRESS

    async def user_of(self, token: str) -> UserView | None:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            return await users.session_user(session, token, now - IDLE_FOR, now)

    async def log_out(self, token: str) -> None:
        async with self._sessions() as session, session.begin():
            await users.revoke(session, token, self._clock())
