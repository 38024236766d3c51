"""What every dashboard handler needs: the user, a transaction, access checks and form reading."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import SERVICES, Services
from bot.web.setup import current_user
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


async def form(request: web.Request) -> dict[str, str]:
    return {k: v for k, v in (await request.post()).items() if isinstance(v, str)}


async def record(session: AsyncSession, request: web.Request, action: str, **detail: Any) -> None:
    await audit.record(session, current_user(request).actor, action, services(request).clock(), **detail)


def back(location: str, notice: str | None = None, error: str | None = None) -> web.HTTPSeeOther:
    """Post/redirect/get, carrying one line of feedback for the next page."""
    from urllib.parse import urlencode

    query = {k: v for k, v in (("notice", notice), ("error", error)) if v}
    return web.HTTPSeeOther(location + ("?" + urlencode(query) if query else ""))
