"""The directory of agencies the helpline shares with: add one, disable or enable it."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from escalation.referrals.sharing import share_kinds, share_label
from handlers.dashboard.common import back, coordinator, form, record, services, transaction
from storage import agencies
from storage.types import row_id

HOME = "/dash/agencies"


@aiohttp_jinja2.template("agencies.html")
async def agencies_page(request: web.Request) -> dict[str, Any]:
    coordinator(request)
    async with services(request).sessions() as session:
        rows = await agencies.all_agencies(session)
    return {"agencies": rows, "kinds": agencies.AGENCY_KINDS, "channels": agencies.AGENCY_CHANNELS,
            "shares": {kind: share_label(kind) for kind in share_kinds()},
            "notice": request.query.get("notice"), "error": request.query.get("error")}


async def add_agency(request: web.Request) -> web.Response:
    coordinator(request)
    fields = await form(request)
    kind = fields.get("kind", "")
    accepts = [share for share in share_kinds() if fields.get(f"accepts_{share}") == "on"]
    async with transaction(request) as session:
        try:
            added = await agencies.add_agency(
                session, kind=kind, area=fields.get("area", "")[:60], name=fields.get("name", "")[:120],
                channel=fields.get("channel", ""), address=fields.get("address", "")[:255],
                accepts=accepts, now=services(request).clock())
        except ValueError as error:
            raise back(HOME, error=str(error)) from None
        await record(session, request, "agency_added", agency_id=added.id, kind=added.kind, channel=added.channel,
                     accepts=list(added.accepts))
    raise back(HOME, notice=f"Added {added.name}.")


def _agency_id(request: web.Request) -> int:
    raw = request.match_info["agency_id"]
    if not (raw.isascii() and raw.isdigit()):
        raise web.HTTPBadRequest(text="an agency is named by its number")
    found = row_id(raw)
    if found is None:
        raise web.HTTPNotFound(text="no such agency")
    return found


async def _set_active(request: web.Request, active: bool) -> web.Response:
    coordinator(request)
    agency_id = _agency_id(request)
    async with transaction(request) as session:
        changed = await agencies.set_active(session, agency_id, active)  # LookupError: 404
        await record(session, request, "agency_enabled" if active else "agency_disabled", agency_id=agency_id)
    raise back(HOME, notice=f"{changed.name} is {'active again' if active else 'disabled: nothing more is sent to it'}.")


async def disable_agency(request: web.Request) -> web.Response:
    return await _set_active(request, False)


async def enable_agency(request: web.Request) -> web.Response:
    return await _set_active(request, True)
