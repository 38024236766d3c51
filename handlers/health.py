"""GET /healthz: can this process reach what it needs? For load balancers and the demo."""

from __future__ import annotations

from aiohttp import web

from bot.services import SERVICES
from storage.db import ping


async def healthz(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    report: dict[str, str] = {}
    try:
        await ping(services.engine)
        report["database"] = "ok"
    except Exception as error:
        report["database"] = f"unreachable: {type(error).__name__}"
    if services.settings.redis_url:
        try:
            await services.kv.ping()
            report["redis"] = "ok"
        except Exception as error:
            report["redis"] = f"unreachable: {type(error).__name__}"
    else:
        report["redis"] = "off"
    report["telegram"] = "on" if services.telegram is not None else "off"
    report["sms"] = "on" if services.twilio_validator is not None else "off"
    healthy = all(report[k] in ("ok", "off") for k in ("database", "redis"))
    report["status"] = "ok" if healthy else "unhealthy"
    return web.json_response(report, status=200 if healthy else 503)
