"""Dashboard accounts and their server-side sessions. Only hashes of passwords and session
tokens are stored."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import throttle
from storage.models import Mentor, User, WebSession

ROLES = ("admin", "coordinator", "mentor")


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    role: str
    mentor_id: int | None

    @property
    def sees_everything(self) -> bool:
        return self.role in ("admin", "coordinator")

    @property
    def actor(self) -> str:
        return f"user:{self.username}"


def view(user: User) -> UserView:
    return UserView(user.id, user.username, user.role, user.mentor_id)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def add_user(session: AsyncSession, *, username: str, password_hash: str, role: str,
                   mentor_name: str | None, now: datetime) -> UserView:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if await session.scalar(select(User.id).where(User.username == username)):
        raise ValueError(f"there is already a user called {username!r}")
    mentor_id = None
    if mentor_name:
        mentor_id = await session.scalar(select(Mentor.id).where(Mentor.name == mentor_name))
        if mentor_id is None:
            raise LookupError(f"no mentor called {mentor_name!r} (see: helpline mentors list)")
    elif role == "mentor":
        raise ValueError("a mentor account needs --mentor NAME: it shows that mentor's contacts")
    user = User(username=username, password_hash=password_hash, role=role, mentor_id=mentor_id,
                active=True, created_at=now)
    session.add(user)
    await session.flush()
    return view(user)


async def by_username(session: AsyncSession, username: str) -> User | None:
    return await session.scalar(select(User).where(User.username == username))


async def open_session(session: AsyncSession, user_id: int, token: str, now: datetime) -> None:
    session.add(WebSession(token_hash=token_hash(token), user_id=user_id, created_at=now, last_seen_at=now))
    await session.flush()


async def session_user(session: AsyncSession, token: str, idle_since: datetime, now: datetime) -> UserView | None:
    """The user of a live session (not revoked, seen since ``idle_since``, user still active)."""
    row = (await session.execute(
        select(WebSession, User).join(User, User.id == WebSession.user_id)
        .where(WebSession.token_hash == token_hash(token), WebSession.revoked_at.is_(None))
    )).first()
    if row is None:
        return None
    web_session, user = row
    if not user.active or web_session.last_seen_at < idle_since:
        return None
    if (now - web_session.last_seen_at).total_seconds() > 60:
        web_session.last_seen_at = now
    return view(user)


async def revoke(session: AsyncSession, token: str, now: datetime) -> None:
    await session.execute(update(WebSession).where(WebSession.token_hash == token_hash(token))
                          .values(revoked_at=now))


async def set_password(session: AsyncSession, username: str, password_hash: str, now: datetime) -> User:
    """A new password lifts the account's log-in delay and ends every session it had; it does
    not enable a disabled account (that is a decision of its own: ``helpline users enable``)."""
    user = await by_username(session, username)
    if user is None:
        raise LookupError(f"no user called {username!r}")
    user.password_hash = password_hash
    await throttle.clear(session, throttle.account_key(username))
    await revoke_all(session, user.id, now)
    return user


async def revoke_all(session: AsyncSession, user_id: int, now: datetime) -> None:
    """End every open session of the user: the next request of any of their browsers logs them out."""
    await session.execute(update(WebSession).where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
                          .values(revoked_at=now))


async def linked_to_mentor(session: AsyncSession, mentor_id: int) -> list[User]:
    return list(await session.scalars(select(User).where(User.mentor_id == mentor_id).order_by(User.username)))


async def all_users(session: AsyncSession) -> list[tuple[User, str | None]]:
    """Every account with the name of its mentor, if linked."""
    rows = await session.execute(select(User, Mentor.name).outerjoin(Mentor, Mentor.id == User.mentor_id)
                                 .order_by(User.username))
    return [(user, name) for user, name in rows]
