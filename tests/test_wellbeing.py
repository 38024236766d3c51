"""Wellbeing caps on hours on call: what a coordinator is told when a shift is refused."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from escalation.rota import PRIMARY, BACKUP, Override, ShiftRule
from escalation.wellbeing import Caps, on_call_breach

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)


def nights(days: range) -> list[ShiftRule]:
    return [ShiftRule(1, d, time(22), time(8), PRIMARY) for d in days]


def test_four_nights_a_week_are_within_the_caps():
    assert on_call_breach(nights(range(4)), [], LONDON, 1, NOW, Caps()) is None


def test_a_fifth_ten_hour_night_breaks_the_weekly_cap():
    reason = on_call_breach(nights(range(5)), [], LONDON, 1, NOW, Caps())
    assert reason is not None and reason.startswith("50 hours on call in the 7 days") and "cap 48" in reason


def test_a_day_and_a_night_back_to_back_break_the_daily_cap():
    rules = [ShiftRule(1, 0, time(8), time(22), PRIMARY), ShiftRule(1, 0, time(22), time(8), BACKUP)]
    reason = on_call_breach(rules, [], LONDON, 1, NOW, Caps())
    assert reason is not None and "in the 24 hours" in reason and "cap 12" in reason


def test_an_extra_override_counts_too_and_other_mentors_do_not():
    extra = Override(1, "extra", BACKUP, NOW + timedelta(days=1), NOW + timedelta(days=1, hours=13))
    assert "24 hours" in (on_call_breach([], [extra], LONDON, 1, NOW, Caps()) or "")
    assert on_call_breach([], [extra], LONDON, 2, NOW, Caps()) is None


def test_caps_are_configurable():
    assert on_call_breach(nights(range(5)), [], LONDON, 1, NOW, Caps(hours_per_week=60)) is None
