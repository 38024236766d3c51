"""Dashboard accounts on the mentors page: disable one, enable one (which also lifts a running
log-in delay: "Let in now"). Passwords are reset from the command line only."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot import account_admin
from handlers.dashboard.common import back, coordinator, services, transaction
from storage.types import row_id
from storage.models import User


def _user_id(request: web.Request) -> int:
    found = row_id(request.match_info["user_id"])
    if found is None:
        raise web.HTTPNotFound()
    return found


async def _user(session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise LookupError(f"no dashboard user {user_id}")
    return user


async def disable_user(request: web.Request) -> web.Response:
    me = coordinator(request)
    user_id = _user_id(request)
    if user_id == me.id:
        raise back("/dash/mentors", error="You cannot disable your own account. Ask another coordinator.")
    async with transaction(request) as session:
        user = await _user(session, user_id)
        await account_admin.disable(session, user, me.actor, services(request).clock())
    raise back("/dash/mentors", notice=f"{user.username} can no longer log in; their sessions have ended.")


async def enable_user(request: web.Request) -> web.Response:
    me = coordinator(request)
    async with transaction(request) as session:
        user = await _user(session, _user_id(request))
        await account_admin.enable(session, user, me.actor, services(request).clock())
    raise back("/dash/mentors", notice=f"{user.username} can log in now.")
