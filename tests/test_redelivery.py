"""Every inbound path, mentor or person, stores once and acts once per provider id: Telegram
redelivers an update it got no 200 for, Twilio retries a webhook, and a person must not get a
mentor's words three times, nor a chain run three steps for one Pass."""

from __future__ import annotations

from twilio.request_validator import RequestValidator

from tests.conftest import PUBLIC_URL
from tests.fake_twilio import AUTH_TOKEN, HELPLINE_NUMBER
from storage.models import ContactEvent
from tests.db_queries import rows
from tests.night_kit import ANNE, AT_2PM, BEN, PERSON, buttons, open_line

DEV_PHONE = "+447700900904"  # Dev, an SMS-only mentor of the team


async def _signed_sms(line, sender: str, body: str, sid: str):
    params = {"MessageSid": sid, "AccountSid": line.twilio.account_sid, "From": sender, "To": HELPLINE_NUMBER,
              "Body": body, "NumMedia": "0"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{PUBLIC_URL}/twilio/sms", params)
    return await line.helpline.client.post("/twilio/sms", data=params, headers={"X-Twilio-Signature": signature})


async def test_a_mentors_telegram_message_delivered_three_times_reaches_the_person_once(
        backend, sessions, fake_bot, fake_twilio, start_helpline):
    line = await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_2PM)
    await line.sms("pills lined up for tonight")
    await line.tap(ANNE, dict(buttons(line.cards_to(ANNE)[0]))["Accept"])
    update = fake_bot.message_update(ANNE, "I'm here. Are you safe where you are?")

    for _ in range(3):
        assert (await line.helpline.telegram(update)).status == 200
    await line.settle()

    assert line.texts_to(PERSON).count("Anne: I'm here. Are you safe where you are?") == 1


async def _dev_on_call_too(line) -> None:
    async with line.sessions() as session, session.begin():
        from storage import rota

        await rota.add_shift(session, mentor_id=line.team.dev, weekday=1, starts="00:00", ends="00:00",
                             role="primary", now=AT_2PM)


async def test_a_mentors_sms_retried_by_twilio_is_relayed_once(backend, sessions, fake_bot, fake_twilio,
                                                               start_helpline):
    line = await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_2PM)
    await _dev_on_call_too(line)
    await line.sms("i keep thinking everyone would be happier if i just disappeared")
    for _ in range(3):
        assert (await _signed_sms(line, DEV_PHONE, "ACCEPT 1", "SM" + "a" * 32)).status == 200
    for _ in range(3):
        assert (await _signed_sms(line, DEV_PHONE, "I'm here. Where are you now?", "SM" + "b" * 32)).status == 200
    await line.settle()

    assert line.texts_to(PERSON).count("Dev: I'm here. Where are you now?") == 1


async def test_a_pass_delivered_three_times_runs_one_step(backend, sessions, fake_bot, fake_twilio, start_helpline):
    line = await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_2PM)
    await _dev_on_call_too(line)
    await line.sms("i keep thinking everyone would be happier if i just disappeared")
    for _ in range(3):
        assert (await _signed_sms(line, DEV_PHONE, "PASS 1", "SM" + "c" * 32)).status == 200
    await line.settle()

    assert len(line.cards_to(BEN)) == 1, "one Pass, one step: the backup is alerted once"
    events = [e.kind for e in await rows(sessions, ContactEvent)]
    assert events.count("alert_passed") == 1
