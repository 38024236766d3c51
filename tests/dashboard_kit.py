"""Helpers for dashboard tests: accounts, logging in through the real form, reading forms' tokens."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.accounts import hash_password
from storage import users
from storage.types import utcnow

PASSWORD = "a long test password"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def add_user(sessions: Any, username: str, role: str, mentor: str | None = None) -> None:
    async with sessions() as session, session.begin():
        await users.add_user(session, username=username, password_hash=hash_password(PASSWORD), role=role,
                             mentor_name=mentor, now=utcnow())


async def staffed_dashboard(backend: Any, start_helpline: Any, mentors: dict[str, str] | None = None) -> Any:
    """A running helpline (no channels) with the routing team on the rota, a coordinator account
    ``cora`` and a mentor account for each of ``mentors`` (username: team mentor's name; Anne by
    default); ``.team`` holds the team."""
    from tests.conftest import helpline_settings
    from tests.routing_kit import make_team

    running = await start_helpline(helpline_settings(backend, None, None, public_url=None))
    running.team = await make_team(running.services.sessions)
    await add_user(running.services.sessions, "cora", "coordinator")
    for username, name in (mentors or {"anne": "Anne Primary"}).items():
        await add_user(running.services.sessions, username, "mentor", mentor=name)
    return running


async def csrf_of(client: Any, path: str = "/dash/login") -> str:
    page = await client.get(path)
    found = CSRF.search(await page.text())
    assert found, f"no CSRF token on {path}"
    return found.group(1)


async def log_in(client: Any, username: str, password: str = PASSWORD, headers: dict[str, str] | None = None) -> Any:
    token = await csrf_of(client)
    return await client.post("/dash/login", data={"csrf": token, "username": username, "password": password,
                                                  "next": "/dash"}, allow_redirects=False, headers=headers)


@asynccontextmanager
async def another_browser(client: Any) -> AsyncIterator[Any]:
    """A second browser on the same running dashboard: its own cookies, the same server."""
    from aiohttp.test_utils import TestClient

    other = TestClient(client.server)
    await other.start_server()  # the server is already running: this only opens the browser
    try:
        yield other
    finally:
        await other.session.close()


async def post_form(client: Any, path: str, data: dict[str, str], page: str = "/dash") -> Any:
    """Post as the dashboard's own form would: with the CSRF token of the session."""
    return await client.post(path, data={"csrf": await csrf_of(client, page), **data}, allow_redirects=False)
