"""Who is on call, with a fixed clock: a week, overnight shifts, both clock changes, overrides."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from escalation.rota import (BACKUP, PRIMARY, Override, ShiftRule, gaps, next_cover_start, on_call,
                             parse_time, parse_weekday)

LONDON = ZoneInfo("Europe/London")
ANNE, BEN, CARA, DEV = 1, 2, 3, 4


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def week_of_nights_and_days() -> list[ShiftRule]:
    """Anne nights 22:00-08:00 every day, Ben days 08:00-22:00, Cara backup days."""
    rules = []
    for day in range(7):
        rules.append(ShiftRule(ANNE, day, time(22), time(8), PRIMARY, id=day))
        rules.append(ShiftRule(BEN, day, time(8), time(22), PRIMARY, id=10 + day))
        rules.append(ShiftRule(CARA, day, time(8), time(22), BACKUP, id=20 + day))
    return rules


def test_the_right_mentor_every_hour_of_a_week():
    rules = week_of_nights_and_days()
    start = local(2026, 11, 23, 0, 30)  # a Monday
    for hour in range(7 * 24):
        moment = start + timedelta(hours=hour)
        expected = ANNE if moment.hour >= 22 or moment.hour < 8 else BEN
        assert on_call(rules, [], LONDON, moment).primary == (expected,), moment


def test_a_shift_hands_over_at_the_minute_without_overlap():
    rules = week_of_nights_and_days()
    assert on_call(rules, [], LONDON, local(2026, 11, 24, 7, 59)).primary == (ANNE,)
    assert on_call(rules, [], LONDON, local(2026, 11, 24, 8, 0)).primary == (BEN,)
    assert on_call(rules, [], LONDON, local(2026, 11, 24, 21, 59)).primary == (BEN,)
    assert on_call(rules, [], LONDON, local(2026, 11, 24, 22, 0)).primary == (ANNE,)


@pytest.mark.parametrize("night, hours", [
    ((2026, 3, 28), 9),    # clocks go forward at 01:00 on Sunday 29 March 2026
    ((2026, 10, 24), 11),  # clocks go back at 02:00 on Sunday 25 October 2026
])
def test_overnight_shift_keeps_local_hours_across_the_clock_change(night, hours):
    rules = week_of_nights_and_days()
    evening = local(*night, 22, 0)
    morning = local(*night, 8, 0) + timedelta(days=1)
    span = morning.astimezone(timezone.utc) - evening.astimezone(timezone.utc)
    assert span == timedelta(hours=hours)
    minute, end = evening.astimezone(timezone.utc), morning.astimezone(timezone.utc)
    while minute < end:
        assert on_call(rules, [], LONDON, minute).primary == (ANNE,), minute
        minute += timedelta(minutes=1)
    assert on_call(rules, [], LONDON, end).primary == (BEN,)
    week = (evening - timedelta(days=2)).astimezone(timezone.utc)
    assert gaps(rules, [], LONDON, week, week + timedelta(days=4)) == []


def test_gaps_list_every_minute_without_a_primary():
    rules = [ShiftRule(ANNE, 0, time(9), time(17), PRIMARY)]  # Mondays 9-5 only
    monday = local(2026, 11, 23, 0, 0).astimezone(timezone.utc)
    holes = gaps(rules, [], LONDON, monday, monday + timedelta(days=1))
    assert holes == [(monday, local(2026, 11, 23, 9).astimezone(timezone.utc)),
                     (local(2026, 11, 23, 17).astimezone(timezone.utc), monday + timedelta(days=1))]


def test_a_cover_override_replaces_the_rota_holder_for_its_period_only():
    rules = week_of_nights_and_days()
    cover = Override(DEV, "cover", PRIMARY, local(2026, 11, 24, 23).astimezone(timezone.utc),
                     local(2026, 11, 25, 3).astimezone(timezone.utc), id=1)
    assert on_call(rules, [cover], LONDON, local(2026, 11, 24, 22, 30)).primary == (ANNE,)
    assert on_call(rules, [cover], LONDON, local(2026, 11, 25, 1, 0)).primary == (DEV,)
    assert on_call(rules, [cover], LONDON, local(2026, 11, 25, 3, 0)).primary == (ANNE,)


def test_extra_cover_adds_and_off_removes():
    rules = week_of_nights_and_days()
    period = (local(2026, 11, 25, 10).astimezone(timezone.utc), local(2026, 11, 25, 12).astimezone(timezone.utc))
    extra = Override(DEV, "extra", BACKUP, *period, id=2)
    off = Override(BEN, "off", PRIMARY, *period, id=3)
    at = local(2026, 11, 25, 11)
    assert on_call(rules, [extra], LONDON, at) .backup == (CARA, DEV)
    assert on_call(rules, [off], LONDON, at).primary == ()
    assert gaps(rules, [off], LONDON, *period) == [period]


def test_next_cover_start_says_when_someone_will_answer():
    rules = [ShiftRule(ANNE, 0, time(9), time(17), PRIMARY)]
    sunday_night = local(2026, 11, 22, 23).astimezone(timezone.utc)
    assert next_cover_start(rules, [], LONDON, sunday_night) == local(2026, 11, 23, 9).astimezone(timezone.utc)
    in_shift = local(2026, 11, 23, 10).astimezone(timezone.utc)
    assert next_cover_start(rules, [], LONDON, in_shift) == in_shift
    assert next_cover_start([], [], LONDON, in_shift) is None


def test_times_and_days_are_parsed_with_clear_errors():
    assert parse_time("22:00") == time(22) and parse_weekday("Saturday") == 5
    with pytest.raises(ValueError, match="not a time of day"):
        parse_time("10pm")
    with pytest.raises(ValueError, match="mon..sun"):
        parse_weekday("someday")
