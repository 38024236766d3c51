"""The coordinators' daily digest of the block list: how many messages each blocked person sent in
the last 24 hours, by alias, and never what they wrote.

A blocked person's messages are stored and not routed, so without this nobody would know they
kept writing (perhaps in a worse state). Once a day per coordinator (the dedupe key holds the
date, so a second worker or a rerun sends nothing twice); nothing is sent on a day with none.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from escalation.notify import Notifier, tell
from storage import blocks
from storage import mentors as mentor_store
from storage.db import SessionFactory

PERIOD = timedelta(hours=24)
MOST_LISTED = 30


class BlockedDigest:
    def __init__(self, sessions: SessionFactory, notifier: Notifier, zone: ZoneInfo,
                 clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._notifier = notifier
        self._zone = zone
        self._clock = clock

    async def send(self) -> int:
        """Tell every coordinator; returns how many blocked messages were counted."""
        now = self._clock()
        async with self._sessions() as session, session.begin():
            counts = await blocks.messages_by_alias(session, now - PERIOD, now)
            if not counts:
                return 0
            text = digest_text(counts)
            day = now.astimezone(self._zone).date().isoformat()
            for coordinator in await mentor_store.coordinators(session):
                await tell(self._notifier, session, coordinator, text, f"blocked_digest:{day}:{coordinator.id}")
        return sum(counts.values())


def digest_text(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    lines = [f"- {alias}: {count} message{'s' if count != 1 else ''}" for alias, count in ranked[:MOST_LISTED]]
    if len(ranked) > MOST_LISTED:
        lines.append(f"…and {len(ranked) - MOST_LISTED} more people")
    return (f"Blocked people wrote {total} message{'s' if total != 1 else ''} in the last 24 hours "
            "(stored, not routed; an emergency is routed all the same):\n" + "\n".join(lines)
            + "\nTheir contacts are on the dashboard; the block list: Blocks, or helpline people blocks")
