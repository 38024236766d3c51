"""The privacy notice, through the real pipeline (signed SMS and Telegram updates in, the Twilio
and Telegram fakes out) on a fixed clock: a new person's first reply asks the safety question and
the short notice follows it, in their language; once a person, not every contact; never first in
an emergency; PRIVACY (or the button) returns the full text, is recorded, and alerts nobody."""

from __future__ import annotations

import pytest

from escalation.privacy import default_words, full_text
from storage.models import Contact, Message
from tests.db_queries import event_kinds, rows
from tests.night_kit import ANNE, AT_2PM, AT_3AM, BEN, PERSON, Line, buttons, open_line

ROUTINE = "what time is my appointment thursday"
EMERGENCY = "pills lined up for tonight"


@pytest.fixture
async def day(backend, sessions, fake_bot, fake_twilio, start_helpline) -> Line:
    return await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_2PM, privacy_notice=True)


@pytest.fixture
async def night(backend, sessions, fake_bot, fake_twilio, start_helpline) -> Line:
    return await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_3AM, privacy_notice=True)


async def contacts(line: Line) -> list[Contact]:
    return await rows(line.sessions, Contact)


async def all_events(line: Line) -> list[str]:
    return [kind for c in await contacts(line) for kind in await event_kinds(line.sessions, c.id)]


def test_only_a_message_that_is_a_privacy_word_asks_for_the_full_text():
    words = default_words()
    for text in ("PRIVACY", " privacy ", "Privacy?", "privacybeleid", "Informativa", "privacy policy"):
        assert words.read(text) is not None, text
    for text in ("I'm worried about my privacy", "privacy please help", "help", "stop", ""):
        assert words.read(text) is None, text
    assert words.read("privacybeleid").language(None, "en") == "nl"
    assert words.read("PRIVACY").language("it", "en") == "it"
    for language, says in (("en", "12 months"), ("nl", "12 maanden"), ("it", "12 mesi")):
        text = full_text(language, "112")
        assert says in text and "112" in text and "{" not in text


@pytest.mark.parametrize("at", [AT_3AM, AT_2PM], ids=["3am", "2pm"])
@pytest.mark.parametrize("number, first, question, notice, region_number", [
    (PERSON, ROUTINE, "Are you safe right now?", "About your privacy", "999"),
    ("+31612345678", "hoe laat is mijn afspraak donderdag", "Ben je nu veilig?", "Over je privacy", "112"),
    ("+393471234567", "a che ora è il mio appuntamento giovedì", "Sei al sicuro adesso?", "Sulla tua privacy",
     "112"),
], ids=["en", "nl", "it"])
async def test_a_new_persons_first_reply_asks_the_safety_question_and_the_notice_follows(
        backend, sessions, fake_bot, fake_twilio, start_helpline, at, number, first, question, notice, region_number):
    line = await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, at, privacy_notice=True)
    await line.sms(first, sender=number)
    welcome, short = line.texts_to(number)
    assert question in welcome and notice not in welcome, "the safety question first, on its own"
    assert short.startswith(notice) and "PRIVACY" in short and "12" in short
    [contact] = await contacts(line)
    kinds = await event_kinds(line.sessions, contact.id)
    assert kinds.count("privacy_notice_sent") == 1
    assert kinds.index("privacy_notice_sent") > kinds.index("reply_queued")

    await line.sms("PRIVACY", sender=number)
    full = line.texts_to(number)[-1]
    assert full == full_text(_language(number), region_number)
    assert "privacy_notice_read" in await event_kinds(line.sessions, contact.id)


def _language(number: str) -> str:
    return {"+31": "nl", "+39": "it"}.get(number[:3], "en")


async def test_a_known_persons_new_contact_gets_no_notice(day):
    await day.sms(ROUTINE)
    assert len(day.texts_to()) == 2
    await day.at(hours=13)  # the contact went idle: the next message opens a new one
    await day.sms("can someone call me about my housing")
    assert len(await contacts(day)) == 2
    [again] = day.texts_to()[2:]
    assert "Thanks for getting in touch again" in again and "privacy" not in again.lower()
    assert (await all_events(day)).count("privacy_notice_sent") == 1


@pytest.mark.parametrize("first", [EMERGENCY, "NOW"])
async def test_in_an_emergency_the_notice_waits_for_a_later_contact(night, first):
    await night.sms(first)
    [guidance] = night.texts_to()
    assert "call 999 now" in guidance
    await night.sms("are you there")
    assert all("About your privacy" not in t for t in night.texts_to()), "never while it is an emergency"
    assert "privacy_notice_sent" not in await all_events(night)

    await night.at(hours=13)  # that contact ended; the person writes again, calmly
    await night.sms(ROUTINE)
    *_, reply, short = night.texts_to()
    assert "Are you safe right now?" in reply and short.startswith("About your privacy")
    assert (await all_events(night)).count("privacy_notice_sent") == 1


async def test_a_contact_read_as_high_gets_no_notice_either(night):
    """"I want to die" is high, not an emergency: the safety question, and nothing about data."""
    await night.sms("i want to die")
    [welcome] = night.texts_to()
    assert "Are you safe right now?" in welcome
    await night.sms("are you there")
    assert all("About your privacy" not in t for t in night.texts_to()), "never in a crisis"
    assert "privacy_notice_sent" not in await all_events(night)

    await night.at(hours=13)
    await night.sms(ROUTINE)
    *_, reply, short = night.texts_to()
    assert "Are you safe right now?" in reply and short.startswith("About your privacy")


async def test_a_notice_still_queued_when_the_contact_becomes_an_emergency_is_withdrawn(night):
    """The person's messages leave in order: a notice stuck behind an outage would go out ahead
    of the emergency guidance. It is withdrawn instead, and comes in a calmer contact."""
    down = True
    night.twilio.fail_while(lambda: down)
    await night.sms(ROUTINE)
    await night.sms(EMERGENCY)
    assert night.texts_to() == [], "nothing got through yet"

    down = False
    await night.at(minutes=2)  # the outbox tries again
    welcome, guidance = night.texts_to()
    assert "Are you safe right now?" in welcome and "call 999 now" in guidance
    kinds = await all_events(night)
    assert kinds.count("privacy_notice_sent") == 1 and kinds.count("privacy_notice_withdrawn") == 1

    await night.at(hours=13)
    await night.sms(ROUTINE)
    *_, reply, short = night.texts_to()
    assert "Are you safe right now?" in reply and short.startswith("About your privacy"), "owed, so sent now"
    assert (await all_events(night)).count("privacy_notice_sent") == 2


async def test_privacy_returns_the_full_text_is_stored_and_alerts_nobody(day):
    await day.sms("PRIVACY")  # a first message that is only the word
    [full] = day.texts_to()
    assert full == full_text("en", "999") and "coordinator" in full and "STOP" in full
    assert day.cards_to(ANNE) == [] and day.cards_to(BEN) == [], "not an alert"
    [contact] = await contacts(day)
    assert (contact.status, contact.close_reason) == ("closed", "privacy"), "nothing left open and unseen"
    kinds = await event_kinds(day.sessions, contact.id)
    assert "privacy_notice_read" in kinds and "alert_sent" not in kinds
    stored = await rows(day.sessions, Message, Message.contact_id == contact.id, Message.direction == "in")
    assert [m.body for m in stored] == ["PRIVACY"] and stored[0].triage["level"] == "low"

    await day.sms(ROUTINE)  # read already: no short notice after the welcome
    assert len(day.texts_to()) == 2 and "Are you safe right now?" in day.texts_to()[-1]


async def test_privacy_in_an_open_contact_is_not_relayed_as_distress(day):
    await day.sms(ROUTINE)
    await day.tap(ANNE, dict(buttons(day.cards_to(ANNE)[-1]))["Accept"])
    told = len(day.sent_to(ANNE))
    await day.sms("privacy")
    assert day.texts_to()[-1] == full_text("en", "999")
    assert len(day.sent_to(ANNE)) == told, "the mentor is not alerted or relayed a PRIVACY"
    [contact] = await contacts(day)
    assert contact.status == "open" and contact.urgency == "low"


async def test_on_telegram_the_notice_has_a_button_that_returns_the_full_text(night):
    person = 4242
    await night.telegram(person, ROUTINE)
    welcome, short = night.sent_to(person)
    assert "Are you safe right now?" in welcome["text"]
    assert short["text"].startswith("About your privacy") and "Reply PRIVACY" not in short["text"]
    assert buttons(short) == [("Your privacy", "p:privacy")]

    await night.tap(person, "p:privacy")
    assert night.sent_to(person)[-1]["text"] == full_text("en", "999")
    [contact] = await contacts(night)
    kinds = await event_kinds(night.sessions, contact.id)
    assert "privacy_notice_read" in kinds and contact.status == "open"
    stored = await rows(night.sessions, Message, Message.contact_id == contact.id, Message.direction == "in")
    assert stored[-1].body == "[button] Privacy"
