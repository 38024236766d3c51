"""The interface every channel's sender implements, and the two ways sending can fail."""

from __future__ import annotations

from typing import Any, Protocol


class TransientSendError(Exception):
    """Worth trying again; ``retry_after`` is the provider's own wait, when it gave one."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentSendError(Exception):
    """Trying again cannot help (blocked bot, invalid number); the reason is kept on the row."""


class Sender(Protocol):
    channel: str

    async def send(self, address: str, body: str, options: dict[str, Any]) -> str | None:
        """Deliver one message and return the provider's id for it."""
        ...
