"""The agency's acknowledgement link: a public page, no log-in, outside the dashboard.

The secret token in the URL is the credential, so the POST needs no CSRF token (there is no
session to forge a request in). A GET only asks: mail scanners and link previews open links,
and must not acknowledge a referral nobody read. The page names the referral, its kind and the
helpline, and nothing about the person."""

from __future__ import annotations

import re

import aiohttp_jinja2
from aiohttp import web

from bot.services import SERVICES
from bot.web.setup import SECURITY_HEADERS
from escalation.referrals.sharing import share_label
from escalation.referrals.workflow import Referrals, reference
from storage.models import Referral

TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # secrets.token_urlsafe's alphabet; longer is no token of ours
HEADERS = {**SECURITY_HEADERS, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
           "X-Robots-Tag": "noindex, nofollow"}


def _referrals(request: web.Request) -> Referrals:
    found = request.app[SERVICES].referrals
    if found is None:
        raise web.HTTPServiceUnavailable(text="The helpline is starting; try again in a moment.")
    return found


def _token(request: web.Request) -> str | None:
    token = request.match_info["token"]
    return token if TOKEN.fullmatch(token) else None


def _page(request: web.Request, state: str, referral: Referral | None = None) -> web.Response:
    """Rendered without the dashboard's context (no session, no cookie for the agency)."""
    helpline = _referrals(request).policy.helpline
    values = {"state": state, "helpline": helpline, "ref": reference(referral.id) if referral else "",
              "kind": share_label(referral.kind) if referral else ""}
    title = {"ask": f"Referral {values['ref']} — confirm receipt", "done": "Thank you, acknowledged"}.get(
        state, "This link is not valid any more")
    html = aiohttp_jinja2.get_env(request.app).get_template("referral_ack.html").render(title=title, **values)
    return web.Response(text=html, content_type="text/html", status=404 if state == "invalid" else 200,
                        headers=HEADERS)


async def ack_page(request: web.Request) -> web.Response:
    token = _token(request)
    referral = await _referrals(request).peek_link(token) if token else None
    return _page(request, "ask" if referral else "invalid", referral)


async def acknowledge(request: web.Request) -> web.Response:
    token = _token(request)
    referral = await _referrals(request).acknowledge_by_link(token) if token else None
    return _page(request, "done" if referral else "invalid", referral)
