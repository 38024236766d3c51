"""What every dashboard handler needs: the user, a transaction, access checks and form reading."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime, tzinfo
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import SERVICES, Services
from bot.web.setup import current_user, posted
from escalation.referrals.workflow import Actor
from storage import audit
from storage.users import UserView


def services(request: web.Request) -> Services:
    return request.app[SERVICES]


@asynccontextmanager
async def transaction(request: web.Request) -> AsyncIterator[AsyncSession]:
    async with services(request).sessions() as session, session.begin():
        yield session


def coordinator(request: web.Request) -> UserView:
    """The user, who must be a coordinator or admin; a mentor gets 403."""
    user = current_user(request)
    if not user.sees_everything:
        raise web.HTTPForbidden(text="Only coordinators can open this page.")
    return user


def referral_actor(request: web.Request) -> Actor:
    """Who acts on a referral: a user linked to a mentor is that mentor (the same key as on
    Telegram), so one person cannot draft on one and approve on the other."""
    user = current_user(request)
    return Actor(f"mentor:{user.mentor_id}" if user.mentor_id else user.actor, user.username, user.sees_everything)


async def form(request: web.Request) -> dict[str, str]:
    """The posted fields, with NUL characters (which PostgreSQL refuses in text) taken out."""
    return {k: v.replace("\x00", "") for k, v in (await posted(request)).items() if isinstance(v, str)}


async def record(session: AsyncSession, request: web.Request, action: str, **detail: Any) -> None:
    await audit.record(session, current_user(request).actor, action, services(request).clock(), **detail)


FIRST_YEAR, LAST_YEAR = 2000, 2100  # dates outside these are typing errors (and 9999-12-31 + 1 day overflows)


def day_of(text: str | None, what: str) -> date | None:
    """A date from a query or form, or 400 naming the field."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise web.HTTPBadRequest(text=f"{what} must be a date, YYYY-MM-DD") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise web.HTTPBadRequest(text=f"{what} must be between {FIRST_YEAR} and {LAST_YEAR}")
    return day


def moment_of(text: str | None, zone: tzinfo) -> datetime | None:
    """A local date and time from a form, or None if it is not one (or absurdly far away)."""
    try:
        moment = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return moment.replace(tzinfo=zone) if FIRST_YEAR <= moment.year <= LAST_YEAR else None


def back(location: str, notice: str | None = None, error: str | None = None) -> web.HTTPSeeOther:
    """Post/redirect/get, carrying one line of feedback for the next page."""
    from urllib.parse import urlencode

    query = {k: v for k, v in (("notice", notice), ("error", error)) if v}
    return web.HTTPSeeOther(location + ("?" + urlencode(query) if query else ""))
