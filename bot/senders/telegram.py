"""Sends outbox messages through python-telegram-bot's Bot."""

from __future__ import annotations

import warnings
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardMarkup
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
        markup = options.get("reply_markup")
        keyboard = InlineKeyboardMarkup.de_json(markup, self._bot) if markup is not None else None
        try:
            if "edit_provider_id" in options:
                return await self._edit(address, body, options["edit_provider_id"], keyboard)
            sent = await self._bot.send_message(chat_id=int(address), text=body, reply_markup=keyboard)
        except RetryAfter as error:
            raise TransientSendError("telegram flood control", retry_after_seconds(error)) from None
        except (Forbidden, BadRequest, InvalidToken) as error:
            raise PermanentSendError(f"telegram: {error.message}") from None
        except (NetworkError, TelegramError) as error:
            raise TransientSendError(f"telegram: {error.message}") from None
        return telegram_message_id(sent.chat_id, sent.message_id)

    async def _edit(self, address: str, body: str, provider_id: str | None,
                    keyboard: InlineKeyboardMarkup | None) -> str | None:
        """Update an earlier card ("taken by Anthony"); if it was never delivered, send anew."""
        if not provider_id:
            sent = await self._bot.send_message(chat_id=int(address), text=body, reply_markup=keyboard)
            return telegram_message_id(sent.chat_id, sent.message_id)
        message_id = int(provider_id.rsplit(":", 1)[1])
        await self._bot.edit_message_text(chat_id=int(address), message_id=message_id, text=body,
                                          reply_markup=keyboard)
        return provider_id
