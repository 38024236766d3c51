"""Mentors' corrections of the triage, kept as labelled examples.

The corrected message's text is read here (and in ``storage.contacts``) only, like every body.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Message, TriageCorrection


@dataclass(frozen=True)
class LabelledExample:
    """A correction as a labelled message: what the triage said and what the mentor said."""

    text: str
    lang: str
    level_given: str
    level_corrected: str
    categories: tuple[str, ...]
    reason: str | None
    at: datetime


async def add(session: AsyncSession, *, contact_id: int, message_id: int | None, level_given: str,
              level_corrected: str, reason: str | None, mentor_id: int | None, actor: str,
              at: datetime) -> TriageCorrection:
    correction = TriageCorrection(contact_id=contact_id, message_id=message_id, level_given=level_given,
                                  level_corrected=level_corrected, reason=(reason or None) and reason[:500],
                                  mentor_id=mentor_id, actor=actor, at=at)
    session.add(correction)
    await session.flush()
    return correction


async def latest_by(session: AsyncSession, mentor_id: int, since: datetime) -> TriageCorrection | None:
    return await session.scalar(select(TriageCorrection).where(
        TriageCorrection.mentor_id == mentor_id, TriageCorrection.at >= since)
        .order_by(TriageCorrection.id.desc()).limit(1))


async def examples(session: AsyncSession) -> AsyncIterator[LabelledExample]:
    """Every correction with its message, oldest first, streamed."""
    query = (select(TriageCorrection, Message.body, Message.triage, Message.categories)
             .join(Message, Message.id == TriageCorrection.message_id).order_by(TriageCorrection.id))
    for correction, body, triage, categories in await session.execute(query):
        yield LabelledExample(body, str((triage or {}).get("lang", "en")), correction.level_given,
                              correction.level_corrected, tuple(categories or ()), correction.reason, correction.at)
