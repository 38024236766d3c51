"""The interface every channel's sender implements, and the two ways sending can fail."""

from __future__ import annotations

import re
from typing import Any, Protocol

_LONG_NUMBER = re.compile(r"\+?\d[\d \-]{5,}\d")


def redacted(reason: str) -> str:
    """A provider's error text without phone numbers or chat ids (runs of 7 or more digits), as
    it is kept on the row, logged, and shown to coordinators; error codes (5 digits) stay."""
    return _LONG_NUMBER.sub("…", reason)


class TransientSendError(Exception):
    """Worth trying again; ``retry_after`` is the provider's own wait, when it gave one."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentSendError(Exception):
    """Trying again cannot help (blocked bot, invalid number); the reason is kept on the row."""


class RecipientOptedOut(PermanentSendError):
    """The recipient has said they want nothing from us: they blocked the bot, or texted STOP to
    the carrier. A person's address is then recorded as opted out, and the row suppressed."""


class Sender(Protocol):
    channel: str

    async def send(self, address: str, body: str, options: dict[str, Any]) -> str | None:
        """Deliver one message and return the provider's id for it."""
        ...
