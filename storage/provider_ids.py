"""Provider message ids as stored. A Telegram message is named by its chat and its number in that
chat; the chat id is a person's address, so the stored id names the chat by its keyed hash
instead. The same chat always gives the same hash, so a redelivery is still recognised, and a
mentor's reply to a relayed message still finds it; editing needs only the number."""

from __future__ import annotations

from storage.sealing import lookup_key


def telegram_message_id(chat_id: int | str, message_id: int) -> str:
    return f"{lookup_key(str(chat_id))}:{message_id}"


def telegram_message_number(provider_id: str) -> int:
    return int(provider_id.split(":", 2)[1])
