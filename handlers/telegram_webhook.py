"""POST /telegram/webhook: Telegram's webhook, answered 200 only once the update is stored."""

from __future__ import annotations

import hmac
import json

import structlog
from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.services import SERVICES
from handlers.errors import retry_later
from handlers.http import bad_request, forbidden, read_body
from handlers.telegram import UpdateFailed, process_or_raise
from storage.db import unavailable

log = structlog.get_logger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def telegram_webhook(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    configured = services.settings.telegram_webhook_secret
    application, secret = services.telegram, configured.get_secret_value() if configured else ""
    offered = request.headers.get(SECRET_HEADER, "")
    if not secret or not hmac.compare_digest(offered.encode(), secret.encode()):
        log.warning("telegram webhook refused: bad secret token", remote=request.remote)
        raise forbidden("bad secret token")
    if application is None:
        raise web.HTTPServiceUnavailable(text="telegram is not running")
    body = await read_body(request, services.settings.max_webhook_bytes)
    update = _update(body, application)
    try:
        await process_or_raise(application, update)
    except UpdateFailed as error:
        log.error("telegram update not stored; Telegram will retry", update_id=update.update_id,
                  error=str(error))
        if unavailable(error):
            raise retry_later() from None
        raise web.HTTPInternalServerError(text="not stored, retry") from None
    return web.Response(text="ok")


def _update(body: bytes, application: "Application") -> Update:  # type: ignore[type-arg]
    """The update in the body, or 400: not JSON, nested too deep to parse, not an update."""
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            raise ValueError("no update_id")
        if not 0 <= data["update_id"] < 2**63:
            raise ValueError("update_id out of range")
        return Update.de_json(data, application.bot)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        raise bad_request(f"not a Telegram update: {type(error).__name__}") from None
