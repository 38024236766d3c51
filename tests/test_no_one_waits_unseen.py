"""No one in crisis waits unseen: scenarios through the real pipeline (signed SMS and Telegram
updates in, the Telegram and Twilio fakes out) on a fixed clock, at 03:00 and at 14:00,
asserting what the person and each mentor receive, and when.

The team: Anne primary and Ben backup round the clock on Telegram, Cara coordinator (Telegram
and phone). Awake hours 08:00-22:00; a low contact at night is alerted quietly, asked "are you
safe right now?", and alerted with sound after 10 minutes unless the person says it can wait.
"""

from __future__ import annotations

import pytest

from storage.models import Contact
from tests.conftest import privacy_notice
from tests.db_queries import event_kinds, rows
from tests.night_kit import ANNE, AT_2PM, AT_3AM, BEN, CARA, PERSON, buttons, open_line, quiet

ROUTINE = "what time is my appointment thursday"
MISSED = "u there? need to talk to someone"  # may hide a crisis, and the triage reads it as low
EMERGENCY = "pills lined up for tonight"


@pytest.fixture
async def night(backend, sessions, fake_bot, fake_twilio, start_helpline):
    return await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_3AM)


@pytest.fixture
async def gap_at_night(backend, sessions, fake_bot, fake_twilio, start_helpline):
    """Nobody on the rota: only Cara, the coordinator."""
    return await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_3AM, shifts=False)


@pytest.fixture
async def day(backend, sessions, fake_bot, fake_twilio, start_helpline):
    return await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_2PM)


async def test_a_low_first_message_at_night_is_seen_quietly_then_loudly_then_by_the_chain(night):
    await night.sms(MISSED)

    welcome, notice = night.texts_to(PERSON)
    assert "The mentor on call has been told you wrote" in welcome
    assert notice == privacy_notice(), "a new person: the privacy notice, after the safety question"
    assert "Are you safe right now?" in welcome and "Reply NOW" in welcome and "WAIT if it can wait until 08:00" in welcome
    assert "call 999" in welcome
    [card] = night.cards_to(ANNE)
    assert quiet(card) and "LOW" in card["text"] and "need to talk" in card["text"]
    assert night.cards_to(BEN) == []

    await night.at(minutes=9, seconds=59)
    assert len(night.cards_to(ANNE)) == 1, "still quiet: the person has ten minutes to answer"
    await night.at(minutes=10)
    loud = night.cards_to(ANNE)[1]
    assert not quiet(loud) and "need to talk" in loud["text"]

    await night.at(minutes=39, seconds=59)
    assert night.cards_to(BEN) == []
    await night.at(minutes=40)  # the low deadline at night is 30 minutes, not 4 hours
    assert len(night.cards_to(BEN)) == 1 and not quiet(night.cards_to(BEN)[0])
    await night.at(minutes=70)
    assert len(night.cards_to(CARA)) == 1
    assert night.texts_to(PERSON) == [welcome, notice], "the person was not told anything untrue meanwhile"


async def test_it_can_wait_keeps_a_low_contact_quiet_until_the_morning(night):
    await night.sms(ROUTINE)
    await night.at(minutes=2)
    await night.sms("WAIT")

    answer = night.texts_to(PERSON)[-1]
    assert "A mentor will answer you here from 08:00" in answer and "reply NOW at any time" in answer
    await night.at(hours=4, minutes=59)  # 07:59
    assert len(night.cards_to(ANNE)) == 1 and night.cards_to(BEN) == [] and night.cards_to(CARA) == []
    await night.at(hours=5)  # 08:00
    morning = night.cards_to(ANNE)[-1]
    assert len(night.cards_to(ANNE)) == 2 and not quiet(morning)
    assert "the person said it can wait" in morning["text"]
    await night.at(hours=8, minutes=59)
    assert night.cards_to(BEN) == [], "by day the low deadline is four hours"
    await night.at(hours=9)
    assert len(night.cards_to(BEN)) == 1


async def test_on_telegram_the_person_answers_with_a_button(night):
    person = 4242
    await night.telegram(person, ROUTINE)
    welcome, notice = night.sent_to(person)
    assert [text for text, _ in buttons(welcome)] == ["I need someone now", "I'm safe, it can wait"]
    assert "Tap a button below" in welcome["text"]
    assert notice["text"] == privacy_notice(telegram=True) and buttons(notice) == [("Your privacy", "p:privacy")]

    await night.tap(person, buttons(welcome)[1][1])
    assert "from 08:00" in night.sent_to(person)[-1]["text"]
    await night.at(hours=1)
    assert len(night.cards_to(ANNE)) == 1, "it can wait: no card with sound at night"

    await night.tap(person, buttons(welcome)[0][1])  # later the person needs someone after all
    guidance = night.sent_to(person)[-1]["text"]
    assert "call 999 now" in guidance and "A mentor is being alerted now" in guidance
    assert "EMERGENCY" in night.cards_to(ANNE)[-1]["text"] and "EMERGENCY" in night.cards_to(BEN)[-1]["text"]
    assert "The person asked for help now" in night.cards_to(ANNE)[-1]["text"]


@pytest.mark.parametrize("first, word, guidance", [
    (ROUTINE, "NOW", "call 999 now"),
    (ROUTINE, "HELP", "call 999 now"),
    (ROUTINE, "999", "call 999 now"),
    ("hoe laat is mijn afspraak donderdag", "NU", "bel dan nu 112"),
    ("a che ora è il mio appuntamento giovedì", "ORA", "chiama subito il 112"),
    ("a che ora è il mio appuntamento giovedì", "aiutatemi", "chiama subito il 112"),
])
async def test_a_help_word_at_any_point_makes_it_an_emergency_at_once(night, first, word, guidance):
    sender = "+447700900123" if "appointment" in first else ("+31612345678" if "afspraak" in first else "+393471234567")
    await night.sms(first, sender)
    await night.at(minutes=3)
    await night.sms(word, sender)

    welcome, notice, reply = night.texts_to(sender)  # the notice came with the calm first message only
    assert {"en": "Are you safe right now?", "nl": "Ben je nu veilig?", "it": "Sei al sicuro adesso?"}[
        _language(sender)] in welcome
    assert notice == privacy_notice(_language(sender)) and guidance in reply
    assert not reply.startswith("Reply") and "STOP" not in reply, "never a carrier-style info text"
    for chat in (ANNE, BEN):
        card = night.cards_to(chat)[-1]
        assert "EMERGENCY" in card["text"] and "asked for help now" in card["text"] and not quiet(card)
    [contact] = await rows(night.sessions, Contact)
    assert contact.urgency == "emergency" and "safety_answered" in await event_kinds(night.sessions, contact.id)


async def test_help_as_the_first_message_by_day_is_an_emergency(day):
    await day.sms("HELP")

    [reply] = day.texts_to(PERSON)  # no privacy notice: nothing about data in an emergency
    assert "call 999 now" in reply and "Samaritans" in reply
    assert "EMERGENCY" in day.cards_to(ANNE)[0]["text"] and "EMERGENCY" in day.cards_to(BEN)[0]["text"]


async def test_help_from_an_accepted_contact_alerts_the_mentor_and_the_backup_again(night):
    await night.sms(MISSED)
    await night.at(minutes=1)
    card = night.cards_to(ANNE)[0]
    await night.tap(ANNE, dict(buttons(card))["Accept"])
    await night.at(minutes=3)
    await night.sms("please answer")  # a plea, though the contact is already Anne's

    assert "call 999 now" in night.texts_to(PERSON)[-1]
    assert "EMERGENCY" in night.cards_to(ANNE)[-1]["text"] and "EMERGENCY" in night.cards_to(BEN)[-1]["text"]


async def test_accepted_then_silence_reminds_the_mentor_then_climbs(night):
    await night.sms(EMERGENCY)
    accept = dict(buttons(night.cards_to(ANNE)[0]))["Accept"]
    await night.at(minutes=1)
    await night.tap(ANNE, accept)
    await night.at(minutes=5)
    await night.sms("please answer, im scared")
    cards_before = len(night.cards_to(ANNE))

    await night.at(minutes=6, seconds=59)
    assert len(night.cards_to(ANNE)) == cards_before, "the mentor has the emergency deadline (2 min) to answer"
    await night.at(minutes=7)
    reminder = night.cards_to(ANNE)[-1]
    assert "Waiting for Anne's answer" in reminder["text"] and "Reply" in dict(buttons(reminder))
    assert "pills lined up" in reminder["text"], "the reminder keeps the crisis, not only the latest words"
    await night.at(minutes=8)
    await night.sms("im getting really sleepy")
    ben_before = len(night.cards_to(BEN))
    await night.at(minutes=9)
    assert len(night.cards_to(BEN)) == ben_before + 1, "a second deadline later the chain goes on"
    climbed = night.cards_to(BEN)[-1]["text"]
    assert "Most urgent" in climbed and "pills lined up" in climbed and "really sleepy" in climbed
    assert "more of the team have been told" in night.texts_to(PERSON)[-1]

    await night.at(minutes=16)
    await night.sms("hello??")
    assert "call 999 now" in night.texts_to(PERSON)[-1], "guidance again after ten minutes with no mentor reply"

    await night.telegram(ANNE, "I'm here, sorry. Are you still at home?")
    assert night.texts_to(PERSON)[-1] == "Anne: I'm here, sorry. Are you still at home?"
    assert any("Answered by Anne" in e["text"] for e in night.edits_to(BEN))
    cards = {chat: len(night.cards_to(chat)) for chat in (ANNE, BEN, CARA)}
    await night.at(hours=1)
    assert {chat: len(night.cards_to(chat)) for chat in (ANNE, BEN, CARA)} == cards, "the answer ends the chase"


async def test_a_reply_in_time_means_no_reminder(day):
    await day.sms(EMERGENCY)
    await day.tap(ANNE, dict(buttons(day.cards_to(ANNE)[0]))["Accept"])
    await day.sms("can we talk about tonight")
    await day.at(minutes=1)
    await day.telegram(ANNE, "Yes, I'm here.")
    cards = len(day.cards_to(ANNE))
    await day.at(minutes=30)
    assert len(day.cards_to(ANNE)) == cards and day.cards_to(BEN)[1:] == []


async def test_the_card_after_a_night_shows_the_worst_message_and_the_latest(night):
    await night.sms("i keep thinking everyone would be happier if i just disappeared")
    for minute, text in ((6, "still waiting"), (12, "hello"), (14, "still waiting for someone")):
        await night.at(minutes=minute)
        await night.sms(text)
    await night.at(minutes=17)  # Ben at 03:06, Cara at 03:12, everyone at 03:17

    text = night.cards_to(CARA)[-1]["text"]
    assert "HIGH" in text and "Most urgent" in text and "would be happier if i just disappeared" in text
    assert "Latest" in text and "still waiting for someone" in text
    assert "more messages since the alert" in text


async def test_a_gap_at_night_at_low_tells_the_person_and_the_coordinators(gap_at_night):
    line = gap_at_night
    await line.sms(ROUTINE)

    welcome, notice = line.texts_to(PERSON)
    assert "No mentor is on duty right now" in welcome and "coordinators have been told" in welcome
    assert notice == privacy_notice(), "after the safety question"
    assert "mentor on call has been told" not in welcome and "Are you safe right now?" in welcome and "999" in welcome
    assert len(line.cards_to(CARA)) == 1


async def test_help_in_a_gap_reaches_the_coordinators_at_once(gap_at_night):
    await gap_at_night.sms(ROUTINE)
    await gap_at_night.at(minutes=1)
    await gap_at_night.sms("help")

    reply = gap_at_night.texts_to(PERSON)[-1]
    assert "call 999 now" in reply and "No mentor is on duty right now" in reply and "being alerted" not in reply
    card = gap_at_night.cards_to(CARA)[-1]
    assert "EMERGENCY" in card["text"] and "asked for help now" in card["text"] and not quiet(card)


async def test_a_gap_at_emergency_is_told_once_without_contradiction(gap_at_night):
    line = gap_at_night
    await line.sms(EMERGENCY)

    [reply] = line.texts_to(PERSON)  # no privacy notice: nothing about data in an emergency
    assert "call 999 now" in reply and "No mentor is on duty right now" in reply
    assert "A mentor is being alerted" not in reply
    [card] = line.cards_to(CARA)
    assert "EMERGENCY" in card["text"] and not quiet(card)


async def test_by_day_a_low_card_has_sound_and_later_cards_carry_the_safety_answer(day):
    await day.sms(ROUTINE)
    [card] = day.cards_to(ANNE)
    assert not quiet(card)
    assert "WAIT if it can wait." in day.texts_to(PERSON)[0] and "until" not in day.texts_to(PERSON)[0]

    await day.sms("it can wait, thanks")
    assert "as soon as they can" in day.texts_to(PERSON)[-1]
    await day.at(hours=4)
    assert "the person said it can wait" in day.cards_to(BEN)[0]["text"]


@pytest.mark.parametrize("sender, first, wait, asked, waiting", [
    ("+447700900123", ROUTINE, "wait", "Reply NOW if you need someone now, or WAIT if it can wait until 08:00",
     "A mentor will answer you here from 08:00"),
    ("+31612345678", "hoe laat is mijn afspraak donderdag", "wacht",
     "Antwoord NU als je nu iemand nodig hebt, of WACHT als het kan wachten tot 08:00",
     "Een mentor antwoordt je hier vanaf 08:00"),
    ("+393471234567", "a che ora è il mio appuntamento giovedì", "aspetta",
     "Rispondi ORA se hai bisogno di qualcuno adesso, o ASPETTA se può aspettare fino a 08:00",
     "Un mentore ti risponderà qui da 08:00"),
])
async def test_the_question_and_the_answer_are_in_the_persons_language(night, sender, first, wait, asked, waiting):
    await night.sms(first, sender)
    await night.sms(wait, sender)

    welcome, notice, answer = night.texts_to(sender)
    assert asked in welcome and waiting in answer
    assert notice == privacy_notice(_language(sender)), "the notice too, after the question"
    await night.at(minutes=30)
    assert len(night.cards_to(ANNE)) == 1


def _language(number: str) -> str:
    return {"+31": "nl", "+39": "it"}.get(number[:3], "en")
