"""/healthz says the process serves (and what is degraded); /readyz says it can store."""

from __future__ import annotations

from tests.conftest import helpline_settings
from tests.servers import free_port


async def test_health_and_readiness_report_database_redis_and_the_outbox(backend, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, None, None))

    live, ready = await helpline.client.get("/healthz"), await helpline.client.get("/readyz")

    assert live.status == 200 and ready.status == 200
    report = await live.json()
    assert report["status"] == "ok" and report["database"] == "ok" and report["degraded"] == []
    assert report["redis"] == ("ok" if backend.redis_url else "off")
    assert report["outbox"] == {"unsent": 0, "oldest_seconds": 0}


async def test_redis_down_is_degraded_but_alive_and_ready(backend, start_helpline):
    """The service works without Redis (de-duplication falls back to the database): a load
    balancer must not take out a working instance."""
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    helpline = await start_helpline(helpline_settings(backend, None, None, redis_url=dead_redis))

    live, ready = await helpline.client.get("/healthz"), await helpline.client.get("/readyz")

    assert live.status == 200 and ready.status == 200
    report = await live.json()
    assert report["redis"].startswith("unreachable") and report["degraded"] == ["redis"]
    assert report["status"] == "degraded"


async def test_without_its_database_the_service_is_alive_but_not_ready(tmp_path, start_helpline):
    from tests.conftest import Backend

    path = tmp_path / "helpline.db"
    helpline = await start_helpline(helpline_settings(Backend("sqlite", f"sqlite+aiosqlite:///{path}", None),
                                                      None, None))
    await helpline.services.engine.dispose()
    path.unlink()
    path.mkdir()  # the file is gone and cannot be made again: SQLite cannot open it

    live, ready = await helpline.client.get("/healthz"), await helpline.client.get("/readyz")

    assert live.status == 200 and ready.status == 503
    assert (await ready.json())["database"].startswith("unreachable")
    assert "database" in (await live.json())["degraded"]
