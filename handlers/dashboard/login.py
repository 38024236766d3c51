"""Log-in and log-out."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web
from aiohttp_session import get_session, new_session

from bot.accounts import LoginRefused
from bot.web.setup import csrf_token
from handlers.dashboard.common import form, services


def _safe_next(target: str | None) -> str:
    """Only a path inside the dashboard: never an open redirect to another site."""
    if target and target.startswith("/dash") and not target.startswith("//"):
        return target
    return "/dash"


async def login_page(request: web.Request) -> web.Response:
    await csrf_token(request)
    return aiohttp_jinja2.render_template("login.html", request, {"next": _safe_next(request.query.get("next")),
                                                                  "error": None})


async def login(request: web.Request) -> web.Response:
    fields = await form(request)
    target = _safe_next(fields.get("next"))
    accounts = services(request).accounts
    assert accounts is not None
    try:
        token = await accounts.log_in(fields.get("username", "").strip(), fields.get("password", ""),
                                      request.remote or "unknown")
    except LoginRefused as refusal:
        response = aiohttp_jinja2.render_template("login.html", request, {"next": target, "error": str(refusal)})
        response.set_status(401)
        return response
    session = await new_session(request)  # a fresh cookie: nothing carried over from before log-in
    session["token"] = token
    await csrf_token(request)
    raise web.HTTPSeeOther(target)


async def logout(request: web.Request) -> web.Response:
    session = await get_session(request)
    token = session.get("token")
    accounts = services(request).accounts
    if isinstance(token, str) and accounts is not None:
        await accounts.log_out(token)
    session.invalidate()
    raise web.HTTPSeeOther("/dash/login")
