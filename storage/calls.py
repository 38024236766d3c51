"""Phone calls to the helpline: one row per call, keyed by Twilio's CallSid, and the numbers a
call needs (the mentors' phones are read here or in ``storage.mentors``, nowhere else)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Call, Contact


async def by_sid(session: AsyncSession, call_sid: str, lock: bool = False) -> Call | None:
    query = select(Call).where(Call.call_sid == call_sid)
    return await session.scalar(query.with_for_update() if lock else query)


async def create(session: AsyncSession, call_sid: str, contact_id: int, person_id: int, language: str | None,
                 region: str | None, now: datetime) -> Call:
    call = Call(call_sid=call_sid, contact_id=contact_id, person_id=person_id, language=language, region=region,
                state="greeting", legs=[], started_at=now)
    session.add(call)
    await session.flush()
    return call


async def talk_seconds(session: AsyncSession, contact_id: int) -> int:
    """Time spent on the phone with the person in this contact (taken calls only)."""
    total = await session.scalar(select(func.sum(Call.talk_seconds)).where(Call.contact_id == contact_id))
    return int(total or 0)


async def transcriptions_overdue(session: AsyncSession, now: datetime, limit: int = 20) -> list[Call]:
    """Voicemails whose transcription has not come by its due time (locked, skipped if taken)."""
    query = (select(Call).where(Call.transcription_due_at <= now, Call.message_id.is_(None))
             .order_by(Call.transcription_due_at).limit(limit).with_for_update(skip_locked=True))
    return list(await session.scalars(query))


async def last_urgency(session: AsyncSession, person_id: int, before_contact: int) -> str | None:
    """The urgency of the person's previous contact, for the mentor's whisper."""
    return await session.scalar(select(Contact.urgency).where(Contact.person_id == person_id,
                                                              Contact.id != before_contact,
                                                              Contact.urgency.is_not(None))
                                .order_by(Contact.id.desc()).limit(1))

