"""GET /healthz (liveness) and GET /readyz (readiness), for load balancers and operators.

/healthz is 200 whenever this process serves requests: a load balancer must not take out a
working instance because Redis (optional) or a channel is down; the JSON says what is degraded.
/readyz is 503 only when the database is out of reach, the one thing without which nothing can
be stored (and so nothing acknowledged to Telegram or Twilio).
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from bot.services import SERVICES, Services
from storage.db import ping
from storage.health import unsent

CHECK_SECONDS = 2.0
LATE_OUTBOX_SECONDS = 300  # undelivered for this long counts as degraded


async def healthz(request: web.Request) -> web.Response:
    report = await _report(request.app[SERVICES])
    report["status"] = "ok" if not report["degraded"] else "degraded"
    return web.json_response(report)


async def readyz(request: web.Request) -> web.Response:
    report = await _report(request.app[SERVICES])
    ready = report["database"] == "ok"
    report["status"] = "ready" if ready else "not ready: the database is unreachable"
    return web.json_response(report, status=200 if ready else 503)


async def _report(services: Services) -> dict[str, Any]:
    report: dict[str, Any] = {"database": await _check(ping(services.engine))}
    report["redis"] = await _check(services.kv.ping()) if services.settings.redis_url else "off"
    report["telegram"] = "on" if services.telegram is not None else "off"
    report["sms"] = "on" if services.twilio_validator is not None else "off"
    degraded = [part for part in ("database", "redis") if report[part] not in ("ok", "off")]
    if report["database"] == "ok":
        report["outbox"] = await _outbox(services)
        if report["outbox"]["oldest_seconds"] >= LATE_OUTBOX_SECONDS:
            degraded.append("outbox")
    report["degraded"] = degraded
    return report


async def _check(probe: Any) -> str:
    try:
        await asyncio.wait_for(probe, CHECK_SECONDS)
        return "ok"
    except Exception as error:  # any failure is the part being unreachable, named by its type
        return f"unreachable: {type(error).__name__}"


async def _outbox(services: Services) -> dict[str, int]:
    async with services.sessions() as session:
        count, oldest = await unsent(session)
    age = int((services.clock() - oldest).total_seconds()) if oldest is not None else 0
    return {"unsent": count, "oldest_seconds": max(age, 0)}
