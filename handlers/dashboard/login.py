"""Log-in and log-out."""

from __future__ import annotations

import aiohttp_jinja2
import structlog
from aiohttp import web
from aiohttp_session import get_session, new_session

from bot.accounts import LoginRefused, LoginThrottled
from bot.client_address import client_address, forwarded_but_untrusted
from bot.web.setup import csrf_token
from handlers.dashboard.common import form, services

log = structlog.get_logger(__name__)
_warned_untrusted = False  # said once per process: a log line per log-in would drown the rest


def _safe_next(target: str | None) -> str:
    """Only a path inside the dashboard: never an open redirect to another site."""
    if target and target.startswith("/dash") and not target.startswith("//"):
        return target
    return "/dash"


async def login_page(request: web.Request) -> web.Response:
    await csrf_token(request)
    return aiohttp_jinja2.render_template("login.html", request, {"next": _safe_next(request.query.get("next")),
                                                                  "error": None})


def _client(request: web.Request) -> str:
    """Who is logging in, for counting failures per address (see bot.client_address)."""
    global _warned_untrusted
    proxies = services(request).settings.trusted_proxy_networks
    forwarded = request.headers.getall("X-Forwarded-For", [])
    if not _warned_untrusted and forwarded_but_untrusted(request.remote, forwarded, proxies):
        _warned_untrusted = True
        log.warning("x_forwarded_for_ignored", reason="the peer is not in HELPLINE_TRUSTED_PROXIES, so failed "
                    "log-ins are counted by the proxy's address for every client behind it")
    return client_address(request.remote, forwarded, proxies)


async def login(request: web.Request) -> web.Response:
    fields = await form(request)
    target = _safe_next(fields.get("next"))
    accounts = services(request).accounts
    assert accounts is not None
    try:
        token = await accounts.log_in(fields.get("username", "").strip(), fields.get("password", ""),
                                      _client(request))
    except LoginRefused as refusal:
        response = aiohttp_jinja2.render_template("login.html", request, {"next": target, "error": str(refusal)})
        response.set_status(401)
        if isinstance(refusal, LoginThrottled):
            response.set_status(429)
            response.headers["Retry-After"] = str(refusal.retry_after)
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
