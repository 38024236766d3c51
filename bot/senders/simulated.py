"""The demo's phones: a sender that "delivers" by marking the outbox row sent, so the phone
simulator page shows exactly what Telegram or SMS would have carried. Nothing leaves the machine."""

from __future__ import annotations

import itertools
from typing import Any

_ids = itertools.count(1)


class SimulatedPhone:
    def __init__(self, channel: str) -> None:
        self.channel = channel

    async def send(self, address: str, body: str, options: dict[str, Any]) -> str | None:
        return f"sim-{self.channel}-{next(_ids)}"
