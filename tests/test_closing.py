"""Closing a contact on a phone: Close, outcome, pathways, minutes; the person and mentor after."""

from __future__ import annotations

from storage.models import Contact
from tests.conftest import eventually, helpline_settings
from tests.db_queries import event_kinds, rows
from tests.routing_kit import make_team
from tests.test_relay import ANNE, OTHER as OTHER_PERSON, PERSON, accepted

CARA = 1003


def buttons(params) -> dict[str, str]:
    markup = params.get("reply_markup") or {}
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row}


async def tap(helpline, fake_bot, text: str) -> dict:
    """Tap the button called ``text`` on the latest prompt the mentor was shown."""
    shown = [c.params for c in fake_bot.calls if c.method in ("sendMessage", "editMessageText")
             and int(c.params["chat_id"]) == ANNE and text in buttons(c.params)]
    await helpline.telegram(fake_bot.button_update(ANNE, buttons(shown[-1])[text]))
    return shown[-1]


async def test_a_mentor_closes_a_contact_as_a_session_and_asks_for_a_debrief(backend, sessions, fake_bot, fake_twilio, start_helpline):
    await make_team(sessions)
    helpline = await start_helpline(helpline_settings(backend, fake_bot, fake_twilio, outbox_poll_seconds=0.1))
    await accepted(helpline, fake_bot, PERSON, "i want to kill myself, got nowhere to sleep", "SM" + "a7" * 16)
    await helpline.telegram(fake_bot.message_update(ANNE, "I'm here. Let's talk."))
    await helpline.sms(PERSON, "thanks", "SM" + "a8" * 16)

    await tap(helpline, fake_bot, "Close")
    await tap(helpline, fake_bot, "support given")
    await tap(helpline, fake_bot, "accommodation")
    await tap(helpline, fake_bot, "health")
    await tap(helpline, fake_bot, "✓ health")  # changed their mind
    await tap(helpline, fake_bot, "finance, benefit and debt")
    await tap(helpline, fake_bot, "Done")
    await tap(helpline, fake_bot, "30 min")

    [contact] = await rows(sessions, Contact)
    assert (contact.status, contact.outcome, contact.minutes) == ("closed", "support given", 30)
    assert contact.pathways == ["accommodation", "finance, benefit and debt"]
    assert contact.closed_by is not None and contact.close_reason == "session"
    last = [c.params["text"] for c in fake_bot.calls if c.method == "editMessageText"][-1]
    assert last.startswith(f"Closed #{contact.id} as a mentoring session")
    await eventually(lambda: any("write here again" in m["body"] for m in fake_twilio.messages if m["to"] == PERSON))

    await eventually(lambda: any("How are you after that one" in p.get("text", "") for p in fake_bot.sent()))
    await tap(helpline, fake_bot, "I'd like a debrief")
    await eventually(lambda: any("would like a debrief" in p.get("text", "") for p in fake_bot.sent()
                                 if int(p["chat_id"]) == CARA))
    kinds = await event_kinds(sessions, contact.id)
    assert {"session_closed", "debrief_offered", "debrief_answer", "closing_message_queued"} <= set(kinds)


async def test_only_the_contacts_mentor_can_close_it(backend, sessions, fake_bot, fake_twilio, start_helpline):
    await make_team(sessions)
    helpline = await start_helpline(helpline_settings(backend, fake_bot, fake_twilio, outbox_poll_seconds=0.1))
    await accepted(helpline, fake_bot, PERSON, "i want to kill myself", "SM" + "a9" * 16)
    [contact] = await rows(sessions, Contact)

    await helpline.telegram(fake_bot.button_update(1002, f"x:{contact.id}:close"))
    await helpline.telegram(fake_bot.button_update(1002, f"x:{contact.id}:m:30"))

    [still] = await rows(sessions, Contact)
    assert still.status == "open"
    edits = [c.params["text"] for c in fake_bot.calls if c.method == "editMessageText" and int(c.params["chat_id"]) == 1002]
    assert edits and all(e.startswith("That contact is not yours") for e in edits)


async def test_transfer_hands_the_contact_to_another_on_call_mentor_without_a_gap(backend, sessions, fake_bot, fake_twilio, start_helpline):
    await make_team(sessions)
    helpline = await start_helpline(helpline_settings(backend, fake_bot, fake_twilio, outbox_poll_seconds=0.1))
    await accepted(helpline, fake_bot, PERSON, "i want to kill myself", "SM" + "b1" * 16)

    await tap(helpline, fake_bot, "Transfer")
    await tap(helpline, fake_bot, "Ben Backup")
    await eventually(lambda: any("has transferred" in p.get("text", "") for p in fake_bot.sent() if int(p["chat_id"]) == 1002))
    handed = [p["text"] for p in fake_bot.sent() if int(p["chat_id"]) == 1002 and "has transferred" in p.get("text", "")][0]
    await helpline.sms(PERSON, "hello? still there?", "SM" + "b2" * 16)
    await eventually(lambda: any("still there" in t for t, _ in fake_bot.delivered_to(1002)))
    await helpline.telegram(fake_bot.message_update(1002, "Yes, Ben here now."))
    await eventually(lambda: any(m["body"] == "Ben: Yes, Ben here now." for m in fake_twilio.messages))

    [contact] = await rows(sessions, Contact)
    assert contact.status == "open" and "i want to kill myself" in handed and PERSON not in handed
    assert "Most urgent (high): “i want to kill myself”" in handed
    assert "transferred" in await event_kinds(sessions, contact.id)
    assert not any("still there" in t for t, _ in fake_bot.delivered_to(ANNE)), "Anne no longer gets their messages"


async def test_take_over_is_refused_while_the_contacts_mentor_is_on_duty(backend, sessions, fake_bot, fake_twilio, start_helpline):
    team = await make_team(sessions)  # Anne is on duty round the clock
    helpline = await start_helpline(helpline_settings(backend, fake_bot, fake_twilio, outbox_poll_seconds=0.1))
    await accepted(helpline, fake_bot, PERSON, "i want to kill myself", "SM" + "b3" * 16)
    [contact] = await rows(sessions, Contact)

    await helpline.telegram(fake_bot.button_update(1002, f"h:{contact.id}"))

    assert fake_bot.sent("answerCallbackQuery")[-1]["text"] == "Its mentor is still on duty."
    [still] = await rows(sessions, Contact)
    assert still.assigned_mentor_id == team.anne


async def test_reply_button_note_and_the_next_card_shows_the_last_session(backend, sessions, fake_bot, fake_twilio, start_helpline):
    await make_team(sessions)
    helpline = await start_helpline(helpline_settings(backend, fake_bot, fake_twilio, outbox_poll_seconds=0.1))
    await accepted(helpline, fake_bot, PERSON, "i want to kill myself", "SM" + "c1" * 16)
    await accepted(helpline, fake_bot, OTHER_PERSON, "i want to die", "SM" + "c2" * 16)

    await tap(helpline, fake_bot, "Reply")  # on the latest card: the second person
    await helpline.telegram(fake_bot.message_update(ANNE, "here for you"))
    await helpline.telegram(fake_bot.message_update(ANNE, "/note worried about the weekend"))
    await eventually(lambda: any(m["body"] == "Anne: here for you" and m["to"] == OTHER_PERSON for m in fake_twilio.messages))
    assert any(p.get("text", "").startswith("Noted on #") for p in fake_bot.sent() if int(p["chat_id"]) == ANNE)
    contacts = {c.id: c for c in await rows(sessions, Contact)}
    assert [c.note for c in contacts.values() if c.note] == ["worried about the weekend"]

    for label in ("Close", "signposted", "Done", "15 min"):
        await tap(helpline, fake_bot, label)
    await helpline.sms(OTHER_PERSON, "i want to die again", "SM" + "c3" * 16)
    await eventually(lambda: any("Last sessions: signposted with Anne" in c["text"] for c in fake_bot.cards_to(ANNE)))
