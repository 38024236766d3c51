"""Shift swaps: a mentor offers one occurrence of a shift, another takes it, coordinators hear.

Taking a swap is a ``cover`` override for that occurrence, so the rota, the router and the gap
report all see it at once. The wellbeing caps apply to the taker: a swap that would break one
is refused with the reason (a coordinator can still arrange it with --override-caps).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select

from escalation import rota, wellbeing
from escalation.notify import Notifier, tell
from storage import mentors as mentor_store
from storage import rota as rota_store
from storage.db import SessionFactory
from storage.mentors import MentorView
from storage.models import SwapOffer

HORIZON = timedelta(days=14)


class _Refused(Exception):
    """Raised inside the transaction so that it rolls back; the message is for the mentor."""


@dataclass(frozen=True)
class Occurrence:
    role: str
    starts_at: datetime
    ends_at: datetime


class Swaps:
    def __init__(self, sessions: SessionFactory, notifier: Notifier, zone: ZoneInfo, caps: wellbeing.Caps,
                 clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._notifier = notifier
        self._zone = zone
        self._caps = caps
        self._clock = clock

    async def upcoming(self, mentor: MentorView, limit: int = 6) -> list[Occurrence]:
        """The mentor's next shifts, which they can offer."""
        now = self._clock()
        async with self._sessions() as session:
            rules, overrides = await rota_store.load(session, now, now + HORIZON)
        mine = [c for c in rota.covers(rules, overrides, self._zone, now, now + HORIZON)
                if c.mentor_id == mentor.id and c.starts_at > now]
        return [Occurrence(c.role, c.starts_at, c.ends_at) for c in sorted(mine, key=lambda c: c.starts_at)][:limit]

    async def offer(self, mentor: MentorView, starts_at: datetime, role: str) -> str:
        """Offer the occurrence starting at ``starts_at`` to every other active mentor."""
        mine = {(o.starts_at, o.role): o for o in await self.upcoming(mentor, limit=50)}
        occurrence = mine.get((starts_at, role))
        if occurrence is None:
            return "That shift is not yours to offer (or has started)."
        async with self._sessions() as session, session.begin():
            offer = SwapOffer(mentor_id=mentor.id, role=role, starts_at=starts_at, ends_at=occurrence.ends_at,
                              state="open", created_at=self._clock())
            session.add(offer)
            await session.flush()
            text = f"{mentor.first_name} asks someone to take their {role} shift {self.describe(occurrence)}."
            for other in await mentor_store.all_mentors(session, active_only=True):
                if other.id != mentor.id:
                    await self._tell(session, other, text, f"swap:{offer.id}:{other.id}",
                                     buttons=[("Take it", f"st:{offer.id}")])
        return f"Offered {self.describe(occurrence)} to the other mentors."

    async def take(self, taker: MentorView, offer_id: int) -> str:
        try:
            return await self._take(taker, offer_id)
        except _Refused as refusal:  # the transaction has rolled back: nothing was changed
            return str(refusal)

    async def _take(self, taker: MentorView, offer_id: int) -> str:
        now = self._clock()
        async with self._sessions() as session, session.begin():
            offer = await session.scalar(select(SwapOffer).where(SwapOffer.id == offer_id).with_for_update())
            if offer is None or offer.state != "open" or offer.starts_at <= now:
                return "That swap has already been taken or has passed."
            if offer.mentor_id == taker.id:
                return "That is your own shift."
            await rota_store.add_override(session, mentor_id=taker.id, kind="cover", role=offer.role,
                                          starts_at=offer.starts_at, ends_at=offer.ends_at,
                                          note=f"swap {offer.id}", now=now)
            rules, overrides = await rota_store.load(session, now - timedelta(days=7), now + HORIZON)
            breach = wellbeing.on_call_breach(rules, overrides, self._zone, taker.id, now, self._caps)
            if breach is not None:
                raise _Refused(f"Not taken: you would have {breach}. Ask a coordinator.")
            offer.state, offer.taken_by = "taken", taker.id
            occurrence = Occurrence(offer.role, offer.starts_at, offer.ends_at)
            offerer = (await mentor_store.mentors_by_id(session, [offer.mentor_id]))[offer.mentor_id]
            note = f"{taker.first_name} takes {offerer.first_name}'s {offer.role} shift {self.describe(occurrence)}."
            await self._tell(session, offerer, note, f"swap-taken:{offer.id}:{offerer.id}")
            for coordinator in await mentor_store.coordinators(session):
                if coordinator.id not in (taker.id, offerer.id):
                    await self._tell(session, coordinator, note, f"swap-taken:{offer.id}:{coordinator.id}")
        return f"Thanks: the {offer.role} shift {self.describe(occurrence)} is yours."

    def describe(self, occurrence: Occurrence) -> str:
        begins, ends = occurrence.starts_at.astimezone(self._zone), occurrence.ends_at.astimezone(self._zone)
        return f"{begins:%a %d %b %H:%M}-{ends:%H:%M}"

    async def _tell(self, session, mentor: MentorView, text: str, dedupe: str,  # type: ignore[no-untyped-def]
                    buttons: list[tuple[str, str]] | None = None) -> None:
        await tell(self._notifier, session, mentor, text, dedupe, buttons)
