"""Mentor and person talk through the helpline: a person on SMS, a mentor on Telegram."""

from __future__ import annotations

import json

from storage.models import Contact, Message
from tests.conftest import eventually, helpline_settings
from tests.db_queries import rows
from tests.routing_kit import make_team

ANNE = 1001
PERSON, OTHER = "+447700900123", "+447700900456"


async def accepted(helpline, fake_bot, sender: str, text: str, sid: str) -> None:
    before = len(fake_bot.cards_to(ANNE))
    await helpline.sms(sender, text, sid)
    await eventually(lambda: len(fake_bot.cards_to(ANNE)) > before)
    data = fake_bot.cards_to(ANNE)[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await helpline.telegram(fake_bot.button_update(ANNE, data))


async def test_three_messages_each_way_and_nobody_sees_the_others_number(backend, sessions, fake_bot, fake_twilio, start_helpline):
    await make_team(sessions)
    helpline = await start_helpline(helpline_settings(backend, fake_bot, fake_twilio, outbox_poll_seconds=0.1))
    await accepted(helpline, fake_bot, PERSON, "i feel like hurting myself", "SM" + "f0" * 16)

    for n in range(1, 4):
        await helpline.telegram(fake_bot.message_update(ANNE, f"mentor line {n}"))
        await eventually(lambda: any(f"mentor line {n}" in m["body"] for m in fake_twilio.messages))
        await helpline.sms(PERSON, f"person line {n}", f"SM{n:032d}")
        await eventually(lambda: any(f"person line {n}" in t for t, _ in fake_bot.delivered_to(ANNE)))

    to_person = [m["body"] for m in fake_twilio.messages if m["to"] == PERSON]
    assert [b for b in to_person if b.startswith("Anne:")] == [f"Anne: mentor line {n}" for n in (1, 2, 3)]
    to_mentor = [t for t, _ in fake_bot.delivered_to(ANNE)]
    assert sum(t.startswith("P-") and "person line" in t for t in to_mentor) == 3
    everything_to_person = json.dumps([{k: v for k, v in m.items() if k != "sid"}  # a random sid may hold "1001"
                                       for m in fake_twilio.messages])
    everything_to_mentor = json.dumps([c.params for c in fake_bot.calls])
    assert str(ANNE) not in everything_to_person.replace(PERSON, ""), "the mentor's chat never reaches the person"
    assert PERSON not in everything_to_mentor and PERSON[1:] not in everything_to_mentor, \
        "the person's number never reaches the mentor"
    stored = [(m.direction, m.sender_kind) for m in await rows(sessions, Message)]
    assert stored.count(("out", "mentor")) == 3 and stored.count(("in", "person")) == 4

    from tests.test_closing import tap

    for label in ("Close", "support given", "accommodation", "drugs and alcohol", "Done", "30 min"):
        await tap(helpline, fake_bot, label)
    [contact] = await rows(sessions, Contact)
    assert (contact.status, contact.outcome, contact.minutes) == ("closed", "support given", 30)
    assert contact.pathways == ["accommodation", "drugs and alcohol"] and contact.closed_by == 1


async def test_two_contacts_replies_follow_the_reply_to_and_use(backend, sessions, fake_bot, fake_twilio, start_helpline):
    await make_team(sessions)
    helpline = await start_helpline(helpline_settings(backend, fake_bot, fake_twilio, outbox_poll_seconds=0.1))
    await accepted(helpline, fake_bot, PERSON, "i want to die", "SM" + "f1" * 16)
    await accepted(helpline, fake_bot, OTHER, "i want to kill myself", "SM" + "f2" * 16)
    await helpline.sms(PERSON, "are you still there", "SM" + "f3" * 16)
    await eventually(lambda: any("are you still there" in t for t, _ in fake_bot.delivered_to(ANNE)))
    relayed_id = [i for t, i in fake_bot.delivered_to(ANNE) if "are you still there" in t][0]

    await helpline.telegram(fake_bot.message_update(ANNE, "yes, I am here", reply_to=relayed_id))
    await helpline.telegram(fake_bot.message_update(ANNE, "who is this for?"))
    await eventually(lambda: any("yes, I am here" in m["body"] for m in fake_twilio.messages))
    contacts = sorted({m.contact_id for m in await rows(sessions, Message)})
    await helpline.telegram(fake_bot.message_update(ANNE, f"/use {contacts[1]}"))
    await helpline.telegram(fake_bot.message_update(ANNE, "hello second person"))
    await eventually(lambda: any("hello second person" in m["body"] for m in fake_twilio.messages))

    assert [m["to"] for m in fake_twilio.messages if "yes, I am here" in m["body"]] == [PERSON]
    assert [m["to"] for m in fake_twilio.messages if "hello second person" in m["body"]] == [OTHER]
    told = [p["text"] for p in fake_bot.sent() if int(p["chat_id"]) == ANNE and not p.get("reply_markup")]
    assert any(t.startswith("Not sent: which contact is this for?") and "/use" in t for t in told)
    assert not any("who is this for?" in m["body"] for m in fake_twilio.messages), "an unclear message goes nowhere"


async def test_a_long_sms_is_split_between_words():
    from escalation.to_person import split_for

    long = " ".join(f"word{n}" for n in range(300))
    parts = split_for("sms", long)
    assert len(parts) == 2 and parts[0].startswith("(1/2) word0") and parts[1].startswith("(2/2) ")
    assert all(len(p) <= 1500 for p in parts)
    assert " ".join(p.split(" ", 1)[1] for p in parts) == long
    assert split_for("telegram", long) == [long]
