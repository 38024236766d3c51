"""Mount the dashboard on the helpline's aiohttp application."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path
from typing import Awaitable, Callable

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.web_request import FileField
from multidict import MultiDictProxy
from aiohttp_session import get_session, setup as setup_session
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography import fernet

from bot.services import SERVICES
from bot.settings import Settings
from storage.users import UserView

HERE = Path(__file__).parent
USER = web.RequestKey("user", UserView)
PUBLIC_PATHS = ("/dash/login", "/static/")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def setup_dashboard(app: web.Application, settings: Settings) -> None:
    from handlers.dashboard.routes import add_routes

    key = fernet.Fernet(settings.session_key.get_secret_value() if settings.session_key else fernet.Fernet.generate_key())
    secure = bool(settings.public_url and settings.public_url.startswith("https://"))
    setup_session(app, EncryptedCookieStorage(key, cookie_name="helpline_session", httponly=True,
                                              secure=secure, samesite="Lax", max_age=None))
    # before the template context middleware, so that the context sees the logged-in user
    app.middlewares.extend([security_headers, not_found, require_login, check_csrf])
    env = aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(HERE / "templates"),
                               autoescape=jinja2.select_autoescape(default=True),
                               context_processors=[_context])
    env.filters["local"] = lambda moment, fmt="%a %d %b %H:%M": _local(moment, settings, fmt)
    env.filters["ago"] = _ago
    app.router.add_static("/static/", HERE / "static", name="static")
    add_routes(app)


def _local(moment: datetime | None, settings: Settings, fmt: str) -> str:
    return moment.astimezone(settings.zone).strftime(fmt) if moment else ""


def _ago(moment: datetime | None) -> str:
    """"12 min" / "3 h 5 min" / "2 days": how long someone has been waiting."""
    if moment is None:
        return ""
    from storage.types import utcnow

    minutes = max(0, int((utcnow() - moment).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes // 1440} days"


async def _context(request: web.Request) -> dict[str, object]:
    return {"user": request.get(USER), "csrf": await csrf_token(request), "path": request.path,
            "demo": request.app[SERVICES].simulated}


async def csrf_token(request: web.Request) -> str:
    session = await get_session(request)
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def current_user(request: web.Request) -> UserView:
    user = request.get(USER)
    assert isinstance(user, UserView), "the dashboard route ran without require_login"
    return user


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as error:
        response = error
        _apply_headers(request, response)
        raise
    _apply_headers(request, response)
    return response


def _apply_headers(request: web.Request, response: web.StreamResponse) -> None:
    if request.path.startswith("/dash") or request.path.startswith("/static/"):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.path.startswith("/dash"):
            response.headers.setdefault("Cache-Control", "no-store")  # contacts are personal data


@web.middleware
async def not_found(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A missing mentor, contact or row asked for by id is a 404, not a server error."""
    try:
        return await handler(request)
    except LookupError as error:
        if request.path.startswith("/dash"):
            raise web.HTTPNotFound(text=str(error)) from None
        raise


@web.middleware
async def require_login(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every dashboard page needs a live session; without one, the log-in page."""
    if not request.path.startswith("/dash") or request.path.startswith(PUBLIC_PATHS):
        return await handler(request)
    session = await get_session(request)
    token = session.get("token")
    user = await request.app[SERVICES].accounts.user_of(token) if isinstance(token, str) else None
    if user is None:
        session.pop("token", None)
        if request.method == "GET" and not request.path.endswith((".csv", "/rows")):
            raise web.HTTPSeeOther(f"/dash/login?next={request.path_qs}" if request.path != "/dash" else "/dash/login")
        raise web.HTTPUnauthorized(text="log in first")
    request[USER] = user
    return await handler(request)


async def posted(request: web.Request) -> MultiDictProxy[str | bytes | FileField]:
    """The form of a post, or 400 if it is not one (not UTF-8, not a form)."""
    try:
        return await request.post()
    except (UnicodeDecodeError, ValueError):
        raise web.HTTPBadRequest(text="That is not a form this page can read.") from None


@web.middleware
async def check_csrf(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every form post carries the session's token; a post without it is refused, nothing done."""
    if request.method == "POST" and request.path.startswith("/dash"):
        session = await get_session(request)
        form = await posted(request)
        expected, given = session.get("csrf"), form.get("csrf")
        if not isinstance(expected, str) or not isinstance(given, str) or not secrets.compare_digest(expected, given):
            raise web.HTTPForbidden(text="This form has expired or did not come from the dashboard. "
                                         "Go back, reload the page and try again.")
    return await handler(request)
