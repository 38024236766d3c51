"""Routing through the real channels: an SMS in, an alert card on the mentor's Telegram, a tap."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from storage.models import Contact, Message
from storage.types import utcnow
from tests.conftest import eventually, helpline_settings
from tests.db_queries import event_kinds, rows
from tests.routing_kit import make_team

ANNE_CHAT, BEN_CHAT = 1001, 1002


async def start(backend, fake_bot, fake_twilio, start_helpline, **settings):
    values = dict(deadline_high=2, deadline_poll_seconds=0.2, outbox_poll_seconds=0.1)
    values.update(settings)
    return await start_helpline(helpline_settings(backend, fake_bot, fake_twilio, **values))


async def test_the_on_call_mentor_accepts_on_telegram_and_the_backup_is_never_alerted(
        backend, sessions, fake_bot, fake_twilio, start_helpline):
    await make_team(sessions)
    helpline = await start(backend, fake_bot, fake_twilio, start_helpline, deadline_high=3)

    assert (await helpline.sms("+447700900123", "i want to kill myself", "SM" + "e1" * 16)).status == 200
    await eventually(lambda: len(fake_bot.cards_to(ANNE_CHAT)) == 1)
    card = fake_bot.cards_to(ANNE_CHAT)[0]
    accept = card["reply_markup"]["inline_keyboard"][0][0]
    assert accept["text"] == "Accept" and "+447700900123" not in card["text"]

    tap = fake_bot.button_update(ANNE_CHAT, accept["callback_data"])
    assert (await helpline.telegram(tap)).status == 200

    [answer] = fake_bot.sent("answerCallbackQuery")
    assert answer["text"].startswith("You have P-")
    [contact] = await rows(sessions, Contact)
    assert contact.assigned_mentor_id is not None
    await asyncio.sleep(4)  # past the deadline the backup would have had
    assert fake_bot.cards_to(BEN_CHAT) == []
    assert "alert_accepted" in await event_kinds(sessions, contact.id)


async def test_without_an_accept_the_backup_is_alerted_after_the_deadline(
        backend, sessions, fake_bot, fake_twilio, start_helpline):
    await make_team(sessions)
    helpline = await start(backend, fake_bot, fake_twilio, start_helpline)

    await helpline.sms("+447700900123", "i want to kill myself", "SM" + "e2" * 16)
    await eventually(lambda: len(fake_bot.cards_to(ANNE_CHAT)) == 1)
    assert fake_bot.cards_to(BEN_CHAT) == []
    await eventually(lambda: len(fake_bot.cards_to(BEN_CHAT)) == 1, seconds=10)


async def test_a_late_accept_is_told_the_contact_is_taken(backend, sessions, fake_bot, fake_twilio, start_helpline):
    await make_team(sessions)
    helpline = await start(backend, fake_bot, fake_twilio, start_helpline)
    await helpline.sms("+447700900123", "pills lined up for tonight", "SM" + "e3" * 16)
    await eventually(lambda: len(fake_bot.cards_to(BEN_CHAT)) == 1)
    data = fake_bot.cards_to(ANNE_CHAT)[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]

    await helpline.telegram(fake_bot.button_update(ANNE_CHAT, data))
    await helpline.telegram(fake_bot.button_update(BEN_CHAT, data))

    answers = [a["text"] for a in fake_bot.sent("answerCallbackQuery")]
    assert answers[0].startswith("You have") and "already taken by Anne" in answers[1]
    await eventually(lambda: any(p.get("text", "").endswith("Taken by Anne") for p in fake_bot.sent("editMessageText")))


async def test_a_mentor_links_telegram_with_the_invite_and_is_never_taken_for_a_person(
        backend, sessions, fake_bot, fake_twilio, start_helpline):
    from storage import mentors
    from storage.types import utcnow

    team = await make_team(sessions)
    async with sessions() as session, session.begin():
        code = await mentors.create_invite(session, team.dev, utcnow(), timedelta(days=1))
    helpline = await start(backend, fake_bot, fake_twilio, start_helpline)

    await helpline.telegram(fake_bot.message_update(5555, f"/start {code}"))
    await helpline.telegram(fake_bot.message_update(5555, "hello, testing"))
    reused = await helpline.telegram(fake_bot.message_update(6666, f"/start {code}"))

    texts = [p["text"] for p in fake_bot.sent() if int(p["chat_id"]) == 5555]
    assert texts[0].startswith("Welcome, Dev") and "registered as a helpline mentor" in texts[0]
    assert texts[1].startswith("Not sent") and "You have no open contacts" in texts[1]
    assert reused.status == 200
    assert [m.body for m in await rows(sessions, Message, Message.direction == "in")] == [f"/start {code}"], \
        "only the stranger who reused the code is a person; the mentor's messages are not stored as a contact's"


async def test_a_deadline_that_fell_due_while_the_service_was_down_fires_at_start(
        backend, sessions, fake_bot, fake_twilio, start_helpline):
    from tests.routing_kit import Clock, make_intake, make_router, sms

    await make_team(sessions)
    earlier = Clock(utcnow() - timedelta(minutes=30))
    await make_intake(sessions, earlier, make_router(sessions, earlier)).receive(sms("i want to kill myself", at=earlier.now))

    await start(backend, fake_bot, fake_twilio, start_helpline, deadline_poll_seconds=60)

    await eventually(lambda: len(fake_bot.cards_to(BEN_CHAT)) == 1, seconds=10)
