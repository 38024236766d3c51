"""APScheduler runs the periodic work: the deadline poller (and later daily reports).

The deadlines themselves are rows in the database, not APScheduler jobs: APScheduler's job
stores cannot be shared between processes and drop one-off jobs that are too late by default.
The first poll runs at once, so a deadline that fell due while the process was down fires at
start-up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timezone

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = structlog.get_logger(__name__)


def start_scheduler(poll_deadlines: Callable[[], Awaitable[int]], every_seconds: float) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=timezone.utc)

    async def poll() -> None:
        try:
            fired = await poll_deadlines()
        except Exception:
            log.exception("deadline poll failed; next poll retries")
            return
        if fired:
            log.info("deadlines fired", count=fired)

    scheduler.add_job(poll, "interval", seconds=every_seconds, id="deadlines", max_instances=1,
                      coalesce=True, next_run_time=datetime.now(timezone.utc))
    scheduler.start()
    return scheduler
