"""SMS STOP / START and a blocked bot, through the real pipeline (signed SMS and Telegram updates
in, the Twilio and Telegram fakes out) on a fixed clock: a stopped number gets nothing except the
confirmation and what answers it when it writes again; HELP escalates whatever; a cry that
contains "stop" is not an opt-out; and nothing held back alarms the coordinators."""

from __future__ import annotations

from datetime import timedelta

import pytest

from escalation.opt_out import Choice, default_words
from storage import opt_outs
from storage.models import Contact, DeliveryIncident, OptOut, OutboxItem
from storage.sealing import lookup_key
from tests.conftest import privacy_notice
from tests.db_queries import event_kinds, rows
from tests.night_kit import ANNE, AT_2PM, AT_3AM, BEN, CARA, CARA_PHONE, PERSON, Line, buttons, open_line

HOUSING = "I need to talk to someone about my housing"


@pytest.fixture
async def day(backend, sessions, fake_bot, fake_twilio, start_helpline) -> Line:
    return await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_2PM)


@pytest.fixture
async def night(backend, sessions, fake_bot, fake_twilio, start_helpline) -> Line:
    return await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_3AM)


async def accept(line: Line) -> None:
    await line.tap(ANNE, dict(buttons(line.cards_to(ANNE)[-1]))["Accept"])


async def stops(line: Line) -> list[OptOut]:
    return await rows(line.sessions, OptOut)


def test_only_a_message_that_is_one_word_opts_out():
    words = default_words()
    for text in ("STOP", " stop ", "Stop.", "STOP!!", "stoppen", "Afmelden", "annulla", "UNSUBSCRIBE"):
        assert words.read(text) is not None and words.read(text).choice is Choice.STOP, text
    for text in ("START", "inizio", "aanmelden", "unstop"):
        assert words.read(text).choice is Choice.START, text
    for text in ("please make it stop", "make it stop", "stop it", "STOPP", "basta", "end", "quit",
                 "yes", "help", "HELP", "info", "aiuto", "hulp", "stop stop", "😭 stop", ""):
        assert words.read(text) is None, text
    assert words.read("STOPPEN").language(None, "en") == "nl"
    assert words.read("STOP").language("it", "en") == "it", "several languages: the number's country's"
    assert words.read("STOP").language(None, "nl") == "nl", "else the triage's guess"


@pytest.mark.parametrize("number, first, word, restart, emergency", [
    (PERSON, HOUSING, "STOP", "To get texts again, send START", "999"),
    ("+31612345678", "Ik wil met iemand praten over mijn woning", "STOPPEN", "Stuur START", "112"),
    ("+393471234567", "Vorrei parlare con qualcuno della mia casa", "Stop.", "scrivi INIZIO", "112"),
], ids=["en", "nl", "it"])
async def test_stop_is_confirmed_once_in_the_persons_language_and_later_texts_are_held_back(
        day: Line, number, first, word, restart, emergency):
    await day.sms(first, sender=number)
    await accept(day)
    await day.telegram(ANNE, "Hi, I'm Anne. Tell me more?")
    welcome, notice, anne = day.texts_to(number)  # the welcome, the privacy notice after it, Anne's reply
    assert notice == privacy_notice({"+31": "nl", "+39": "it"}.get(number[:3], "en")) and notice != welcome
    assert anne.endswith("Tell me more?")

    await day.sms(word, sender=number)
    [confirmation] = day.texts_to(number)[3:]
    assert restart in confirmation and f" {emergency}." in confirmation
    assert [(s.channel, s.address, s.how) for s in await stops(day)] == [("sms", number, "word")]
    told = [m["text"] for m in day.sent_to(ANNE)]
    assert any(word in t for t in told), "Anne still sees the message"
    assert any("opted out of texts" in t for t in told), "and is told what it means"

    await day.sms(word, sender=number)
    assert len(day.texts_to(number)) == 4, "confirmed once, not again"

    await day.at(minutes=5)
    await day.telegram(ANNE, "Are you OK? I'm still here.")
    assert len(day.texts_to(number)) == 4, "Anne's reply is not sent to a stopped number"
    held = (await rows(day.sessions, OutboxItem, OutboxItem.address_key == lookup_key(number)))[-1]
    assert "Are you OK" in held.body and (held.status, held.last_error) == ("suppressed", "opted out")
    assert any("Not delivered" in m["text"] for m in day.sent_to(ANNE)), "Anne knows it did not arrive"
    [contact] = await rows(day.sessions, Contact)
    assert contact.status == "open", "a STOP does not close or cancel anything"
    assert {"opted_out", "delivery_suppressed"} <= set(await event_kinds(day.sessions, contact.id))
    assert len(day.cards_to(ANNE)) == 1 and day.cards_to(BEN) == [], "STOP is not a new alert"


async def test_start_lifts_the_stop_and_confirms(day: Line):
    await day.sms(HOUSING)
    await accept(day)
    await day.sms("STOP")
    await day.sms("start")
    assert "You will get texts from the helpline again" in day.texts_to(PERSON)[-1]
    assert await stops(day) == []

    await day.at(minutes=1)
    await day.telegram(ANNE, "Hello again.")
    assert day.texts_to(PERSON)[-1].endswith("Hello again."), "the stop is lifted, not paused"


async def test_start_from_a_number_that_is_not_stopped_is_an_ordinary_message(day: Line):
    await day.sms("start")
    welcome, notice = day.texts_to(PERSON)
    assert "texts from the helpline again" not in welcome and "Are you safe right now?" in welcome
    assert notice == privacy_notice(), "a new person, as after any first message"
    assert len(day.cards_to(ANNE)) == 1, "routed like any first message"


async def test_make_it_stop_is_not_an_opt_out_and_is_routed(night: Line):
    await night.sms("please make it stop")
    welcome, notice = night.texts_to(PERSON)
    assert "no more texts" not in welcome and "Are you safe right now?" in welcome
    assert notice == privacy_notice(), "after the safety question"
    assert len(night.cards_to(ANNE)) == 1
    assert await stops(night) == []


async def test_a_first_stop_is_stored_confirmed_and_not_an_alert(night: Line):
    await night.sms("STOP")
    [confirmation] = night.texts_to(PERSON)
    assert "no more texts" in confirmation and "999" in confirmation
    assert night.cards_to(ANNE) == [] and night.cards_to(BEN) == []
    [contact] = await rows(night.sessions, Contact)
    assert (contact.status, contact.close_reason) == ("closed", "opted_out")
    assert "message_received" in await event_kinds(night.sessions, contact.id), "on the timeline"


async def test_a_new_italian_number_is_confirmed_in_italian(night: Line):
    await night.sms("STOP", sender="+393471234567")
    [confirmation] = night.texts_to("+393471234567")
    assert "Non riceverai più SMS" in confirmation and "112" in confirmation


async def test_help_from_a_stopped_number_escalates_and_is_answered(night: Line):
    await night.sms("STOP")
    await night.at(minutes=2)
    await night.sms("HELP")
    guidance = night.texts_to(PERSON)[-1]
    assert "999" in guidance and "no more texts" not in guidance
    assert len(night.texts_to(PERSON)) == 2
    [_, contact] = await rows(night.sessions, Contact)
    assert contact.urgency == "emergency" and contact.status == "open"
    assert night.cards_to(ANNE) and "EMERGENCY" in night.cards_to(ANNE)[-1]["text"]
    assert len(await stops(night)) == 1, "still stopped: HELP is not START"


async def test_a_stopped_number_that_writes_again_gets_the_usual_answer_and_its_mentors_reply(day: Line):
    await day.sms("STOP")
    await day.at(minutes=10)
    await day.sms("are you there?")
    assert len(day.texts_to(PERSON)) == 2
    answer = day.texts_to(PERSON)[-1]
    assert "no more texts" not in answer and "999" in answer
    await accept(day)
    await day.telegram(ANNE, "Yes, I'm here.")
    assert day.texts_to(PERSON)[-1].endswith("Yes, I'm here."), "an answer to what they wrote goes through"

    await day.at(days=1, minutes=11)  # past the answer window: unprompted texts are held back again
    await day.telegram(ANNE, "Just checking in.")
    assert not day.texts_to(PERSON)[-1].endswith("Just checking in.")
    assert (await rows(day.sessions, OutboxItem))[-1].status in ("suppressed", "sent")
    assert len(await stops(day)) == 1


async def test_held_back_texts_do_not_alarm_the_coordinators(day: Line):
    await day.sms(HOUSING)
    await accept(day)
    await day.sms("STOP")
    await day.telegram(ANNE, "Are you OK?")
    await day.at(hours=2)
    watch = day.helpline.services.delivery_watch
    assert watch is not None
    assert await watch.check() == 0
    await day.settle()
    assert await rows(day.sessions, DeliveryIncident) == []
    assert day.sent_to(CARA) == [] and day.texts_to(CARA_PHONE) == []


async def test_a_person_who_blocked_the_bot_is_stopped_until_they_write_again(day: Line):
    chat = 5005
    await day.telegram(chat, HOUSING)
    await accept(day)
    day.bot.block(chat)
    await day.telegram(ANNE, "Hi, I'm Anne.")
    held = (await rows(day.sessions, OutboxItem, OutboxItem.address_key == lookup_key(str(chat))))[-1]
    assert held.status == "suppressed" and "blocked" in (held.last_error or "")
    assert [(s.channel, s.how) for s in await stops(day)] == [("telegram", "blocked")]
    tried = day.bot.attempts_to(chat)

    await day.telegram(ANNE, "Are you there?")
    assert day.bot.attempts_to(chat) == tried, "not even tried while blocked"
    assert any("Not delivered" in m["text"] for m in day.sent_to(ANNE))
    assert day.sent_to(CARA) == []

    day.bot._rules.clear()  # the person unblocks the bot and writes
    await day.telegram(chat, "sorry, I'm back")
    assert await stops(day) == []
    await day.telegram(ANNE, "Good to hear from you.")
    assert day.sent_to(chat)[-1]["text"].endswith("Good to hear from you.")


async def test_the_store_lets_only_answers_through(sessions):
    from datetime import datetime, timezone

    now = datetime(2026, 11, 24, 3, tzinfo=timezone.utc)
    async with sessions() as session, session.begin():
        assert await opt_outs.stop(session, "sms", PERSON, now, how="word")
        assert not await opt_outs.stop(session, "sms", PERSON, now, how="word")
        assert await opt_outs.held_back_now(session, "sms", PERSON, now)
        await opt_outs.wrote(session, "sms", PERSON, now + timedelta(hours=1))
        assert not await opt_outs.held_back_now(session, "sms", PERSON, now + timedelta(hours=2))
        assert await opt_outs.held_back_now(session, "sms", PERSON, now + timedelta(hours=26))
        assert await opt_outs.lift(session, "sms", PERSON)
        assert not await opt_outs.held_back_now(session, "sms", PERSON, now)
