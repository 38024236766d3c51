"""Sends outbox messages through python-telegram-bot's Bot."""

from __future__ import annotations

import warnings
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.senders.base import PermanentSendError, RecipientOptedOut, TransientSendError
from escalation.channels import TELEGRAM
from storage.provider_ids import telegram_message_id, telegram_message_number


def retry_after_seconds(error: RetryAfter) -> float:
    """Seconds to wait, whichever type this PTB release gives (int now, timedelta later)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def _keyboard(options: dict[str, Any], bot: Bot) -> InlineKeyboardMarkup | None:
    """Mentors' cards carry a ready ``reply_markup``; a person's reply carries ``buttons``
    as (label, data) pairs, one button a row, so that "I need someone now" is easy to hit."""
    if options.get("reply_markup") is not None:
        return InlineKeyboardMarkup.de_json(options["reply_markup"], bot)
    buttons = options.get("buttons") or []
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(str(label), callback_data=str(data))] for label, data in buttons])


class TelegramSender:
    channel = TELEGRAM

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, address: str, body: str, options: dict[str, Any]) -> str | None:
        keyboard = _keyboard(options, self._bot)
        try:
            if "edit_provider_id" in options:
                return await self._edit(address, body, options["edit_provider_id"], keyboard)
            # a quiet card arrives without sound: a low contact at night, before the person answers
            sent = await self._bot.send_message(chat_id=int(address), text=body, reply_markup=keyboard,
                                                disable_notification=bool(options.get("quiet")))
        except RetryAfter as error:
            raise TransientSendError("telegram flood control", retry_after_seconds(error)) from None
        except Forbidden as error:
            if "blocked" in error.message.lower():  # "Forbidden: bot was blocked by the user"
                raise RecipientOptedOut(f"telegram: {error.message}") from None
            raise PermanentSendError(f"telegram: {error.message}") from None
        except (BadRequest, InvalidToken) as error:
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
        message_id = telegram_message_number(provider_id)
        await self._bot.edit_message_text(chat_id=int(address), message_id=message_id, text=body,
                                          reply_markup=keyboard)
        return provider_id
