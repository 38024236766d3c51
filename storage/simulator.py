"""What the demo's phone simulator shows: a simulated phone's inbox, read from the outbox and
the transcript, so it shows exactly what the real channels would have carried."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Call, Contact, Identity, Message, OutboxItem
from storage.sealing import lookup_key


@dataclass(frozen=True)
class Bubble:
    at: datetime
    mine: bool  # written on this phone
    text: str
    state: str = ""
    buttons: tuple[tuple[str, str], ...] = ()
    call: bool = False  # the helpline rang this phone (a call that wakes a mentor)


async def person_phone(session: AsyncSession, kind: str, address: str, limit: int = 40) -> list[Bubble]:
    """The person's side: what they wrote, and what the helpline sent them."""
    person_id = await session.scalar(select(Identity.person_id).where(Identity.kind == kind, Identity.address_key == lookup_key(address)))
    if person_id is None:
        return []
    written = [Bubble(m.received_at, True, m.body) for m in await session.scalars(
        select(Message).join(Contact, Contact.id == Message.contact_id)
        .where(Contact.person_id == person_id, Message.direction == "in").order_by(Message.id.desc()).limit(limit))]
    return sorted(written + await _received(session, [address], limit), key=lambda b: b.at)[-limit:]


async def mentor_phone(session: AsyncSession, addresses: list[str], limit: int = 40) -> list[Bubble]:
    """The mentor's side: alert cards (with their buttons) and relayed messages."""
    return sorted(await _received(session, addresses, limit), key=lambda b: b.at)


async def _received(session: AsyncSession, addresses: list[str], limit: int) -> list[Bubble]:
    rows = await session.scalars(select(OutboxItem).where(OutboxItem.address_key.in_([lookup_key(a) for a in addresses]))
                                 .order_by(OutboxItem.id.desc()).limit(limit))
    return [Bubble(row.created_at, False, row.body, row.status, _buttons(row.options, row.contact_id),
                   row.channel == "voice") for row in rows]


async def live_call(session: AsyncSession, address: str) -> Call | None:
    """The person's call still going on (ringing, taken, or at the voicemail), if any."""
    person_id = await session.scalar(select(Identity.person_id).where(Identity.kind == "phone",
                                                                      Identity.address_key == lookup_key(address)))
    if person_id is None:
        return None
    return await session.scalar(select(Call).where(Call.person_id == person_id, Call.ended_at.is_(None))
                                .order_by(Call.id.desc()).limit(1))


async def ringing_for(session: AsyncSession, mentor_id: int) -> list[Call]:
    """Calls of people ringing this mentor's phone now (the last leg dialled is theirs)."""
    rows = await session.scalars(select(Call).where(Call.state == "ringing", Call.ended_at.is_(None)))
    return [call for call in rows if call.legs and call.legs[-1] == mentor_id]


async def in_call_with(session: AsyncSession, mentor_id: int) -> list[Call]:
    return list(await session.scalars(select(Call).where(Call.taken_by == mentor_id, Call.ended_at.is_(None))))


def _buttons(options: dict[str, Any] | None, contact_id: int | None = None) -> tuple[tuple[str, str], ...]:
    """The Telegram inline keyboard of a message, flattened to (text, callback data): a mentor
    card's ``reply_markup``, or a person's ``buttons``; a call's keys 1 and 2 act as Accept and Pass."""
    if (options or {}).get("call") and contact_id is not None:
        return (("1 · accept", f"c:{contact_id}:accept"), ("2 · pass", f"c:{contact_id}:pass"))
    rows = ((options or {}).get("reply_markup") or {}).get("inline_keyboard") or []
    pairs = [(str(b.get("text", "")), str(b.get("callback_data", ""))) for row in rows for b in row]
    return tuple(pairs + [(str(label), str(data)) for label, data in (options or {}).get("buttons") or []])
