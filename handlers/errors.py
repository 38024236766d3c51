"""Failures that are not the caller's fault, answered so that providers deliver again.

While the database is out of reach every request that needs it gets 503 with Retry-After at
once (Telegram and Twilio then deliver the update again), instead of hanging or answering 500;
the first request after it is back is served as usual.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from aiohttp import web

from storage.db import unavailable

log = structlog.get_logger(__name__)

RETRY_AFTER_SECONDS = 5
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def storage_unavailable(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception as error:
        if not unavailable(error):
            raise
        # no traceback: during an outage every request fails the same way, and it says nothing more
        log.error("database unavailable; answered 503", path=request.path, error=type(error).__name__)
        raise retry_later() from None


def retry_later() -> web.HTTPServiceUnavailable:
    return web.HTTPServiceUnavailable(text="the helpline cannot store this right now; deliver it again",
                                      headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
