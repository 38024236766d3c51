"""Telegram transport: python-telegram-bot's Application inside our aiohttp server.

Webhook mode uses the custom-webhook pattern (no Updater; our route feeds updates in and
awaits them); polling mode runs PTB's Updater, for development without a public URL.
"""

from __future__ import annotations

import structlog
from telegram import Update
from telegram.ext import AIORateLimiter, Application

from bot.settings import Settings
from escalation.intake import Intake
from escalation.mentor_desk import MentorDesk
from handlers import telegram as telegram_handlers

log = structlog.get_logger(__name__)

WEBHOOK_PATH = "/telegram/webhook"


def build_application(settings: Settings, intake: Intake, desk: MentorDesk) -> Application:  # type: ignore[type-arg]
    assert settings.telegram_token
    builder = (
        Application.builder()
        .token(settings.telegram_token.get_secret_value())
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.telegram_api_url.removesuffix("/bot") + "/file/bot")
        # Flood-control waits are the outbox's job (it reschedules the row), so the limiter
        # only paces requests and never sleeps through a RetryAfter itself.
        .rate_limiter(AIORateLimiter(max_retries=0))
    )
    if settings.telegram_mode == "webhook":
        builder = builder.updater(None)
    application = builder.build()
    telegram_handlers.install(application, intake, desk)
    return application


async def start(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    await application.initialize()
    await application.start()
    if settings.telegram_mode == "webhook":
        await application.bot.set_webhook(
            url=f"{settings.public_url}{WEBHOOK_PATH}",
            secret_token=settings.telegram_webhook_secret.get_secret_value() if settings.telegram_webhook_secret else None,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
    log.info("telegram started", mode=settings.telegram_mode, bot_id=application.bot.id)


async def stop(application: Application) -> None:  # type: ignore[type-arg]
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
