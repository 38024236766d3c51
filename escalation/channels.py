"""Channel names shared by every layer, and which identity each one reaches a person by."""

from __future__ import annotations

TELEGRAM = "telegram"
SMS = "sms"
VOICE = "voice"

# SMS and voice reach the same phone number: one identity, two channels.
IDENTITY_KIND = {TELEGRAM: "telegram", SMS: "phone", VOICE: "phone"}

# Replies to a call go out as SMS: a voice channel cannot carry a text reply.
REPLY_CHANNEL = {TELEGRAM: TELEGRAM, SMS: SMS, VOICE: SMS}


def identity_kind(channel: str) -> str:
    try:
        return IDENTITY_KIND[channel]
    except KeyError:
        raise ValueError(f"unknown channel {channel!r}") from None
