"""Triage inside the one pipeline: stored with the message, contact urgency, emergency guidance."""

from __future__ import annotations

import asyncio

from storage.models import Contact, Message, Person
from tests.conftest import eventually, helpline_settings, privacy_notice
from tests.db_queries import event_kinds, rows

DUTCH_NUMBER = "+31612345678"
UK_NUMBER = "+447700900321"


async def test_an_emergency_sms_gets_guidance_at_once_in_the_persons_language(backend, sessions, fake_twilio, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, None, fake_twilio))

    response = await helpline.sms(DUTCH_NUMBER, "ik sta op de brug en ik spring vannacht", "SM" + "a1" * 16)

    assert response.status == 200
    [message] = await rows(sessions, Message, Message.direction == "in")
    assert message.level == "emergency" and message.categories == ["suicide_self_harm"]
    assert message.triage["lang"] == "nl" and message.triage["matched"]
    [contact] = await rows(sessions, Contact)
    assert contact.urgency == "emergency"
    assert (await rows(sessions, Person))[0].language == "nl"
    kinds = await event_kinds(sessions, contact.id)
    assert "urgency_raised" in kinds and "emergency_guidance_queued" in kinds
    await eventually(lambda: len(fake_twilio.messages) == 1)
    guidance = fake_twilio.messages[0]["body"]
    assert "bel dan nu 112" in guidance and "113 Zelfmoordpreventie 0800-0113" in guidance
    assert "mentor" in guidance


async def test_an_emergency_on_telegram_in_italian_gets_112_and_the_italian_crisis_line(backend, sessions, fake_bot, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, fake_bot, None))

    await helpline.telegram(fake_bot.message_update(9001, "ho preso tutte le pastiglie di mia madre"))

    await eventually(lambda: len(fake_bot.sent()) == 1)
    text = fake_bot.sent()[0]["text"]
    assert "chiama subito il 112" in text and "Telefono Amico" in text


async def test_urgency_rises_with_a_later_message_and_never_falls(backend, sessions, fake_twilio, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, None, fake_twilio))

    await helpline.sms(UK_NUMBER, "what time is my appointment thursday", "SM" + "b1" * 16)
    await helpline.sms(UK_NUMBER, "honestly i want to kill myself", "SM" + "b2" * 16)
    await helpline.sms(UK_NUMBER, "ok thanks", "SM" + "b3" * 16)

    [contact] = await rows(sessions, Contact)
    assert contact.urgency == "high"
    levels = [m.level for m in await rows(sessions, Message, Message.direction == "in")]
    assert levels == ["low", "high", "low"]
    assert (await event_kinds(sessions, contact.id)).count("urgency_raised") == 2


async def test_earlier_messages_count_and_guidance_is_not_repeated_within_minutes(backend, sessions, fake_twilio, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, None, fake_twilio))

    await helpline.sms(UK_NUMBER, "i want to die", "SM" + "c1" * 16)
    await helpline.sms(UK_NUMBER, "doing it tonight when everyone is asleep", "SM" + "c2" * 16)
    await helpline.sms(UK_NUMBER, "got the pills out now", "SM" + "c3" * 16)

    levels = [m.level for m in await rows(sessions, Message, Message.direction == "in")]
    assert levels == ["high", "emergency", "emergency"]
    await eventually(lambda: len(fake_twilio.messages) == 2)
    await asyncio.sleep(0.5)  # and nothing more comes
    # the first message was read as high: no privacy notice in this contact (a text about data
    # in a crisis helps nobody), so nothing stands between the welcome and the guidance
    welcome, guidance = (m["body"] for m in fake_twilio.messages)
    assert "mentoring helpline" in welcome and "call 999 now" in guidance and "Samaritans 116 123" in guidance
    assert "Are you safe right now?" in welcome and privacy_notice() not in (welcome, guidance)
    [contact] = await rows(sessions, Contact)
    assert (await event_kinds(sessions, contact.id)).count("emergency_guidance_queued") == 1
