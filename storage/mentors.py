"""Mentors and their one-time Telegram invite codes. Phones and chat ids are read only here."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Mentor, MentorInvite
from storage.sealing import lookup_key


@dataclass(frozen=True)
class MentorView:
    """What the domain needs of a mentor; addresses are fetched separately when sending."""

    id: int
    name: str
    role: str
    languages: tuple[str, ...]
    active: bool
    alert_channel: str
    fallback_channel: str
    has_telegram: bool
    has_phone: bool
    call_window: str = "always"  # when a phone call may wake them: always | never | "22:00-08:00"

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


def view(mentor: Mentor) -> MentorView:
    return MentorView(mentor.id, mentor.name, mentor.role, tuple(mentor.languages or ()), mentor.active,
                      mentor.alert_channel, mentor.fallback_channel, bool(mentor.telegram_chat_id),
                      bool(mentor.phone), mentor.call_window or "always")


async def add_mentor(session: AsyncSession, *, name: str, role: str, languages: list[str],
                     phone: str | None, now: datetime) -> MentorView:
    if await session.scalar(select(Mentor.id).where(Mentor.name == name)):
        raise ValueError(f"there is already a mentor called {name!r}")
    mentor = Mentor(name=name, role=role, languages=languages, phone=phone, active=True,
                    alert_channel="telegram", fallback_channel="sms",
                    call_window="always", created_at=now)
    session.add(mentor)
    await session.flush()
    return view(mentor)


async def by_name(session: AsyncSession, name: str) -> Mentor:
    mentor = await session.scalar(select(Mentor).where(Mentor.name == name))
    if mentor is None:
        raise LookupError(f"no mentor called {name!r} (see: helpline mentors list)")
    return mentor


async def all_mentors(session: AsyncSession, active_only: bool = False) -> list[MentorView]:
    query = select(Mentor).order_by(Mentor.name)
    if active_only:
        query = query.where(Mentor.active.is_(True))
    return [view(m) for m in await session.scalars(query)]


async def mentors_by_id(session: AsyncSession, ids: list[int]) -> dict[int, MentorView]:
    if not ids:
        return {}
    return {m.id: view(m) for m in await session.scalars(select(Mentor).where(Mentor.id.in_(ids)))}


async def coordinators(session: AsyncSession) -> list[MentorView]:
    rows = await session.scalars(select(Mentor).where(Mentor.role == "coordinator", Mentor.active.is_(True)))
    return [view(m) for m in rows]


async def by_telegram_chat(session: AsyncSession, chat_id: str) -> MentorView | None:
    mentor = await session.scalar(select(Mentor).where(Mentor.telegram_chat_key == lookup_key(chat_id)))
    return None if mentor is None else view(mentor)


async def by_phone(session: AsyncSession, phone: str) -> MentorView | None:
    mentor = await session.scalar(select(Mentor).where(Mentor.phone_key == lookup_key(phone), Mentor.active.is_(True)))
    return None if mentor is None else view(mentor)


async def address(session: AsyncSession, mentor_id: int, channel: str) -> str | None:
    mentor = await session.get(Mentor, mentor_id)
    if mentor is None:
        return None
    return mentor.telegram_chat_id if channel == "telegram" else mentor.phone


def call_window(text: str) -> str:
    """``always``, ``never`` or a local-time range like ``22:00-08:00``; ValueError otherwise."""
    window = text.strip().lower()
    if window in ("always", "never"):
        return window
    start, sep, end = window.partition("-")
    try:
        begins, ends = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    except ValueError:
        begins = ends = None
    if not sep or begins is None or ends is None or begins == ends or len(start.strip()) != 5 or len(end.strip()) != 5:
        raise ValueError(f"calls: {text!r} is not always, never or a range like 22:00-08:00")
    return f"{start.strip()}-{end.strip()}"


async def set_call_window(session: AsyncSession, mentor_id: int, text: str) -> str:
    mentor = await by_id(session, mentor_id)
    mentor.call_window = call_window(text)
    await session.flush()
    return mentor.call_window


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


async def create_invite(session: AsyncSession, mentor_id: int, now: datetime, valid_for: timedelta) -> str:
    """A fresh single-use code; only its hash is stored, so a database copy cannot link accounts."""
    code = secrets.token_urlsafe(16)
    session.add(MentorInvite(mentor_id=mentor_id, code_hash=_hash(code), expires_at=now + valid_for))
    await session.flush()
    return code


async def redeem_invite(session: AsyncSession, code: str, chat_id: str, now: datetime) -> MentorView | None:
    """Link a Telegram chat to the invited mentor; None if the code is unknown, used or expired."""
    invite = await session.scalar(
        select(MentorInvite).where(MentorInvite.code_hash == _hash(code)).with_for_update()
    )
    if invite is None or invite.used_at is not None or invite.expires_at < now:
        return None
    mentor = await session.get(Mentor, invite.mentor_id)
    if mentor is None or not mentor.active:
        return None
    invite.used_at = now
    mentor.telegram_chat_id = chat_id
    await session.flush()
    return view(mentor)


async def by_id(session: AsyncSession, mentor_id: int) -> Mentor:
    mentor = await session.get(Mentor, mentor_id)
    if mentor is None:
        raise LookupError(f"no mentor {mentor_id}")
    return mentor
