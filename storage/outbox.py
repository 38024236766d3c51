"""The outbox: outbound messages written in the same transaction as what caused them.

Providers are only called after the cause has committed, and a reply is never lost to a crash
between the two: the worker finds the row after a restart. Rows are claimed with a lease so
that a worker that dies mid-send releases them, and with ``SKIP LOCKED`` on PostgreSQL so that
several workers never claim the same row.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage import opt_outs
from storage.contacts import set_provider_id
from storage.events import append_event
from storage.models import OutboxItem

UNSENT = ("pending", "sending")


@dataclass(frozen=True)
class Delivery:
    """A claimed outbox row, detached from the session that claimed it."""

    id: int
    channel: str
    address: str
    body: str
    options: dict[str, Any]
    attempts: int
    contact_id: int | None
    message_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class LateGroup:
    """Messages on one channel still undelivered past the late mark: how many, since when, why.
    No text, no address: this is what the dashboard and the coordinators are shown."""

    channel: str
    count: int
    oldest: datetime
    reasons: tuple[str, ...]


async def enqueue(
    session: AsyncSession,
    *,
    dedupe_key: str,
    channel: str,
    address: str,
    body: str,
    now: datetime,
    contact_id: int | None = None,
    message_id: int | None = None,
    options: dict[str, Any] | None = None,
) -> int | None:
    """Queue one outbound message; a second call with the same key queues nothing."""
    if await session.scalar(select(OutboxItem.id).where(OutboxItem.dedupe_key == dedupe_key)):
        return None
    item = OutboxItem(dedupe_key=dedupe_key, channel=channel, address=address, body=body,
                      options=options or {}, status="pending", attempts=0, next_attempt_at=now,
                      created_at=now, contact_id=contact_id, message_id=message_id)
    session.add(item)
    await session.flush()
    return item.id


def _due(now: datetime) -> Any:
    return or_(
        and_(OutboxItem.status == "pending", OutboxItem.next_attempt_at <= now),
        and_(OutboxItem.status == "sending", OutboxItem.lease_until < now),
    )


def _oldest_for_recipient() -> Any:
    """Only the oldest unsent row per recipient, so a retry never lets a later message overtake."""
    earlier = aliased(OutboxItem)
    return ~exists().where(
        earlier.channel == OutboxItem.channel,
        earlier.address_key == OutboxItem.address_key,
        earlier.status.in_(UNSENT),
        earlier.id < OutboxItem.id,
    )


async def claim_due(
    session: AsyncSession, now: datetime, limit: int, lease: timedelta, channels: list[str],
    in_flight: Collection[int] = (),
) -> list[Delivery]:
    """Claim due rows on the channels this process can send on; others wait for a process that can.

    ``in_flight`` are rows this process is still sending: never claimed twice, even if a test's
    clock (or a stalled send) runs past their lease. A row to an address that opted out is not
    claimed but marked ``suppressed`` (see ``storage.opt_outs``), and the recipient's next row
    is looked at in the same call."""
    claimed: list[Delivery] = []
    while len(claimed) < limit:
        query = (
            select(OutboxItem)
            .where(_due(now), OutboxItem.channel.in_(channels), _oldest_for_recipient(),
                   OutboxItem.id.not_in(list(in_flight)))
            .order_by(OutboxItem.id)
            .limit(limit - len(claimed))
            .with_for_update(skip_locked=True, of=OutboxItem)
        )
        items = list(await session.scalars(query))
        stops = await opt_outs.stops_of(session, ((item.channel, item.address) for item in items))
        held = 0
        for item in items:
            stopped = stops.get((item.channel, item.address))
            if stopped is not None and not opt_outs.lets_through(stopped, item.created_at, item.options or {}):
                await _suppress(session, item, opt_outs.HELD_BACK, now)
                held += 1
                continue
            item.status, item.lease_until = "sending", now + lease
            item.attempts += 1
            claimed.append(Delivery(item.id, item.channel, item.address, item.body, dict(item.options),
                                    item.attempts, item.contact_id, item.message_id, item.created_at))
        await session.flush()
        if not held:
            break
    return claimed


async def _suppress(session: AsyncSession, item: OutboxItem, reason: str, now: datetime) -> None:
    item.status, item.lease_until, item.last_error = "suppressed", None, reason[:500]
    if item.contact_id is not None:
        await append_event(session, item.contact_id, "delivery_suppressed", "system", now,
                           outbox_id=item.id, channel=item.channel, reason=reason)


async def withdraw_pending(session: AsyncSession, contact_id: int, kind: str, reason: str, now: datetime) -> int:
    """Suppress a contact's queued and not yet claimed messages of one kind (the ``kind:`` prefix
    of their dedupe key); how many. A row being sent is past withdrawing."""
    rows = list(await session.scalars(select(OutboxItem).where(
        OutboxItem.contact_id == contact_id, OutboxItem.status == "pending",
        OutboxItem.dedupe_key.startswith(f"{kind}:", autoescape=True))))
    for item in rows:
        await _suppress(session, item, reason, now)
    await session.flush()
    return len(rows)


async def mark_suppressed(session: AsyncSession, item_id: int, reason: str, now: datetime) -> None:
    """Not sent, and never to be: the recipient opted out. Not a failure (nobody is alarmed)."""
    item = await session.get(OutboxItem, item_id)
    if item is not None:
        await _suppress(session, item, reason, now)
        await session.flush()


async def mark_sent(session: AsyncSession, item_id: int, provider_message_id: str | None, now: datetime) -> None:
    item = await session.get(OutboxItem, item_id)
    if item is None:
        return
    item.status, item.sent_at, item.lease_until = "sent", now, None
    item.provider_message_id, item.last_error = provider_message_id, None
    if item.message_id is not None and provider_message_id:
        await set_provider_id(session, item.message_id, provider_message_id)
    await session.flush()


async def mark_retry(session: AsyncSession, item_id: int, at: datetime, error: str,
                     counted: bool = True) -> None:
    """Try again at ``at``. A provider's own "retry after" is not ``counted``: it is a wait, not a
    failure, and must not make the next back-off longer."""
    item = await session.get(OutboxItem, item_id)
    if item is not None:
        item.status, item.next_attempt_at, item.lease_until = "pending", at, None
        item.last_error = error[:500]
        if not counted:
            item.attempts = max(0, item.attempts - 1)
        await session.flush()


async def mark_failed(session: AsyncSession, item_id: int, error: str) -> None:
    item = await session.get(OutboxItem, item_id)
    if item is not None:
        item.status, item.lease_until, item.last_error = "failed", None, error[:500]
        await session.flush()


async def provider_id_of(session: AsyncSession, item_id: int) -> str | None:
    return await session.scalar(select(OutboxItem.provider_message_id).where(OutboxItem.id == item_id))


async def late(session: AsyncSession, created_before: datetime) -> list[LateGroup]:
    """Unsent messages queued before ``created_before``, grouped by channel, oldest first."""
    rows = await session.execute(
        select(OutboxItem.channel, OutboxItem.last_error, func.count(), func.min(OutboxItem.created_at))
        .where(OutboxItem.status.in_(UNSENT), OutboxItem.created_at <= created_before)
        .group_by(OutboxItem.channel, OutboxItem.last_error))
    groups: dict[str, tuple[int, datetime, list[str]]] = {}
    for channel, reason, count, oldest in rows:
        total, first, reasons = groups.get(channel, (0, oldest, []))
        groups[channel] = (total + count, min(first, oldest), reasons + [reason or f"{channel}: not tried yet"])
    return sorted((LateGroup(channel, total, first, tuple(sorted(reasons)))
                   for channel, (total, first, reasons) in groups.items()), key=lambda g: g.oldest)


async def recent(session: AsyncSession, channel: str, limit: int) -> list[OutboxItem]:
    """The newest rows of one channel, newest first (the demo's "e-mails that would have been sent")."""
    return list(await session.scalars(select(OutboxItem).where(OutboxItem.channel == channel)
                                      .order_by(OutboxItem.id.desc()).limit(limit)))
