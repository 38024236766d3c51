"""SMS in through Twilio's signed webhook, reply out through Twilio's REST API."""

from __future__ import annotations

from storage.models import Message, OutboxItem
from tests.conftest import eventually, helpline_settings, privacy_notice
from tests.db_queries import rows, summary

PERSON = "+447700900123"


async def test_signed_sms_is_stored_and_answered_with_the_welcome(backend, sessions, fake_twilio, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, None, fake_twilio))

    response = await helpline.sms(PERSON, "I need to talk to someone", "SM" + "a" * 32)

    assert response.status == 200
    assert "<Response></Response>" in await response.text()
    assert await summary(sessions) == {"people": 1, "contacts": 1, "messages_in": 1, "outbox": 2}
    stored = await rows(sessions, Message, Message.direction == "in")
    assert stored[0].body == "I need to talk to someone"
    await eventually(lambda: len(fake_twilio.messages) == 2)
    sent, notice = fake_twilio.messages
    assert sent["to"] == PERSON and sent["from"] == "+447700900001"
    assert "mentoring helpline" in sent["body"] and "999" in sent["body"]
    assert "Are you safe right now?" in sent["body"] and "privacy" not in sent["body"].lower()
    assert (notice["to"], notice["body"]) == (PERSON, privacy_notice()), "the notice after the safety question"
    await eventually(lambda: _outbox_status(sessions, "sent"))


async def _outbox_status(sessions, status: str) -> bool:
    items = await rows(sessions, OutboxItem)
    return bool(items) and all(item.status == status for item in items)


async def test_unsigned_or_wrongly_signed_sms_is_refused_and_stores_nothing(backend, sessions, fake_twilio, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, None, fake_twilio))

    unsigned = await helpline.sms(PERSON, "hello", "SM" + "b" * 32, sign=False)
    forged = await helpline.sms(PERSON, "hello", "SM" + "c" * 32, signature="bm90IGEgc2lnbmF0dXJl")

    assert (unsigned.status, forged.status) == (403, 403)
    assert await summary(sessions) == {"people": 0, "contacts": 0, "messages_in": 0, "outbox": 0}
    assert fake_twilio.requests == 0


async def test_signature_over_other_parameters_is_refused(backend, sessions, fake_twilio, start_helpline):
    """A signature copied from one real webhook does not carry a different body."""
    from twilio.request_validator import RequestValidator

    from tests.fake_twilio import AUTH_TOKEN

    helpline = await start_helpline(helpline_settings(backend, None, fake_twilio))
    genuine = {"MessageSid": "SM" + "d" * 32, "From": PERSON, "Body": "original"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature("https://helpline.test/twilio/sms", genuine)

    response = await helpline.client.post("/twilio/sms", headers={"X-Twilio-Signature": signature},
                                          data={**genuine, "Body": "tampered"})

    assert response.status == 403
    assert (await summary(sessions))["messages_in"] == 0


async def test_the_same_message_sid_twice_gives_one_row_and_one_reply(backend, sessions, fake_twilio, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, None, fake_twilio))
    sid = "SM" + "e" * 32

    first = await helpline.sms(PERSON, "are you there", sid)
    second = await helpline.sms(PERSON, "are you there", sid)

    assert (first.status, second.status) == (200, 200)
    assert await summary(sessions) == {"people": 1, "contacts": 1, "messages_in": 1, "outbox": 1}
    await eventually(lambda: len(fake_twilio.messages) == 1)
    await eventually(lambda: _outbox_status(sessions, "sent"))
    assert len(fake_twilio.messages) == 1


async def test_oversize_body_is_413_and_malformed_is_400(backend, sessions, fake_twilio, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, None, fake_twilio, max_webhook_bytes=4096))

    oversize = await helpline.sms(PERSON, "x" * 5000, "SM" + "f" * 32)
    no_sender = await helpline.sms("", "hello", "SM" + "1" * 32)
    not_a_form = await helpline.client.post("/twilio/sms", data=b"\xff\xfe\x00garbage",
                                            headers={"Content-Type": "application/x-www-form-urlencoded",
                                                     "X-Twilio-Signature": "x"})

    assert oversize.status == 413
    assert no_sender.status == 400
    assert not_a_form.status == 400
    assert (await summary(sessions))["messages_in"] == 0


async def test_a_second_message_joins_the_open_contact_without_another_auto_reply(backend, sessions, fake_twilio, start_helpline):
    helpline = await start_helpline(helpline_settings(backend, None, fake_twilio))

    await helpline.sms(PERSON, "first", "SM" + "2" * 32)
    await helpline.sms(PERSON, "second", "SM" + "3" * 32)

    # the welcome and, as a new person, the privacy notice after it: nothing for "second"
    assert await summary(sessions) == {"people": 1, "contacts": 1, "messages_in": 2, "outbox": 2}
    welcome, notice = [item.body for item in await rows(sessions, OutboxItem)]
    assert "Are you safe right now?" in welcome and notice == privacy_notice()


async def test_twilio_429_is_retried_and_delivered(backend, sessions, fake_twilio, start_helpline):
    fake_twilio.fail_next(429, 20429, "Too Many Requests")
    helpline = await start_helpline(helpline_settings(backend, None, fake_twilio))

    await helpline.sms(PERSON, "hello?", "SM" + "4" * 32)

    await eventually(lambda: len(fake_twilio.messages) == 2, seconds=15)
    assert fake_twilio.requests == 3
    await eventually(lambda: _outbox_status(sessions, "sent"))
    welcome, notice = await rows(sessions, OutboxItem)
    assert (welcome.attempts, notice.attempts) == (2, 1)
    # the retry did not let the privacy notice overtake the safety question
    assert [m["body"] for m in fake_twilio.messages] == [welcome.body, privacy_notice()]


async def test_a_permanent_twilio_error_marks_the_reply_failed_with_the_reason(backend, sessions, fake_twilio, start_helpline):
    from tests.db_queries import event_kinds

    fake_twilio.fail_next(400, 21211, "The 'To' number is not a valid phone number.")
    # about the failed reply alone: the privacy notice would be a second, unrelated delivery
    helpline = await start_helpline(helpline_settings(backend, None, fake_twilio, privacy_notice=False))

    await helpline.sms(PERSON, "hello?", "SM" + "5" * 32)

    await eventually(lambda: _outbox_status(sessions, "failed"))
    item = (await rows(sessions, OutboxItem))[0]
    assert "21211" in (item.last_error or "")
    assert "delivery_failed" in await event_kinds(sessions, item.contact_id)
    assert fake_twilio.messages == []
