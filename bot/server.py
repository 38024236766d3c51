"""Wiring: one aiohttp server holding the stores, the intake, the channels and the outbox worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Callable, Mapping

import structlog
from aiohttp import web

from bot import telegram_app
from bot.outbox_worker import OutboxWorker
from bot.senders.base import Sender
from bot.services import SERVICES, SETTINGS, Services
from bot.settings import Settings
from escalation.intake import Intake, IntakeResult
from handlers.health import healthz
from handlers.telegram_webhook import telegram_webhook
from handlers.twilio_sms import twilio_sms
from storage.db import create_engine, session_factory
from storage.kv import create_store
from storage.migrate import upgrade
from storage.types import utcnow

log = structlog.get_logger(__name__)

MAX_REQUEST_BYTES = 1024 * 1024


def create_app(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utcnow,
    run_outbox: bool = True,
    extra_senders: Mapping[str, Sender] | None = None,
) -> web.Application:
    """The whole service as an aiohttp application; start-up and shut-down live in its context."""
    app = web.Application(client_max_size=MAX_REQUEST_BYTES)
    app[SETTINGS] = settings
    app.router.add_get("/healthz", healthz)
    if settings.telegram_enabled and settings.telegram_mode == "webhook":
        app.router.add_post(telegram_app.WEBHOOK_PATH, telegram_webhook)
    if settings.twilio_enabled:
        app.router.add_post("/twilio/sms", twilio_sms)
    app.cleanup_ctx.append(lambda app: _lifecycle(app, clock, run_outbox, extra_senders or {}))
    return app


async def _lifecycle(
    app: web.Application, clock: Callable[[], datetime], run_outbox: bool,
    extra_senders: Mapping[str, Sender],
) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    engine = create_engine(settings.database_url)
    revision = await upgrade(engine)
    sessions = session_factory(engine)
    kv = create_store(settings.redis_url)
    worker_box: list[OutboxWorker] = []

    def after_commit(result: IntakeResult) -> None:
        if result.reply_queued and worker_box:
            worker_box[0].wake()

    intake = Intake(sessions, kv, idle_after=timedelta(hours=settings.contact_idle_hours),
                    clock=clock, on_committed=after_commit)
    services = Services(settings=settings, engine=engine, sessions=sessions, kv=kv, intake=intake,
                        clock=clock, schema_revision=revision)
    app[SERVICES] = services
    senders: dict[str, Sender] = dict(extra_senders)
    sms_sender = await _start_twilio(services, senders)
    await _start_telegram(services, senders)
    if run_outbox:
        worker = OutboxWorker(sessions, senders, clock=clock, poll_seconds=settings.outbox_poll_seconds,
                              max_attempts=settings.outbox_max_attempts)
        worker_box.append(worker)
        services.outbox_worker = worker
        worker.start()
        worker.wake()
    try:
        yield
    finally:
        if services.outbox_worker is not None:
            await services.outbox_worker.stop()
        if services.telegram is not None:
            await telegram_app.stop(services.telegram)
        if sms_sender is not None:
            await sms_sender.close()
        await kv.close()
        await engine.dispose()


async def _start_twilio(services: Services, senders: dict[str, Sender]):  # type: ignore[no-untyped-def]
    settings = services.settings
    if not settings.twilio_enabled:
        return None
    from twilio.request_validator import RequestValidator

    from bot.senders.sms import SmsSender, twilio_client

    assert settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_number
    services.twilio_validator = RequestValidator(settings.twilio_auth_token)
    client = twilio_client(settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_api_url)
    sender = SmsSender(client, settings.twilio_number)
    senders[sender.channel] = sender
    return sender


async def _start_telegram(services: Services, senders: dict[str, Sender]) -> None:
    settings = services.settings
    if not settings.telegram_enabled:
        return
    from bot.senders.telegram import TelegramSender

    application = telegram_app.build_application(settings, services.intake)
    await telegram_app.start(application, settings)
    services.telegram = application
    sender = TelegramSender(application.bot)
    senders[sender.channel] = sender
