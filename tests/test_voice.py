"""Calls in and calls out, driven as Twilio would on a fixed clock: a person's call from ring to
a logged session or a triaged voicemail, and an emergency from a text to a mentor woken by a
call who accepts with a key."""

from __future__ import annotations

from contextlib import asynccontextmanager

import pytest
from sqlalchemy import select

from storage.models import Call, Contact, Message
from tests.conftest import privacy_notice
from tests.db_queries import event_kinds, rows
from tests.night_kit import ANNE, AT_2PM, AT_3AM, BEN, CARA, PERSON, buttons, open_line
from tests.voice_kit import ANNE_PHONE, BEN_PHONE, CARA_PHONE, Caller, answer_wake_call, give_phones, placed_calls


# The call flows and their TwiML run on the embedded default; what depends on the database's
# locking (two processes, repeated requests, the chain's steps and keys) runs on both.
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
async def day(backend, sessions, fake_bot, fake_twilio, start_helpline):
    line = await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_2PM)
    await give_phones(line)
    return line


@pytest.fixture
async def night(backend, sessions, fake_bot, fake_twilio, start_helpline):
    line = await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_3AM)
    await give_phones(line)
    return line


@SQLITE_ONLY
async def test_a_new_caller_chooses_a_language_and_is_put_through_to_the_primary_who_takes_it_with_1(day):
    caller = Caller(day, PERSON)

    choice = await caller.ring()
    gather = choice.one("Gather")
    assert gather.get("numDigits") == "1"
    assert [s.get("language") for s in gather.iter("Say")] == ["en-GB", "nl-NL", "it-IT"]
    assert "press 1" in choice.says() and "druk op 2" in choice.says() and "premi 3" in choice.says()

    greeting = await caller.press(choice, "1")
    assert "hang up and call 999" in greeting.says()
    dial = await caller.redirect(greeting)
    assert dial.one("Dial").get("callerId") == "+447700900001"
    assert dial.one("Dial/Number").text == ANNE_PHONE
    assert dial.one("Dial/Number").get("url").startswith("https://helpline.test/twilio/voice/whisper?")

    whisper = await caller.post(dial.one("Dial/Number").get("url"), CallSid="CAchild1", To=ANNE_PHONE)
    heard = whisper.says()
    assert heard.startswith("Helpline call from P ") and "0 earlier contacts" in heard and "Press 1 to take it" in heard
    assert PERSON not in str(whisper) and "7700900123" not in heard
    assert whisper.verbs() == ["Gather", "Say", "Hangup"]  # no key: this leg ends, never the caller's call
    connected = await caller.post(whisper.one("Gather").get("action"), Digits="1", CallSid="CAchild1")
    assert "Hangup" not in connected.verbs()
    after = await caller.post(dial.one("Dial").get("action"), DialCallStatus="completed", DialCallDuration="400")
    assert after.verbs() == ["Hangup"]
    await caller.hang_up(seconds=430)

    contact = (await rows(day.sessions, Contact))[0]
    assert contact.assigned_mentor_id == day.team.anne and contact.channel == "voice"
    assert [k for k in await event_kinds(day.sessions, contact.id) if k.startswith("call_")] == [
        "call_started", "call_language", "call_leg_ringing", "call_taken", "call_ended"]
    told = day.sent_to(ANNE)[-1]
    assert "You took the call from P-" in told["text"] and PERSON not in told["text"]
    assert ("Close", f"x:{contact.id}:close") in buttons(told)
    assert day.texts_to(PERSON) == []  # a call that was answered needs no automatic text
    assert day.sent_to(BEN) == []

    await day.tap(ANNE, f"x:{contact.id}:close")
    await day.tap(ANNE, f"x:{contact.id}:o:sup")
    await day.tap(ANNE, f"x:{contact.id}:pd")
    minutes = day.edits_to(ANNE)[-1]
    assert "Suggested from the messages: 7 min" in (minutes["text"]), minutes["text"]
    await day.tap(ANNE, f"x:{contact.id}:m:7")
    closed = (await rows(day.sessions, Contact))[0]
    assert (closed.status, closed.minutes, closed.outcome) == ("closed", 7, "support given")


@SQLITE_ONLY
async def test_a_known_person_hears_their_language_and_no_key_rings_the_backup_after_a_holding_message(day):
    await day.sms("hoi, ik wil even praten", sender="+31612345678")  # a Dutch texter, now calling
    caller = Caller(day, "+31612345678")

    greeting = await caller.ring()
    assert "Gather" not in greeting.verbs()
    assert "bel 112" in greeting.says() and {s.get("language") for s in greeting.root.iter("Say")} == {"nl-NL"}
    first = await caller.redirect(greeting)
    assert first.one("Dial/Number").text == ANNE_PHONE and "Say" not in first.verbs()

    second = await caller.leg(first, key=None)  # Anne's phone picks up (her voicemail): no key
    assert second.verbs() == ["Say", "Dial"]
    assert "Blijf aan de lijn" in second.says()  # the caller hears a holding message, not silence
    assert second.one("Dial/Number").text == BEN_PHONE

    done = await caller.leg(second, key="1", talk_seconds=200)
    assert done.verbs() == ["Hangup"]
    contacts = await rows(day.sessions, Contact)
    assert len(contacts) == 1 and contacts[0].assigned_mentor_id == day.team.ben  # one thread per person
    call = (await rows(day.sessions, Call))[0]
    assert call.legs == [day.team.anne, day.team.ben] and call.taken_by == day.team.ben
    assert call.talk_seconds == 200
    data = [e for e in await event_data(day.sessions, contacts[0].id) if e[0] == "call_leg_not_taken"]
    assert data and data[0][1]["mentor_id"] == day.team.anne


async def event_data(sessions, contact_id):
    from storage.models import ContactEvent

    async with sessions() as session:
        found = await session.execute(select(ContactEvent.kind, ContactEvent.data)
                                      .where(ContactEvent.contact_id == contact_id).order_by(ContactEvent.id))
        return [tuple(row) for row in found]


async def _through_to_voicemail(line, caller):
    choice = await caller.ring()
    dial = await caller.redirect(await caller.press(choice, "1"))
    numbers = []
    while "Dial" in dial.verbs():
        numbers.append(dial.one("Dial/Number").text)
        dial = await caller.leg(dial, key=None, answered=False)
    return numbers, dial


async def test_at_3am_nobody_takes_it_so_a_voicemail_is_transcribed_triaged_asked_about_and_alerted(night):
    caller = Caller(night, PERSON)

    numbers, voicemail = await _through_to_voicemail(night, caller)

    assert numbers == [ANNE_PHONE, BEN_PHONE, CARA_PHONE]  # primary, backup, the coordinator
    record = voicemail.one("Record")
    assert record.get("transcribe") == "true" and int(record.get("maxLength")) <= 300
    assert record.get("transcribeCallback") == "https://helpline.test/twilio/voice/transcription"
    assert record.get("recordingStatusCallback") == "https://helpline.test/twilio/voice/recording"
    assert "leave a message" in voicemail.says() and "999" in voicemail.says()
    assert night.cards_to(ANNE) == []  # nothing to show yet: the call is still going on

    recording = {"RecordingSid": "RE" + "1" * 32, "RecordingUrl": night.twilio.recording_url("RE" + "1" * 32),
                 "RecordingDuration": "25", "RecordingStatus": "completed"}
    thanks = await caller.post(record.get("action"), **recording)
    assert thanks.verbs() == ["Say", "Hangup"]
    await caller.post(record.get("recordingStatusCallback"), **recording)
    await caller.hang_up()
    await night.at(minutes=2)
    await caller.post(record.get("transcribeCallback"), RecordingSid=recording["RecordingSid"],
                      TranscriptionStatus="completed",
                      TranscriptionText="please call me back i had a row with my partner and i cant stop shaking")

    message = (await rows(night.sessions, Message, Message.direction == "in"))[0]
    assert message.channel == "voice" and message.triage["via"] == "voicemail"
    assert message.body.startswith("please call me back")
    assert message.level in ("medium", "high", "emergency")  # a call nobody took is never left quiet
    texts = night.texts_to(PERSON)
    # a new person: the privacy notice follows the safety question, unless the voicemail was an emergency
    assert texts[1:] == ([] if message.level == "emergency" else [privacy_notice()])
    assert "Are you safe right now?" in texts[0] and "999" in texts[0]
    card = night.cards_to(ANNE)[-1]
    assert "Voicemail" in card["text"] and "please call me back" in card["text"]
    assert PERSON not in card["text"] and not card.get("disable_notification")
    assert (await rows(night.sessions, Call))[0].message_id == message.id


@SQLITE_ONLY
async def test_a_voicemail_whose_transcription_never_comes_is_routed_as_high_after_a_few_minutes(night):
    caller = Caller(night, PERSON)
    _, voicemail = await _through_to_voicemail(night, caller)
    record = voicemail.one("Record")
    recording = {"RecordingSid": "RE" + "2" * 32, "RecordingUrl": night.twilio.recording_url("RE" + "2" * 32),
                 "RecordingDuration": "40"}
    await caller.post(record.get("recordingStatusCallback"), **recording)
    await caller.hang_up()

    await night.at(minutes=4)
    assert night.cards_to(ANNE) == [] and night.texts_to(PERSON) == []
    await night.at(minutes=6)

    message = (await rows(night.sessions, Message, Message.direction == "in"))[0]
    assert message.level == "high" and "voicemail_not_taken" in message.triage["rules"]
    card = night.cards_to(ANNE)[-1]
    assert "HIGH" in card["text"] and "Voicemail" in card["text"] and not card.get("disable_notification")
    assert "Are you safe right now?" in night.texts_to(PERSON)[0]

    # the words come late: they join the same contact, and go to the mentor alerted
    await caller.post(record.get("transcribeCallback"), RecordingSid=recording["RecordingSid"],
                      TranscriptionStatus="completed", TranscriptionText="its me again sorry")
    assert len(await rows(night.sessions, Message, Message.direction == "in")) == 2
    assert len(await rows(night.sessions, Contact)) == 1


@SQLITE_ONLY
async def test_a_caller_who_hangs_up_while_it_rings_is_a_missed_call_routed_as_high(day):
    caller = Caller(day, PERSON)
    await caller.redirect(await caller.press(await caller.ring(), "1"))

    await caller.hang_up(seconds=12)

    message = (await rows(day.sessions, Message, Message.direction == "in"))[0]
    assert message.level == "high" and message.triage["via"] == "missed_call"
    card = day.cards_to(ANNE)[-1]
    assert "HIGH" in card["text"] and "missed call" in card["text"]
    assert "Are you safe right now?" in day.texts_to(PERSON)[0]


@SQLITE_ONLY
async def test_the_fallback_url_rings_the_on_call_primary_without_the_database(day):
    await day.helpline.services.calls.refresh_fallback()  # the minute's rota job, while the database works
    await day.helpline.services.engine.dispose()
    day.helpline.services.sessions = None  # anything touching the database would fail now

    caller = Caller(day, PERSON)
    response = await day.helpline.twilio("/twilio/voice/fallback", {"CallSid": caller.sid, "From": PERSON,
                                                                      "To": "+447700900001"})

    from tests.voice_kit import parse

    twiml = parse(await response.text())
    assert response.status == 200
    assert twiml.one("Dial").text.strip() == ANNE_PHONE and twiml.one("Dial").get("callerId") == "+447700900001"
    assert "call 999" in twiml.says()


VOICE_PATHS = ["", "/language", "/dial", "/dialled?leg=0", "/whisper?call=CA1&leg=0", "/whisper/key?call=CA1&leg=0",
               "/recorded", "/recording", "/transcription", "/status", "/fallback",
               "/alert?contact=1&mentor=1&alert=1&step=0", "/alert/status?contact=1&mentor=1&alert=1&step=0"]


@SQLITE_ONLY
async def test_every_voice_endpoint_refuses_an_unsigned_or_forged_request(day):
    form = {"CallSid": "CA" + "9" * 32, "From": PERSON, "Digits": "1", "RecordingSid": "RE1",
            "TranscriptionText": "hello", "TranscriptionStatus": "completed"}
    for path in VOICE_PATHS:
        unsigned = await day.helpline.twilio(f"/twilio/voice{path}", form, sign=False)
        forged = await day.helpline.client.post(f"/twilio/voice{path}", data=form,
                                                headers={"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"})
        assert (path, unsigned.status, forged.status) == (path, 403, 403)
    assert await rows(day.sessions, Call) == [] and await rows(day.sessions, Message) == []
    assert day.twilio.calls == [] and day.cards_to(ANNE) == []


@SQLITE_ONLY
async def test_a_signed_request_without_what_it_needs_is_400_and_stores_nothing(day):
    for path, form in [("", {"From": PERSON}), ("", {"CallSid": "CA1"}), ("/dialled?leg=x", {"CallSid": "CA1"}),
                       ("/transcription", {"CallSid": "CA1"}), ("/alert?contact=1", {"CallSid": "CA1"})]:
        response = await day.helpline.twilio(f"/twilio/voice{path}", form)
        assert (path, response.status) == (path, 400), await response.text()
    assert await rows(day.sessions, Call) == []


@pytest.fixture(params=[AT_3AM, AT_2PM], ids=["03:00", "14:00"])
async def any_hour(request, backend, sessions, fake_bot, fake_twilio, start_helpline):
    line = await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, request.param)
    await give_phones(line)
    return line


async def test_an_emergency_text_calls_primary_and_backup_and_a_1_on_the_phone_accepts_it(any_hour):
    day = any_hour
    await day.sms("i have the pills here and i am going to take them all tonight")

    cards = day.cards_to(ANNE), day.cards_to(BEN)
    assert all(c and "EMERGENCY" in c[-1]["text"] for c in cards)
    anne, ben = placed_calls(day, ANNE_PHONE), placed_calls(day, BEN_PHONE)
    assert len(anne) == 1 and len(ben) == 1
    assert anne[0]["from"] == "+447700900001"
    from tests.voice_kit import parse

    asked = parse(anne[0]["twiml"])
    assert "Emergency helpline contact waiting" in asked.says() and "Press 1 to accept, 2 to pass" in asked.says()
    assert asked.one("Gather").get("numDigits") == "1" and PERSON not in anne[0]["twiml"]

    said = await answer_wake_call(day, anne[0], "1")

    assert "You have P-" in said.says()
    contact = (await rows(day.sessions, Contact))[0]
    assert contact.assigned_mentor_id == day.team.anne
    assert any("Taken by Anne" in e["text"] for e in day.edits_to(BEN))  # every card says so
    await answer_wake_call(day, ben[0], None, status="no-answer")  # Ben's phone rings out: nothing moves
    assert "alert_unreachable" not in await event_kinds(day.sessions, contact.id)
    await day.at(minutes=10)
    assert len(placed_calls(day, ANNE_PHONE)) == 1 and len(placed_calls(day, BEN_PHONE)) == 1


async def test_a_2_on_the_phone_passes_and_a_redelivered_2_passes_once(day):
    await day.sms("i have the pills here and i am going to take them all tonight")
    call = placed_calls(day, ANNE_PHONE)[0]
    from tests.voice_kit import parse

    action = parse(call["twiml"]).one("Gather").get("action")
    form = {"CallSid": call["sid"], "From": "+447700900001", "To": ANNE_PHONE, "Digits": "2"}
    first = await day.helpline.twilio(action, form)
    again = await day.helpline.twilio(action, form)
    await day.settle()

    assert "Passed" in await first.text() and "Done already" in await again.text()
    contact = (await rows(day.sessions, Contact))[0]
    assert (await event_kinds(day.sessions, contact.id)).count("alert_passed") == 1


async def test_at_night_a_deadline_that_passes_calls_the_next_mentor_and_an_unanswered_call_moves_on(night):
    await night.telegram(ANNE, "/calls never")
    assert "may ring your phone to wake you: never" in night.sent_to(ANNE)[-1]["text"]
    await night.sms("my benefits have been stopped and i have no money for food this week")
    assert night.cards_to(ANNE) and placed_calls(night, ANNE_PHONE) == []  # medium: the card, with sound

    await night.at(minutes=14)
    contact = (await rows(night.sessions, Contact))[0]
    assert placed_calls(night, BEN_PHONE) == [], await event_data(night.sessions, contact.id)
    await night.at(minutes=15, seconds=1)

    ben = placed_calls(night, BEN_PHONE)
    assert len(ben) == 1 and night.cards_to(BEN)  # the backup: card and call at once
    assert placed_calls(night, CARA_PHONE) == []
    await answer_wake_call(night, ben[0], None, status="no-answer")

    # the call went unanswered: the coordinator now, not at the next deadline
    assert len(placed_calls(night, CARA_PHONE)) == 1 and night.cards_to(CARA)
    contact = (await rows(night.sessions, Contact))[0]
    kinds = await event_kinds(night.sessions, contact.id)
    assert "wake_call_unanswered" in kinds and "alert_unreachable" in kinds
    assert placed_calls(night, ANNE_PHONE) == []  # Anne said never (before the last step)


@SQLITE_ONLY
async def test_at_night_a_call_that_cannot_be_placed_moves_the_chain_on_too(night):
    await night.sms("my benefits have been stopped and i have no money for food this week")
    night.twilio.fail_next(400, 21217, "Phone number does not appear to be valid")  # Ben's phone
    await night.at(minutes=15, seconds=1)
    assert placed_calls(night, BEN_PHONE) == [] and night.cards_to(BEN)

    await night.helpline.services.delivery_watch.calls_failed()  # its next look, as the scheduler runs it
    await night.settle()
    assert len(placed_calls(night, CARA_PHONE)) == 1 and night.cards_to(CARA)
    contact = (await rows(night.sessions, Contact))[0]
    assert "delivery_failed" in await event_kinds(night.sessions, contact.id)


@SQLITE_ONLY
async def test_the_loudest_step_calls_everyone_on_call_even_who_said_never(night):
    await give_phones(night, anne="never", ben="never")
    await night.sms("my benefits have been stopped and i have no money for food this week")
    for minutes in (15.1, 30.2, 45.3):
        await night.at(minutes=minutes)
    assert placed_calls(night, ANNE_PHONE) and placed_calls(night, BEN_PHONE) and placed_calls(night, CARA_PHONE)


async def test_a_wake_call_is_placed_once_per_mentor_per_step_across_two_processes(backend, sessions, fake_bot,
                                                                                     fake_twilio, start_helpline):
    from tests.conftest import helpline_settings

    line = await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_2PM)
    await give_phones(line)
    other = await start_helpline(helpline_settings(backend, fake_bot, fake_twilio, deadline_poll_seconds=3600,
                                                   outbox_poll_seconds=0.05), clock=line.clock, poll_at_start=False)
    await line.sms("i have the pills here and i am going to take them all tonight")
    line.clock.now = AT_2PM.replace(minute=3)
    await other.services.router.fire_due()
    await line.helpline.services.router.fire_due()
    other.services.outbox_worker.wake()
    await line.settle()

    steps = {}
    for call in fake_twilio.calls:
        key = (call["to"], call["status_callback"].split("step=")[1].split("&")[0])
        steps[key] = steps.get(key, 0) + 1
    assert steps and all(count == 1 for count in steps.values()), steps


@SQLITE_ONLY
async def test_the_dashboard_plays_a_voicemail_through_the_server_to_who_may_see_it(night):
    from tests.dashboard_kit import add_user, log_in

    caller = Caller(night, PERSON)
    _, voicemail = await _through_to_voicemail(night, caller)
    sid = "RE" + "3" * 32
    night.twilio.recordings[sid] = b"ID3-fake-mp3-audio"
    await caller.post(voicemail.one("Record").get("recordingStatusCallback"), RecordingSid=sid,
                      RecordingUrl=night.twilio.recording_url(sid), RecordingDuration="12")
    contact = (await rows(night.sessions, Contact))[0]
    call = (await rows(night.sessions, Call))[0]
    await add_user(night.sessions, "cara", "coordinator")
    await add_user(night.sessions, "ben", "mentor", mentor="Ben Backup")
    recording = f"/dash/contacts/{contact.id}/calls/{call.id}/recording"

    async with https_browser(night.helpline.client) as client:
        await log_in(client, "cara")
        page = await (await client.get(f"/dash/contacts/{contact.id}")).text()
        played = await client.get(recording)
        assert f'src="{recording}"' in page and "voicemail, 12 s" in page
        assert night.twilio.recording_url(sid) not in page  # never a link to Twilio itself
        assert played.status == 200 and await played.read() == b"ID3-fake-mp3-audio"
        assert played.headers["Content-Type"] == "audio/mpeg"
    async with https_browser(night.helpline.client) as browser:
        await log_in(browser, "ben")
        assert (await browser.get(recording)).status == 403  # Ben did not handle this contact
    from storage.models import AuditEntry

    assert [a.action for a in await rows(night.sessions, AuditEntry) if a.action == "recording_played"] == [
        "recording_played"]


@asynccontextmanager
async def https_browser(client):
    """A browser on the running helpline that, as behind the real HTTPS proxy, sends the
    session's Secure cookie back (the public URL is https, the test server plain HTTP)."""
    from aiohttp import CookieJar
    from aiohttp.test_utils import TestClient

    origin = str(client.make_url("/")).rstrip("/")
    browser = TestClient(client.server, cookie_jar=CookieJar(unsafe=True, treat_as_secure_origin=[origin]))
    await browser.start_server()
    try:
        yield browser
    finally:
        await browser.session.close()


async def test_a_request_twilio_makes_again_does_nothing_twice(day):
    caller = Caller(day, PERSON)
    choice = await caller.ring()
    assert str(await caller.ring()) == str(choice)
    first = await caller.redirect(await caller.press(choice, "1"))
    again = await caller.post("/twilio/voice/dial")
    assert first.one("Dial/Number").text == again.one("Dial/Number").text == ANNE_PHONE
    second = await caller.leg(first, key=None, answered=False)
    repeated = await caller.post(first.one("Dial").get("action"), DialCallStatus="no-answer", DialCallDuration="0")
    assert second.one("Dial/Number").text == repeated.one("Dial/Number").text == BEN_PHONE
    await caller.hang_up()
    await caller.hang_up()

    call = (await rows(day.sessions, Call))[0]
    assert call.legs == [day.team.anne, day.team.ben]
    assert len(await rows(day.sessions, Call)) == 1 and len(await rows(day.sessions, Contact)) == 1
    assert len(await rows(day.sessions, Message, Message.direction == "in")) == 1  # one missed call
    [welcome] = day.texts_to(PERSON)  # one reply, once; a missed call is read as high: no privacy notice
    assert "Are you safe right now?" in welcome
    assert [m.level for m in await rows(day.sessions, Message, Message.direction == "in")] == ["high"]

    other = Caller(day, "+447700900124")
    _, voicemail = await _through_to_voicemail(day, other)
    words = {"RecordingSid": "RE" + "4" * 32, "TranscriptionStatus": "completed",
             "TranscriptionText": "can someone ring me back about my probation appointment"}
    await other.post(voicemail.one("Record").get("transcribeCallback"), **words)
    await other.post(voicemail.one("Record").get("transcribeCallback"), **words)
    assert len([m for m in await rows(day.sessions, Message, Message.direction == "in")
                if "probation appointment" in m.body]) == 1


@SQLITE_ONLY
async def test_a_voicemail_in_dutch_is_not_left_to_an_english_transcriber_but_routed_as_high_at_once(night):
    caller = Caller(night, "+31612345678")
    choice = await caller.ring()
    assert "druk op 2" in choice.says()
    dial = await caller.redirect(await caller.press(choice, "2"))
    while "Dial" in dial.verbs():
        dial = await caller.leg(dial, key=None, answered=False)
    record = dial.one("Record")
    assert record.get("transcribe") is None and "Spreek na de toon een bericht in" in dial.says()
    assert "bel 112" in dial.says()

    sid = "RE" + "5" * 32
    await caller.post(record.get("recordingStatusCallback"), RecordingSid=sid,
                      RecordingUrl=night.twilio.recording_url(sid), RecordingDuration="30")

    message = (await rows(night.sessions, Message, Message.direction == "in"))[0]
    assert message.level == "high" and "voicemail in Dutch" in message.body
    card = night.cards_to(ANNE)[-1]
    assert "HIGH" in card["text"] and "Voicemail" in card["text"]
    assert "WACHT" in night.texts_to("+31612345678")[0]  # the safety question, in Dutch, by SMS
    await night.at(minutes=10)
    assert len(await rows(night.sessions, Message, Message.direction == "in")) == 1  # not routed twice
