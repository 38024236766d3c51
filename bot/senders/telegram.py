"""Sends outbox messages through python-telegram-bot's Bot."""

from __future__ import annotations

import warnings
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.warnings import PTBDeprecationWarning
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError

from bot.senders.base import PermanentSendError, TransientSendError
from escalation.channels import TELEGRAM


def retry_after_seconds(error: RetryAfter) -> float:
    """Seconds to wait, whichever type this PTB release gives (int now, timedelta later)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def telegram_message_id(chat_id: int | str, message_id: int) -> str:
    """Telegram numbers messages per chat, so the chat is part of a unique id."""
    return f"{chat_id}:{message_id}"


class TelegramSender:
    channel = TELEGRAM

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, address: str, body: str, options: dict[str, Any]) -> str | None:
        try:
            sent = await self._bot.send_message(chat_id=int(address), text=body, **options)
        except RetryAfter as error:
            raise TransientSendError("telegram flood control", retry_after_seconds(error)) from None
        except (Forbidden, BadRequest, InvalidToken) as error:
            raise PermanentSendError(f"telegram: {error.message}") from None
        except (NetworkError, TelegramError) as error:
            raise TransientSendError(f"telegram: {error.message}") from None
        return telegram_message_id(sent.chat_id, sent.message_id)
