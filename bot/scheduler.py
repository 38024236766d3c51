"""APScheduler runs the periodic work: the deadline poller (and later daily reports).

The deadlines themselves are rows in the database, not APScheduler jobs: APScheduler's job
stores cannot be shared between processes and drop one-off jobs that are too late by default.
The first poll runs at once, so a deadline that fell due while the process was down fires at
start-up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = structlog.get_logger(__name__)


RUNNING: set[asyncio.Task[None]] = set()  # jobs running now, so that a stop can let them finish
STOP_WAIT_SECONDS = 5.0


async def stop_scheduler(scheduler: AsyncIOScheduler, wait: float = STOP_WAIT_SECONDS) -> None:
    """No new runs; the running ones finish (bounded), rather than being cancelled half-way
    through a transaction; then the scheduler stops."""
    scheduler.pause()
    if RUNNING:
        await asyncio.wait(set(RUNNING), timeout=wait)
    scheduler.shutdown(wait=False)


def start_scheduler(poll_deadlines: Callable[[], Awaitable[int]], every_seconds: float, *,
                    rota_minutely: Callable[[], Awaitable[int]], gap_report: Callable[[], Awaitable[int]],
                    zone: ZoneInfo, gap_report_at: str = "09:00", poll_at_start: bool = True,
                    retention: Callable[[], Awaitable[int]] | None = None,
                    retention_at: str = "03:30",
                    blocked_digest: Callable[[], Awaitable[int]] | None = None,
                    blocked_digest_at: str = "09:00") -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=timezone.utc)
    now = datetime.now(timezone.utc) if poll_at_start else None
    scheduler.add_job(_logged("deadlines", poll_deadlines), "interval", seconds=every_seconds, id="deadlines",
                      max_instances=1, coalesce=True, next_run_time=now)
    scheduler.add_job(_logged("rota reminders", rota_minutely), "interval", minutes=1, id="rota",
                      max_instances=1, coalesce=True, next_run_time=now)
    hour, minute = (int(part) for part in gap_report_at.split(":"))
    scheduler.add_job(_logged("gap report", gap_report), "cron", hour=hour, minute=minute, timezone=zone,
                      id="gaps", max_instances=1, coalesce=True, misfire_grace_time=3600)
    if retention is not None:  # the daily purge of texts past their retention period, at night
        hour, minute = (int(part) for part in retention_at.split(":"))
        scheduler.add_job(_logged("retention purge", retention), "cron", hour=hour, minute=minute, timezone=zone,
                          id="retention", max_instances=1, coalesce=True, misfire_grace_time=6 * 3600)
    if blocked_digest is not None:  # the coordinators' daily count of what blocked people sent
        hour, minute = (int(part) for part in blocked_digest_at.split(":"))
        scheduler.add_job(_logged("blocked digest", blocked_digest), "cron", hour=hour, minute=minute, timezone=zone,
                          id="blocked_digest", max_instances=1, coalesce=True, misfire_grace_time=6 * 3600)
    scheduler.start()
    return scheduler


def _logged(name: str, job: Callable[[], Awaitable[int]]) -> Callable[[], Awaitable[None]]:
    """A job that logs its failures and lets the next run retry, instead of dying quietly."""

    async def run() -> None:
        task = asyncio.current_task()
        if task is not None:
            RUNNING.add(task)
        try:
            done = await job()
        except asyncio.CancelledError:
            log.info("scheduled job stopped with the service; its next run redoes it", job=name)
            return
        except Exception:
            log.exception("scheduled job failed; the next run retries", job=name)
            return
        finally:
            RUNNING.discard(task)  # type: ignore[arg-type]
        if done:
            log.info("scheduled job did work", job=name, count=done)

    return run
