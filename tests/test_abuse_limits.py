"""Rate limits that lose nothing: a person who floods the helpline has every message stored, every
webhook answered 200, and every message on their contact; their mentor is not pinged once a message
but gets the messages beyond the limit in one batch when the window ends; a rise in urgency (an
emergency inside the flood) goes through at once. Through the real pipeline on a fixed clock at
03:00 and 14:00, on SQLite with the in-process count and on PostgreSQL with the count in Redis.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from escalation.flood import FloodGuard
from storage.models import Contact, ContactEvent, Message, Person
from storage.rate_limit import MemoryRateLimiter, RedisRateLimiter
from tests.conftest import privacy_notice
from tests.db_queries import rows
from tests.night_kit import ANNE, AT_2PM, AT_3AM, BEN, CARA, PERSON, buttons, open_line

LIMIT = 10
ROUTINE = "what time is my appointment thursday"
EMERGENCY = "pills lined up for tonight"


@pytest.fixture(params=[AT_3AM, AT_2PM], ids=["3am", "2pm"])
async def line(request, backend, sessions, fake_bot, fake_twilio, start_helpline):
    return await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, request.param,
                           rate_limit_messages=LIMIT, rate_limit_window_seconds=60)


async def accepted(line) -> tuple[int, str]:
    """A contact Anne has accepted; (contact id, the person's alias). The clock is then two
    minutes on, so that the opening message is out of the rate limit's window."""
    await line.sms(ROUTINE)
    await line.tap(ANNE, dict(buttons(line.cards_to(ANNE)[0]))["Accept"])
    await line.at(minutes=2)
    [contact] = await rows(line.sessions, Contact)
    [person] = await rows(line.sessions, Person)
    return contact.id, person.alias


def relays(line, alias: str) -> list[str]:
    return [m["text"] for m in line.sent_to(ANNE) if m["text"].startswith(f"{alias} #")]


async def kinds(line, contact_id: int, kind: str) -> list[ContactEvent]:
    return await rows(line.sessions, ContactEvent, ContactEvent.contact_id == contact_id, ContactEvent.kind == kind)


async def test_thirty_messages_in_a_minute_are_all_stored_and_reach_the_mentor_as_ten_and_one_batch(line):
    contact_id, alias = await accepted(line)
    cards, person_texts = len(line.cards_to(ANNE)), len(line.texts_to(PERSON))

    for n in range(1, 31):
        await line.sms(f"flood message {n} about my appointment")  # each answered 200 (Line.sms asserts it)

    stored = [m.body for m in await rows(line.sessions, Message, Message.direction == "in")]
    assert stored == [ROUTINE] + [f"flood message {n} about my appointment" for n in range(1, 31)], "nothing lost"
    one_by_one = relays(line, alias)
    assert len(one_by_one) == LIMIT, "the first ten in the window are relayed as usual, the rest are held"
    assert [t.split(": ", 1)[1] for t in one_by_one] == [f"flood message {n} about my appointment"
                                                         for n in range(1, LIMIT + 1)]
    assert len(line.cards_to(ANNE)) == cards and line.cards_to(BEN) == [] and line.cards_to(CARA) == []
    assert len(line.texts_to(PERSON)) == person_texts, "no automatic reply per message either"
    assert len(await kinds(line, contact_id, "relay_batched")) == 20

    await line.at(minutes=2, seconds=59)
    assert len(relays(line, alias)) == LIMIT, "the window has not ended yet"
    await line.at(minutes=3)  # the poll after the window: one message with the twenty
    [batch] = relays(line, alias)[LIMIT:]
    assert batch.startswith(f"{alias} #{contact_id}: 20 more messages (sent in a flood, batched):")
    assert all(f"flood message {n} about my appointment" in batch for n in range(LIMIT + 1, 31))
    assert batch.index("message 11 ") < batch.index("message 30 "), "in the order they were written"
    [sent] = await kinds(line, contact_id, "relay_batch_sent")
    assert sent.data["count"] == 20 and sent.data["delivered"] is True
    await line.at(minutes=10)
    assert len(relays(line, alias)) == LIMIT + 1, "a batch goes once"
    assert len(line.cards_to(ANNE)) == cards and line.cards_to(BEN) == []


async def test_an_emergency_inside_a_flood_escalates_at_once_after_the_messages_held_before_it(line):
    contact_id, alias = await accepted(line)
    for n in range(1, 16):
        await line.sms(f"flood message {n} about my appointment")
    assert len(relays(line, alias)) == LIMIT

    await line.sms(EMERGENCY)  # the sixteenth in the window, and a rise to emergency: never held

    assert "EMERGENCY" in line.cards_to(ANNE)[-1]["text"] and "EMERGENCY" in line.cards_to(BEN)[-1]["text"]
    assert "call 999 now" in line.texts_to(PERSON)[-1], "the person's emergency guidance is not limited"
    after = relays(line, alias)[LIMIT:]
    assert len(after) == 2, "the five held messages in one batch, then the emergency itself"
    assert after[0].startswith(f"{alias} #{contact_id}: 5 more messages") and "flood message 15 " in after[0]
    assert after[1] == f"{alias} #{contact_id}: {EMERGENCY}"
    assert await rows(line.sessions, ContactEvent, ContactEvent.kind == "urgency_raised",
                      ContactEvent.contact_id == contact_id)

    await line.sms("flood message 17 about my appointment")  # still over the limit: held again
    assert len(relays(line, alias)) == LIMIT + 2
    await line.at(minutes=3)
    assert relays(line, alias)[-1].startswith(f"{alias} #{contact_id}: 1 more message (")


async def test_a_flood_in_a_rota_gap_at_night_is_one_alert_and_one_answer_and_nothing_lost(backend, sessions, fake_bot,
                                                                                          fake_twilio, start_helpline):
    gap = await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_3AM, shifts=False,
                          rate_limit_messages=LIMIT)
    for n in range(1, 26):
        await gap.sms(f"flood message {n} about my appointment")

    assert len(await rows(sessions, Message, Message.direction == "in")) == 25
    welcome, notice = gap.texts_to(PERSON)  # one answer, and the privacy notice after it, once
    assert "no mentor is on duty" in welcome.lower() or "999" in welcome
    assert notice == privacy_notice()
    assert len(gap.cards_to(CARA)) == 1, "the coordinator had the one alert"
    await gap.at(minutes=2)
    assert len(gap.cards_to(CARA)) == 1 and [m for m in gap.sent_to(CARA) if "more messages" in m["text"]] == [], \
        "nobody holds the contact: nothing to relay; the card counts the messages when it comes again"


# --- the count itself -------------------------------------------------------------------------

T = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)


async def check_sliding_window(limiter) -> None:
    assert [await limiter.hit("person:1", f"m{n}", T + timedelta(seconds=n), 60) for n in range(3)] == [1, 2, 3]
    assert await limiter.hit("person:1", "m2", T + timedelta(seconds=2), 60) == 3, "the same message counts once"
    assert await limiter.hit("person:2", "x", T, 60) == 1, "per person"
    assert await limiter.hit("person:1", "m3", T + timedelta(seconds=61), 60) == 2, "m0 and m1 have left the window"
    assert await limiter.hit("person:1", "m4", T + timedelta(seconds=200), 60) == 1


async def test_the_in_process_count_slides_with_the_window():
    await check_sliding_window(MemoryRateLimiter())


async def test_the_redis_count_slides_with_the_window_and_is_shared_by_workers(redis_server):
    one, two = RedisRateLimiter(redis_server.url), RedisRateLimiter(redis_server.url)
    try:
        await one._redis.flushdb()
        await check_sliding_window(one)
        assert await two.hit("person:9", "a", T, 60) == 1
        assert await one.hit("person:9", "b", T, 60) == 2, "a second worker counts the same flood"
        keys = [k.decode() for k in await one._redis.keys("*")]
        assert keys and all(k.startswith("helpline:rate:person:") for k in keys), "keys name a person id only"
    finally:
        await one.close()
        await two.close()


async def test_when_the_count_cannot_be_had_every_message_is_relayed():
    unreachable = RedisRateLimiter("redis://127.0.0.1:1/0")  # nothing listens on port 1
    guard = FloodGuard(unreachable, limit=1, window=timedelta(seconds=60))
    try:
        assert [await guard.over(1, f"m{n}", T) for n in range(3)] == [False, False, False]
    finally:
        await unreachable.close()
