"""The small value types every part of the referral workflow shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Mapping


class ReferralError(Exception):
    """A step that cannot be taken; the message says why, to the mentor or coordinator."""


@dataclass(frozen=True)
class Actor:
    """Who acts: ``key`` is the same for one person on Telegram and on the dashboard (a user
    linked to a mentor is that mentor), so the two-person rule cannot be met by one person twice."""

    key: str
    name: str
    coordinator: bool = False


@dataclass(frozen=True)
class ReferralPolicy:
    helpline: str = "Helpline"
    agreement: str = ""
    ack_after: timedelta = timedelta(hours=24)
    remind_every: timedelta = timedelta(days=1)
    public_url: str = ""
    areas: Mapping[str, str] = field(default_factory=dict)  # a person's region (GB) -> agencies' area


def reference(referral_id: int) -> str:
    return f"HL-{referral_id}"
