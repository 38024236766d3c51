"""What coordinators do to dashboard accounts, from ``helpline users``/``helpline mentors`` or
the dashboard: the same functions, so both are audited the same way.

Disabling ends the account's sessions at once (the session check refuses a disabled user on
every request too); enabling also lifts a running log-in delay, which is how a coordinator lets
someone in whose account an attacker has been slowing down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.accounts import may_try_again_at
from storage import audit, throttle, users
from storage.models import Mentor, User


@dataclass(frozen=True)
class Account:
    """One line of ``helpline users list`` and of the dashboard's accounts table (no hashes)."""

    id: int
    username: str
    role: str
    mentor: str | None
    active: bool
    may_try_again_at: datetime | None
    last_login_at: datetime | None


async def find(session: AsyncSession, username: str) -> User:
    user = await users.by_username(session, username)
    if user is None:
        raise LookupError(f"no dashboard user called {username!r} (see: helpline users list)")
    return user


async def list_accounts(session: AsyncSession, now: datetime) -> list[Account]:
    return [Account(user.id, user.username, user.role, mentor, user.active,
                    await may_try_again_at(session, user.username, now), user.last_login_at)
            for user, mentor in await users.all_users(session)]


async def disable(session: AsyncSession, user: User, actor: str, now: datetime, **why: object) -> None:
    user.active = False
    await users.revoke_all(session, user.id, now)
    await audit.record(session, actor, "user_disabled", now, username=user.username, **why)


async def enable(session: AsyncSession, user: User, actor: str, now: datetime) -> bool:
    """Enable the account and lift its log-in delay; True if a delay was running."""
    was_active = user.active
    user.active = True
    lifted = await may_try_again_at(session, user.username, now) is not None
    await throttle.clear(session, throttle.account_key(user.username))
    await audit.record(session, actor, "user_enabled", now, username=user.username, was_active=was_active,
                       delay_lifted=lifted)
    return lifted


async def reset_password(session: AsyncSession, user: User, password_hash: str, actor: str, now: datetime) -> None:
    await users.set_password(session, user.username, password_hash, now)
    await audit.record(session, actor, "user_password_reset", now, username=user.username)


async def deactivate_mentor(session: AsyncSession, mentor: Mentor, actor: str, now: datetime) -> list[str]:
    """The mentor is no longer alerted, and every dashboard account linked to them is disabled
    with its sessions ended: someone who has left must not keep reading their contacts."""
    mentor.active = False
    await audit.record(session, actor, "mentor_deactivated", now, mentor_id=mentor.id)
    linked = await users.linked_to_mentor(session, mentor.id)
    for user in linked:
        if user.active:
            await disable(session, user, actor, now, reason="mentor deactivated", mentor_id=mentor.id)
    return [user.username for user in linked]
