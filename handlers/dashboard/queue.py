"""The live queue: open contacts, most urgent and longest waiting first. The rows refresh
themselves by a short poll of /dash/queue/rows (a few lines of static JavaScript)."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from bot.web.setup import current_user
from handlers.dashboard.common import services
from storage.queue import QueueRow, open_queue


async def _rows(request: web.Request) -> list[QueueRow]:
    user = current_user(request)
    async with services(request).sessions() as session:
        return await open_queue(session, None if user.sees_everything else user.mentor_id or -1)


@aiohttp_jinja2.template("queue.html")
async def queue_page(request: web.Request) -> dict[str, object]:
    return {"rows": await _rows(request), "now": services(request).clock()}


@aiohttp_jinja2.template("_queue_rows.html")
async def queue_rows(request: web.Request) -> dict[str, object]:
    return {"rows": await _rows(request), "now": services(request).clock()}
