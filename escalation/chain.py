"""The escalation chain as policy: who is asked at each step, how loudly, and how long they have.

    step 0  the on-call primary (the person's named mentor if on call and speaking their
            language); at emergency the backup too. A low contact at night is alerted quietly
            first and again with sound if the person has not said within a few minutes that
            it can wait. For a reply alert (accepted, not answered), step 0 reminds the mentor
            who holds the contact
    step 1  the backup on call
    step 2  the coordinators on call (all coordinators if none is on the rota)
    step 3  everyone on call and every coordinator, on their alert and fallback channels and
            by a phone call; this last step repeats, louder (SMS too), until someone accepts

A card does not wake a sleeping volunteer; a phone call does. So a step also rings the
mentors' phones where waking matters (``wakes``): an emergency at once (primary and backup,
beside the card), any step at night after the first card, a quiet card coming again with
sound at its deadline, and the last step at any hour. Before the last step a mentor's own
``call_window`` is honoured; on call means reachable when it comes to the last step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from escalation.channels import VOICE
from escalation.rota import OnCall
from escalation.triage.model import Level
from storage.mentors import MentorView

LAST_STEP = 3


@dataclass(frozen=True)
class ChainPolicy:
    deadlines: dict[Level, timedelta]  # to accept at steps 0-2
    repeat: timedelta  # between rounds of the last step
    awake_from: time  # a low contact is quiet outside these hours, until the person answers
    awake_to: time
    low_night: timedelta = timedelta(minutes=30)  # the low deadline at night
    safety_answer: timedelta = timedelta(minutes=10)  # to answer "are you safe right now?"

    def wait_after(self, level: Level, step: int, at: datetime, zone: ZoneInfo) -> timedelta:
        if step >= LAST_STEP:
            return self.repeat
        if level == Level.LOW and not self.awake(at, zone):
            return self.low_night
        return self.deadlines[level]

    def awake(self, at: datetime, zone: ZoneInfo) -> bool:
        clock = at.astimezone(zone).time()
        return self.awake_from <= clock < self.awake_to

    def next_awake(self, at: datetime, zone: ZoneInfo) -> datetime:
        local = at.astimezone(zone)
        start = datetime.combine(local.date(), self.awake_from, tzinfo=zone)
        if start <= local:
            start = datetime.combine(local.date() + timedelta(days=1), self.awake_from, tzinfo=zone)
        return start


def targets(step: int, level: Level, on_call: OnCall, coordinators: Sequence[MentorView],
            on_call_mentors: dict[int, MentorView], preferred: Sequence[int]) -> list[int]:
    """Mentor ids to alert at ``step``, most fitting first; inactive mentors are left out."""
    active = {i for i, m in on_call_mentors.items() if m.active}
    coordinator_ids = [c.id for c in coordinators if c.active]
    on_call_coordinators = [c for c in coordinator_ids if c in on_call.everyone]
    if step == 0:
        first = [m for m in preferred if m in active] or [m for m in on_call.primary if m in active]
        if not first:
            first = [m for m in on_call.backup if m in active]
        if level >= Level.EMERGENCY:
            first += [m for m in on_call.backup if m in active]
        chosen = first
    elif step == 1:
        chosen = [m for m in on_call.backup if m in active]
    elif step == 2:
        chosen = on_call_coordinators or coordinator_ids
    else:
        chosen = [m for m in on_call.everyone if m in active] + coordinator_ids
    return list(dict.fromkeys(chosen))


def channels(step: int, mentor: MentorView, available: frozenset[str], call: bool = False) -> list[str]:
    """Louder as the chain goes on: the mentor's alert channel, then the fallback too, then SMS
    and a phone call. A channel the helpline cannot use, or the mentor has no address on, is
    replaced by the next one, so that a step is never silent for want of a channel. ``call``
    adds a phone call beside the card (see ``wakes``); a call alone is never the whole alert."""
    if step < LAST_STEP:
        wanted = [mentor.alert_channel, mentor.fallback_channel]
        wanted = wanted[:1] + [c for c in wanted[1:] if c not in wanted[:1]]
        usable = [c for c in wanted if c != VOICE and _reachable(c, mentor, available)][:1]
    else:
        wanted = [mentor.alert_channel, mentor.fallback_channel] if step == LAST_STEP else ["sms", mentor.alert_channel]
        usable = [c for c in dict.fromkeys(wanted) if c != VOICE and _reachable(c, mentor, available)]
    if (call or step >= LAST_STEP) and _reachable(VOICE, mentor, available):
        usable.append(VOICE)
    return usable


def wakes(step: int, level: Level, awake: bool, deadline: bool) -> bool:
    """Whether this step rings phones: where a card alone may not wake anyone in time."""
    if step >= LAST_STEP or (level >= Level.EMERGENCY and step == 0):
        return True
    return not awake and (step >= 1 or deadline)


def may_call(mentor: MentorView, step: int, local: time) -> bool:
    """The mentor's own limit on being woken by a call, which the last step overrides."""
    if step >= LAST_STEP or mentor.call_window == "always":
        return True
    if mentor.call_window == "never":
        return False
    start, _, end = mentor.call_window.partition("-")
    begins, ends = time.fromisoformat(start), time.fromisoformat(end)
    return begins <= local < ends if begins < ends else local >= begins or local < ends


def other_channels(mentor: MentorView, available: frozenset[str], tried: frozenset[str]) -> list[str]:
    """Where else to reach a mentor whose alert did not arrive where it was sent (a blocked bot,
    a channel down for minutes): their alert and fallback channels first, then any other."""
    wanted = [mentor.alert_channel, mentor.fallback_channel, "telegram", "sms"]
    return [c for c in dict.fromkeys(wanted) if c not in tried and c != VOICE and _reachable(c, mentor, available)]


def _reachable(channel: str, mentor: MentorView, available: frozenset[str]) -> bool:
    if channel not in available or not channel:
        return False
    return mentor.has_telegram if channel == "telegram" else mentor.has_phone
