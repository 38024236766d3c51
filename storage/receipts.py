"""Receipts of mentors' inbound messages and taps, so that a provider delivering one again
(Telegram redelivers an update it got no 200 for; Twilio retries an SMS webhook) acts once.

A person's message is de-duplicated by its stored row; a mentor's message is not stored as
such (it becomes what is relayed, or a decision), so its provider id is claimed here, in the
same transaction as what it does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboundReceipt


async def claim(session: AsyncSession, channel: str, provider_id: str, now: datetime) -> bool:
    """True the first time; False if this delivery was acted on before (or is being now)."""
    if await session.scalar(select(InboundReceipt.id).where(InboundReceipt.channel == channel,
                                                             InboundReceipt.provider_id == provider_id)):
        return False
    try:
        async with session.begin_nested():
            session.add(InboundReceipt(channel=channel, provider_id=provider_id[:160], at=now))
    except IntegrityError:
        return False
    return True


async def seen(session: AsyncSession, channel: str, provider_id: str) -> bool:
    return bool(await session.scalar(select(InboundReceipt.id).where(InboundReceipt.channel == channel,
                                                                      InboundReceipt.provider_id == provider_id)))
