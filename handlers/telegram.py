"""What the bot does with Telegram updates: turn a person's message into one intake call.

Transport (webhook route, polling) lives in ``handlers.telegram_webhook`` and
``bot.telegram_app``; this module only knows updates and the intake.
"""

from __future__ import annotations

import asyncio
from contextvars import ContextVar
from datetime import timezone

import structlog
from telegram import Message, Update
from telegram.ext import Application, BaseHandler, ContextTypes, MessageHandler, filters

from escalation.channels import TELEGRAM
from escalation.intake import InboundMessage, Intake

log = structlog.get_logger(__name__)

POLLING_RETRIES = 60

_failures: ContextVar[list[BaseException] | None] = ContextVar("telegram_failures", default=None)

MEDIA_MARKERS = (
    ("voice", "[voice message]"), ("audio", "[audio]"), ("photo", "[photo]"),
    ("video", "[video]"), ("video_note", "[video message]"), ("document", "[file]"),
    ("sticker", "[sticker]"), ("location", "[location]"), ("contact", "[contact card]"),
)


class UpdateFailed(Exception):
    """A handler raised while processing an update; the webhook answers 500 so Telegram retries."""


def message_text(message: Message) -> str:
    """Text, caption, or a marker for media, so that no message is stored empty or dropped."""
    if message.text:
        return message.text
    marker = next((label for attr, label in MEDIA_MARKERS if getattr(message, attr, None)), "[message]")
    if message.sticker and message.sticker.emoji:
        marker = f"[sticker {message.sticker.emoji}]"
    return f"{marker} {message.caption}" if message.caption else marker


def inbound_from_update(update: Update) -> InboundMessage | None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or chat.type != chat.PRIVATE:
        return None
    provider_id = f"{chat.id}:{message.message_id}"
    if update.edited_message is not None and message.edit_date is not None:
        provider_id += f":edit:{int(message.edit_date.timestamp())}"
    received = message.date if message.date.tzinfo else message.date.replace(tzinfo=timezone.utc)
    return InboundMessage(channel=TELEGRAM, sender=str(chat.id), text=message_text(message),
                          provider_message_id=provider_id, received_at=received)


def build_handlers(intake: Intake) -> list[BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]]:
    async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        inbound = inbound_from_update(update)
        if inbound is None:
            log.info("telegram update ignored", update_id=update.update_id)
            return
        result = await intake.receive(inbound)
        log.info("telegram message taken", update_id=update.update_id, contact_id=result.contact_id,
                 duplicate=result.duplicate)

    return [MessageHandler(filters.ALL, on_message)]


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("telegram update failed", update_id=update_id, error=type(context.error).__name__)
    failures = _failures.get()
    if failures is not None:  # webhook: the route answers 500 and Telegram delivers again
        if context.error is not None:
            failures.append(context.error)
    elif isinstance(update, Update):  # polling: Telegram will not send it again, so we retry
        context.application.create_task(_retry_later(context.application, update))


async def _retry_later(application: Application, update: Update) -> None:  # type: ignore[type-arg]
    """Put a polled update back on the queue with back-off until it is stored.

    Held in memory only: if the process also dies, the update is lost; webhook mode has no
    such gap, which is why production uses it.
    """
    attempts: dict[int, int] = application.bot_data.setdefault("update_retries", {})
    attempt = attempts.get(update.update_id, 0) + 1
    if attempt > POLLING_RETRIES:
        log.critical("telegram update dropped after retries", update_id=update.update_id)
        attempts.pop(update.update_id, None)
        return
    attempts[update.update_id] = attempt
    await asyncio.sleep(min(2 ** attempt, 60) / 4)
    await application.update_queue.put(update)


def install(application: Application, intake: Intake) -> None:  # type: ignore[type-arg]
    application.add_handlers(build_handlers(intake))
    application.add_error_handler(on_error)


async def process_or_raise(application: Application, update: Update) -> None:  # type: ignore[type-arg]
    """Process an update to the end and raise if any handler failed.

    python-telegram-bot hands handler errors to error handlers and returns normally; the
    webhook must know, to answer 500 and have Telegram deliver the update again.
    """
    failures: list[BaseException] = []
    token = _failures.set(failures)
    try:
        await application.process_update(update)
    finally:
        _failures.reset(token)
    if failures:
        raise UpdateFailed(type(failures[0]).__name__) from failures[0]
