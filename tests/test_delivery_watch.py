"""The mentor is reached and the coordinators know: through the real pipeline (signed SMS in, the
Telegram and Twilio fakes out) on a test clock.

A mentor who blocked the bot gets the alert by SMS at once; a mentor whose Telegram card is stuck
gets it by SMS after the fallback mark; messages stuck past the late mark show on the live queue
and alert the coordinators once per incident, on a channel that is not failing.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta

import pytest

from escalation.delivery_watch import DeliveryWatch, coordinator_channel
from storage import incidents, outbox
from storage.mentors import MentorView
from storage.models import Contact, Mentor, OutboxItem
from storage.sealing import lookup_key
from bot.outbox_worker import OutboxWorker
from tests.conftest import helpline_settings, privacy_notice
from tests.dashboard_kit import add_user, log_in
from tests.db_queries import event_kinds, rows
from tests.fake_twilio import HELPLINE_NUMBER
from tests.night_kit import ANNE, AT_2PM, BEN, CARA, PERSON, Line, open_line
from tests.routing_kit import Clock, sms
from tests.test_outbox_faults import real_senders

ANNE_PHONE = "+447700900911"
WORRIED = "i cant cope anymore and i dont know what to do"  # alerts Anne (and Ben at emergency)
ROUTINE = "what time is my appointment thursday"


@pytest.fixture
async def day(backend, sessions, fake_bot, fake_twilio, start_helpline) -> Line:
    line = await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_2PM)
    async with sessions() as session, session.begin():
        (await session.get(Mentor, line.team.anne)).phone = ANNE_PHONE
    return line


async def check(line: Line) -> int:
    """One look by the running helpline's watch, then let the outbox send what it queued."""
    watch = line.helpline.services.delivery_watch
    assert watch is not None
    queued = await watch.check()
    await line.settle()
    return queued


async def test_a_mentor_who_blocked_the_bot_gets_the_alert_by_sms_and_can_accept(day: Line):
    day.bot.block(ANNE)
    await day.sms(WORRIED)
    [card] = await rows(day.sessions, OutboxItem, OutboxItem.address_key == lookup_key(str(ANNE)))
    assert card.status == "failed" and "blocked" in (card.last_error or "")

    assert await check(day) == 1
    [text] = day.texts_to(ANNE_PHONE)
    number = re.search(r"ACCEPT (\d+)", text)
    assert number and PERSON not in text
    assert await check(day) == 0, "one fallback per card, not one per look"

    await day.sms(f"ACCEPT {number.group(1)}", sender=ANNE_PHONE)
    [contact] = await rows(day.sessions, Contact)
    assert contact.assigned_mentor_id == day.team.anne
    assert "alert_fallback" in await event_kinds(day.sessions, contact.id)


async def test_when_the_mentor_cannot_be_reached_at_all_the_chain_moves_on_at_once(
        backend, sessions, fake_bot, fake_twilio, start_helpline):
    line = await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_2PM)  # Anne: no phone
    fake_bot.block(ANNE)
    await line.sms(ROUTINE)  # low, by day: the backup's turn would come in four hours
    assert line.cards_to(BEN) == []

    await check(line)
    assert len(line.cards_to(BEN)) == 1
    [contact] = await rows(sessions, Contact)
    assert "alert_unreachable" in await event_kinds(sessions, contact.id)
    await check(line)
    assert len(line.cards_to(BEN)) == 1, "once: the chain climbed past Anne's step, not again"


async def test_a_card_stuck_on_telegram_for_minutes_also_goes_by_sms(day: Line):
    outage_ends = day.start + timedelta(minutes=4)
    day.bot.fail_while("sendMessage", lambda: day.clock.now < outage_ends, 502, "Bad Gateway")
    await day.sms(WORRIED)
    assert await check(day) == 0  # just queued: Telegram has time yet

    await day.at(minutes=1, seconds=50)
    assert await check(day) == 0 and day.texts_to(ANNE_PHONE) == []
    await day.at(minutes=2, seconds=5)  # past the fallback mark (HELPLINE_ALERT_FALLBACK_MINUTES, 2)
    assert await check(day) >= 1
    assert len(day.texts_to(ANNE_PHONE)) == 1

    await day.at(minutes=10)  # Telegram is back: the stuck card arrives too, nothing is dropped
    assert day.cards_to(ANNE)
    assert len(day.texts_to(ANNE_PHONE)) == 1


async def test_the_coordinators_are_told_once_per_incident_on_a_channel_that_works(day: Line):
    outage_ends = day.start + timedelta(minutes=20)
    day.twilio.fail_while(lambda: day.clock.now < outage_ends, 500, 20500, "Internal Server Error")
    await day.sms(ROUTINE)  # the reply to the person, by SMS, cannot go out, nor the privacy notice behind it
    assert day.texts_to(PERSON) == []

    await day.at(minutes=4)
    await check(day)
    assert notices_to(day, CARA) == []  # not late yet
    await day.at(minutes=6)
    await check(day)
    for minute in (7, 9, 12):
        await day.at(minutes=minute)
        await check(day)
    [notice] = notices_to(day, CARA)
    # the welcome failed; the privacy notice queued after it waits for it, never tried
    assert "2 messages not delivered for 6 min: sms: not tried yet, twilio 500 code 20500" in notice
    assert PERSON not in notice and ROUTINE not in notice
    [row] = await rows(day.sessions, OutboxItem, OutboxItem.dedupe_key.like("outbox_late:%"))
    assert row.channel == "telegram", "Cara has a phone too, but SMS is what is failing"

    await day.at(minutes=30)  # Twilio is back: the reply goes out and the incident ends
    await check(day)
    welcome, privacy = day.texts_to(PERSON)  # in the order queued: the notice did not overtake
    assert "Are you safe right now?" in welcome and privacy == privacy_notice()
    async with day.sessions() as session:
        assert await incidents.open_incident(session) is None

    second = day.start + timedelta(minutes=60)
    day.twilio.fail_while(lambda: day.clock.now >= second, 503, 20503, "Service Unavailable")
    await queue_sms_to(day, PERSON, "a mentor's relayed answer", at=second)
    await day.at(minutes=67)
    await check(day)
    notices = notices_to(day, CARA)
    assert len(notices) == 2 and "twilio 503 code 20503" in notices[1], "a new incident is told again"


async def test_the_live_queue_says_what_is_stuck_without_text_or_numbers(backend, sessions, fake_bot, fake_twilio,
                                                                        start_helpline):
    clock = Clock(AT_2PM)
    # the dashboard over plain http (a Secure cookie would not come back); the SMS worker beside it
    helpline = await start_helpline(helpline_settings(backend, None, None, public_url=None), clock=clock,
                                    run_outbox=False)
    await helpline.services.intake.receive(sms(ROUTINE, sender=PERSON, at=clock.now))
    fake_twilio.fail_while(lambda: True, 500, 20500, "Internal Server Error")
    async with real_senders(fake_bot, fake_twilio) as senders:
        await OutboxWorker(sessions, {"sms": senders["sms"]}, clock=clock).deliver_due()
    await add_user(sessions, "cara", "coordinator")
    assert (await log_in(helpline.client, "cara")).status == 303

    assert "not delivered" not in await (await helpline.client.get("/dash/queue/rows")).text()
    clock.advance(minutes=12)
    rows_html = await (await helpline.client.get("/dash/queue/rows")).text()
    page = await (await helpline.client.get("/dash")).text()
    # the welcome failed; the privacy notice queued after it waits for it, never tried
    assert "2 messages not delivered for 12 min: sms: not tried yet, twilio 500 code 20500" in rows_html
    assert "2 messages not delivered for 12 min" in page
    for secret in (PERSON, ROUTINE, HELPLINE_NUMBER, privacy_notice()):
        assert secret not in rows_html


async def test_two_processes_looking_at_once_tell_the_coordinators_once(day: Line):
    day.twilio.fail_while(lambda: True, 500, 20500, "Internal Server Error")
    await day.sms(ROUTINE)
    await day.at(minutes=6)
    notifier = day.helpline.services.router.notifier
    watches = [DeliveryWatch(day.sessions, notifier, day.clock, late_after=timedelta(minutes=5),
                             fallback_after=timedelta(minutes=2)) for _ in range(2)]

    told = await asyncio.gather(*(w.report_late() for w in watches))

    assert sorted(told) == [0, 1]
    assert len(await rows(day.sessions, OutboxItem, OutboxItem.dedupe_key.like("outbox_late:%"))) == 1


def test_a_coordinator_is_told_on_a_channel_that_is_not_failing():
    both = MentorView(1, "Cara Coordinator", "coordinator", ("en",), True, "telegram", "sms", True, True)
    telegram_only = MentorView(2, "Tom Coordinator", "coordinator", ("en",), True, "telegram", "sms", True, False)
    channels = frozenset({"telegram", "sms"})
    assert coordinator_channel(both, channels, {"telegram"}) == "sms"
    assert coordinator_channel(both, channels, {"sms"}) == "telegram"
    assert coordinator_channel(telegram_only, channels, {"telegram"}) == "telegram"  # better late than never


def notices_to(line: Line, chat: int) -> list[str]:
    return [p["text"] for p in line.sent_to(chat) if "not delivered" in p.get("text", "")]


async def queue_sms_to(line: Line, number: str, body: str, at: datetime) -> None:
    async with line.sessions() as session, session.begin():
        await outbox.enqueue(session, dedupe_key=f"test:{body}", channel="sms", address=number, body=body, now=at)
