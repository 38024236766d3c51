"""The live queue: open contacts, most urgent and longest waiting first. The rows refresh
themselves by a short poll of /dash/queue/rows (a few lines of static JavaScript).

Above them, one line per channel on which messages have waited undelivered past
``HELPLINE_OUTBOX_LATE_MINUTES``: how many, for how long and why, never what or to whom."""

from __future__ import annotations

from datetime import timedelta

import aiohttp_jinja2
from aiohttp import web

from bot.web.setup import current_user
from escalation.delivery_watch import late_lines
from handlers.dashboard.common import services
from storage import outbox
from storage.queue import open_queue


async def _context(request: web.Request) -> dict[str, object]:
    user = current_user(request)
    now = services(request).clock()
    late_after = timedelta(minutes=services(request).settings.outbox_late_minutes)
    async with services(request).sessions() as session:
        rows = await open_queue(session, None if user.sees_everything else user.mentor_id or -1)
        undelivered = late_lines(await outbox.late(session, now - late_after), now)
    return {"rows": rows, "now": now, "undelivered": undelivered}


@aiohttp_jinja2.template("queue.html")
async def queue_page(request: web.Request) -> dict[str, object]:
    return await _context(request)


@aiohttp_jinja2.template("_queue_rows.html")
async def queue_rows(request: web.Request) -> dict[str, object]:
    return await _context(request)
