"""GET /healthz tells a load balancer whether this process can do its job."""

from __future__ import annotations

from tests.conftest import helpline_settings
from tests.servers import free_port


async def test_health_reports_database_and_redis(backend, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, None, None))

    response = await helpline.client.get("/healthz")

    assert response.status == 200
    report = await response.json()
    assert report["status"] == "ok" and report["database"] == "ok"
    assert report["redis"] == ("ok" if backend.redis_url else "off")


async def test_health_is_503_when_redis_is_configured_but_down(backend, start_helpline):
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    helpline = await start_helpline(helpline_settings(backend, None, None, redis_url=dead_redis))

    response = await helpline.client.get("/healthz")

    assert response.status == 503
    report = await response.json()
    assert report["redis"].startswith("unreachable") and report["database"] == "ok"
