"""The block list on the dashboard, for coordinators: who is blocked, why, how many messages they
sent in the last day; block a person by alias or id with a reason; lift a block.

The rules are ``storage.blocks``'s (the same as ``helpline people block | unblock | blocks``);
these handlers read the form and show refusals as 400 with the page, never a 5xx. Mentors get
403. Block and lift are audited by the storage; nothing here logs, and no number is shown.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from handlers.dashboard.common import back, coordinator, form, services, transaction
from storage import blocks, subject
from storage.types import row_id

PAGE = "/dash/blocks"
KEY_MAX = 40


async def _context(request: web.Request, error: str | None = None, given: dict[str, str] | None = None
                   ) -> dict[str, Any]:
    now = services(request).clock()
    async with services(request).sessions() as session:
        listed = await blocks.listed(session)
        counts = await blocks.messages_by_alias(session, now - timedelta(hours=24), now)
    return {"blocks": listed, "counts": counts, "reason_max": blocks.REASON_MAX, "given": given or {},
            "notice": None if error else request.query.get("notice"), "error": error or request.query.get("error")}


@aiohttp_jinja2.template("blocks.html")
async def blocks_page(request: web.Request) -> dict[str, Any]:
    coordinator(request)
    return await _context(request)


async def _refused(request: web.Request, error: str, given: dict[str, str]) -> web.Response:
    return aiohttp_jinja2.render_template("blocks.html", request, await _context(request, error, given), status=400)


async def block_person(request: web.Request) -> web.Response:
    user = coordinator(request)
    fields = await form(request)
    key, reason = fields.get("person", "").strip(), fields.get("reason", "").strip()
    given = {"person": key[:KEY_MAX], "reason": reason[:blocks.REASON_MAX]}
    if not key or len(key) > KEY_MAX or (key.isdigit() and row_id(key) is None):
        return await _refused(request, "Give the person's alias (like P-7KQ2MD) or id.", given)
    if not reason:
        return await _refused(request, "Say why the person is blocked.", given)
    if len(reason) > blocks.REASON_MAX:
        return await _refused(request, f"The reason is too long (at most {blocks.REASON_MAX} characters).", given)
    async with transaction(request) as session:
        try:
            person = await subject.find(session, key if row_id(key) is not None else key.upper())
        except LookupError:
            person = None
        if person is None:
            refused = f"No person {key}: give their alias (like P-7KQ2MD) or id."
        else:
            refused = None
            changed = await blocks.block(session, person, reason, services(request).clock(), user.actor)
    if refused is not None:
        return await _refused(request, refused, given)
    raise back(PAGE, notice=f"Blocked {person.alias}: their messages are stored, not routed (an emergency still is)."
               if changed else f"{person.alias} is already blocked.")


async def lift_block(request: web.Request) -> web.Response:
    user = coordinator(request)
    await form(request)  # the CSRF check
    raw = request.match_info["person_id"]
    if row_id(raw) is None:
        raise web.HTTPNotFound(text="No such person.")
    async with transaction(request) as session:
        try:
            person = await subject.find(session, raw)
        except LookupError:
            raise web.HTTPNotFound(text="No such person.") from None
        lifted = await blocks.lift(session, person, services(request).clock(), user.actor)
    raise back(PAGE, notice=f"Block on {person.alias} lifted: their messages are routed again." if lifted
               else f"{person.alias} is not blocked.")
