"""Mentors correct the triage from a card or the contact page; the contact's level follows,
raising re-runs the chain, and every correction is kept and exported as a labelled example."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import unquote_plus

from escalation.corrections import scrub
from storage.models import Alert, Contact, ContactEvent, TriageCorrection
from storage.types import utcnow
from tests.dashboard_kit import add_user, log_in, post_form
from tests.db_queries import event_kinds, rows
from tests.night_kit import ANNE, AT_2PM, AT_3AM, BEN, PERSON, buttons, open_line
from tests.conftest import helpline_settings
from tests.routing_kit import make_team, sms
from tests.test_cli import helpline as helpline_command

BENEFITS = "can someone call me about my benefits, ring me on 07700 900123"


async def test_a_mentor_raises_a_contact_from_the_card_and_the_chain_runs_again(
        backend, sessions, fake_bot, fake_twilio, start_helpline, tmp_path):
    line = await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_2PM)
    await line.sms(BENEFITS)
    [card] = line.cards_to(ANNE)
    assert "LOW" in card["text"] and dict(buttons(card))["🟠 high"].startswith("l:")

    await line.tap(ANNE, dict(buttons(card))["🟠 high"])

    [answer] = fake_bot.sent("answerCallbackQuery")
    assert "is now high (the triage said low)" in answer["text"] and "/why" in answer["text"]
    assert "HIGH" in line.cards_to(ANNE)[-1]["text"], "raising runs the chain again at the new level"
    [contact] = await rows(sessions, Contact)
    assert contact.urgency == "high" and "triage_corrected" in await event_kinds(sessions, contact.id)
    await line.at(minutes=5)
    assert len(line.cards_to(BEN)) == 1, "at the high deadline, not the low one"

    await line.telegram(ANNE, "/why rent arrears, eviction letter on friday")
    assert line.sent_to(ANNE)[-1]["text"].startswith("Thanks: kept with your correction")
    [kept] = await rows(sessions, TriageCorrection)
    assert (kept.level_given, kept.level_corrected, kept.reason) == ("low", "high", "rent arrears, eviction letter on friday")
    trail = [e.data for e in await rows(sessions, ContactEvent) if e.kind == "triage_correction_reason"]
    assert trail == [{"length": 39}], "the trail, never rewritten, holds no words an erasure could not reach"

    exported = tmp_path / "corrections.jsonl"
    result = await asyncio.to_thread(helpline_command, "triage", "corrections", "--export", str(exported),
                                     env={"HELPLINE_DATABASE_URL": backend.database_url}, cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    [row] = [json.loads(x) for x in exported.read_text().splitlines()]
    assert row["level"] == "high" and row["triage_level"] == "low" and row["lang"] == "en"
    assert row["text"] == "can someone call me about my benefits, ring me on [number]"
    assert "Anne" not in exported.read_text() and PERSON[-6:] not in exported.read_text()
    evaluated = await asyncio.to_thread(helpline_command, "triage", "eval", str(exported), cwd=str(tmp_path))
    assert evaluated.returncode == 0 and "1 messages" in evaluated.stdout, "the export reads as a labelled set"


async def test_lowering_does_not_stop_a_chain_that_is_running(backend, sessions, fake_bot, fake_twilio,
                                                              start_helpline):
    line = await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_3AM)
    await line.sms("pills lined up for tonight")
    await line.tap(ANNE, dict(buttons(line.cards_to(ANNE)[0]))["⚪ low"])

    [contact] = await rows(sessions, Contact)
    assert contact.urgency == "low"
    await line.at(minutes=2)
    assert len(line.cards_to(BEN)) == 2, "the emergency chain goes on until someone accepts or answers"


async def test_a_coordinator_corrects_on_the_contact_page(backend, sessions, start_helpline):
    running = await start_helpline(helpline_settings(backend, None, None, public_url=None))  # no Secure cookie
    await make_team(sessions)
    await add_user(sessions, "cora", "coordinator")
    await add_user(sessions, "ben", "mentor", mentor="Ben Backup")
    result = await running.services.intake.receive(sms("what time is my appointment thursday", at=utcnow()))
    client, page = running.client, f"/dash/contacts/{result.contact_id}"

    await log_in(client, "ben")
    refused = await post_form(client, f"{page}/level", {"level": "emergency"}, page="/dash")
    assert refused.status == 403, "a mentor who did not handle the contact cannot change it"
    client.session.cookie_jar.clear()
    await log_in(client, "cora")
    assert (await client.post(f"{page}/level", data={"level": "high"})).status == 403, "no CSRF token, no change"
    done = await post_form(client, f"{page}/level", {"level": "high", "reason": "talks of owing a dealer"}, page=page)

    assert done.status == 303 and "is now high" in unquote_plus(done.headers["Location"])
    [contact] = await rows(sessions, Contact)
    [kept] = await rows(sessions, TriageCorrection)
    assert contact.urgency == "high" and kept.actor == "user:cora" and kept.reason == "talks of owing a dealer"
    assert [(a.level, a.state) for a in await rows(sessions, Alert)] == [("low", "superseded"), ("high", "open")]
    shown = await (await client.get(page)).text()
    assert "Triage wrong?" in shown and "triage corrected" in shown


def test_an_exported_example_keeps_no_number_address_alias_or_name():
    text = "tell Anne my number is +44 7700 900123 or mail sam@example.org, P-7KQ2MD here"
    assert scrub(text, ["Anne Primary"]) == "tell [name] my number is [number] or mail [email], [alias] here"
