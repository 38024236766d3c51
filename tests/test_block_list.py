"""The block list: a blocked person's messages are stored on their contact (the trail says blocked)
and not routed (no card, no relay, no automatic reply), except an emergency, which is routed all
the same; lifting the block restores routing; the coordinators get one digest a day with counts
by alias and no text. Managed from the command line and the dashboard (coordinators only; bad
input 400, never a 5xx); placing and lifting are audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from storage import audit, blocks, people
from storage.models import Alert, Contact, ContactEvent, Message, Person
from tests.dashboard_kit import csrf_of, log_in, post_form, staffed_dashboard
from tests.db_queries import rows
from tests.night_kit import ANNE, AT_2PM, AT_3AM, BEN, CARA, PERSON, open_line
from tests.test_cli_referrals import in_db, run

ROUTINE = "what time is my appointment thursday"
RUDE = "you lot are useless, answer me or else"  # what a block is for; the words are never in a digest
EMERGENCY = "pills lined up for tonight"


@pytest.fixture(params=[AT_3AM, AT_2PM], ids=["3am", "2pm"])
async def line(request, backend, sessions, fake_bot, fake_twilio, start_helpline):
    return await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, request.param)


async def blocked_person(line, number: str = PERSON) -> Person:
    async with line.sessions() as session, session.begin():
        person = await people.create_person(session, "phone", number, line.clock.now - timedelta(days=3))
        assert await blocks.block(session, person, "abusive to mentors", line.clock.now, "user:cora")
    return person


def nothing_to_mentors(line) -> bool:
    return line.sent_to(ANNE) == [] and line.sent_to(BEN) == [] and line.cards_to(CARA) == []


async def test_a_blocked_persons_messages_are_stored_not_routed_and_get_no_automatic_reply(line):
    person = await blocked_person(line)
    for text in (ROUTINE, RUDE, "hello?"):
        await line.sms(text)
    await line.at(hours=2)  # no deadline, no reminder, no chain: there is no alert

    stored = await rows(line.sessions, Message, Message.direction == "in")
    assert [m.body for m in stored] == [ROUTINE, RUDE, "hello?"]
    [contact] = await rows(line.sessions, Contact)
    assert contact.person_id == person.id
    assert nothing_to_mentors(line) and line.texts_to(PERSON) == []
    assert await rows(line.sessions, Alert) == []
    trail = await rows(line.sessions, ContactEvent, ContactEvent.contact_id == contact.id)
    blocked = [e for e in trail if e.kind == blocks.BLOCKED_MESSAGE]
    assert [e.data["message_id"] for e in blocked] == [m.id for m in stored] and not any(e.data["routed"] for e in blocked)
    assert "alert_opened" not in {e.kind for e in trail} and "reply_queued" not in {e.kind for e in trail}


async def test_an_emergency_from_a_blocked_person_is_routed_all_the_same(line):
    await blocked_person(line)
    await line.sms(ROUTINE)
    assert nothing_to_mentors(line)

    await line.sms(EMERGENCY)

    assert "EMERGENCY" in line.cards_to(ANNE)[-1]["text"], "safety first: an emergency is never held back"
    assert "call 999 now" in line.texts_to(PERSON)[-1]
    [_, routed] = await rows(line.sessions, ContactEvent, ContactEvent.kind == blocks.BLOCKED_MESSAGE)
    assert routed.data["routed"] is True


async def test_lifting_the_block_restores_routing(line):
    person = await blocked_person(line)
    await line.sms(ROUTINE)
    assert nothing_to_mentors(line)
    async with line.sessions() as session, session.begin():
        assert await blocks.lift(session, await session.get(Person, person.id), line.clock.now, "user:cora")

    await line.sms("are you there")

    [card] = line.cards_to(ANNE)
    assert "are you there" in card["text"] or ROUTINE in card["text"]
    assert len(await rows(line.sessions, Alert)) == 1
    assert len(await rows(line.sessions, ContactEvent, ContactEvent.kind == blocks.BLOCKED_MESSAGE)) == 1


async def test_the_coordinators_are_told_once_a_day_how_many_messages_blocked_people_sent(line):
    person = await blocked_person(line)
    other = await blocked_person(line, "+447700900777")
    for text in (ROUTINE, RUDE, "hello?"):
        await line.sms(text)
    await line.sms("one from the other", sender="+447700900777")
    digest = line.helpline.services.blocked_digest

    line.clock.now = line.start.replace(hour=9) + (timedelta(days=1) if line.start.hour >= 9 else timedelta())
    assert await digest.send() == 4
    await line.settle()
    [told] = [m["text"] for m in line.sent_to(CARA)]
    assert f"{person.alias}: 3 messages" in told and f"{other.alias}: 1 message" in told
    assert told.index(person.alias) < told.index(other.alias), "the busiest first"
    for words in (ROUTINE, RUDE, "hello?", "one from the other", "appointment", PERSON, "7700900"):
        assert words not in told, "counts by alias, never what they wrote nor their number"
    assert line.sent_to(ANNE) == [] and line.sent_to(BEN) == [], "coordinators only"

    await digest.send()  # the job again the same day (a second worker, a restart)
    await line.settle()
    assert len(line.sent_to(CARA)) == 1, "once a day"
    line.clock.now += timedelta(days=1)
    assert await digest.send() == 0, "nothing to tell a day with no messages from blocked people"
    await line.settle()
    assert len(line.sent_to(CARA)) == 1


def test_the_digest_is_scheduled_daily_at_its_setting():
    import asyncio
    from zoneinfo import ZoneInfo

    from bot.scheduler import start_scheduler

    async def nothing() -> int:
        return 0

    async def go() -> tuple[str, str]:
        scheduler = start_scheduler(nothing, 3600, rota_minutely=nothing, gap_report=nothing,
                                    zone=ZoneInfo("Europe/London"), poll_at_start=False,
                                    blocked_digest=nothing, blocked_digest_at="08:45")
        try:
            fields = {f.name: str(f) for f in scheduler.get_job("blocked_digest").trigger.fields}
            return fields["hour"], fields["minute"]
        finally:
            scheduler.shutdown(wait=False)

    assert asyncio.run(go()) == ("8", "45")


# --- the command line ---------------------------------------------------------------------------

def test_people_block_unblock_and_blocks_on_the_command_line_audited_and_without_numbers(backend):
    url = backend.database_url

    async def make(session: Any) -> str:
        from storage.types import utcnow

        return (await people.create_person(session, "phone", "+447700900555", utcnow())).alias

    alias = in_db(url, make)
    assert "nobody is blocked" in run(url, "people", "blocks").output

    done = run(url, "people", "block", "--person", alias, "--reason", "threats to a mentor (rang +447700900555)")
    assert done.returncode == 0, done.output
    assert f"blocked {alias}" in done.output
    assert "already blocked" in run(url, "people", "block", "--person", alias, "--reason", "again").output
    listed = run(url, "people", "blocks").output
    assert alias in listed and "threats to a mentor" in listed and "by cli" in listed
    assert "7700900555" not in listed and "900555" not in done.output

    assert run(url, "people", "block", "--person", alias, "--reason", "  ").returncode == 2
    unknown = run(url, "people", "block", "--person", "P-NOBODY", "--reason", "x")
    assert unknown.returncode == 2 and "no person" in unknown.output

    lifted = run(url, "people", "unblock", "--person", alias)
    assert lifted.returncode == 0 and "lifted" in lifted.output
    assert "is not blocked" in run(url, "people", "unblock", "--person", alias).output
    assert "nobody is blocked" in run(url, "people", "blocks").output

    async def trail(session: Any) -> list[tuple[str, dict[str, Any]]]:
        return [(e.action, e.detail) for e in await audit.entries(session) if e.action.startswith("person_")]

    entries = in_db(url, trail)
    assert [a for a, _ in entries] == ["person_blocked", "person_unblocked"]
    assert entries[0][1]["alias"] == alias and "[number]" in entries[0][1]["reason"]
    assert "7700900555" not in repr(entries)


# --- the dashboard ------------------------------------------------------------------------------

@pytest.fixture
async def dash(backend, start_helpline):
    running = await staffed_dashboard(backend, start_helpline)
    async with running.services.sessions() as session, session.begin():
        person = await people.create_person(session, "phone", "+447700900666", running.services.clock())
    running.person = person  # type: ignore[attr-defined]
    return running


async def test_a_coordinator_blocks_and_unblocks_on_the_dashboard_audited(dash):
    person = dash.person
    await log_in(dash.client, "cora")
    page = await dash.client.get("/dash/blocks")
    assert page.status == 200 and "Nobody is blocked" in await page.text()

    response = await post_form(dash.client, "/dash/blocks", {"person": person.alias.lower(), "reason": "abuse"},
                               page="/dash/blocks")
    assert response.status == 303
    listed = await (await dash.client.get(response.headers["Location"])).text()
    assert f"Blocked {person.alias}" in listed and "abuse" in listed and "user:cora" in listed
    assert "7700900666" not in listed and "900666" not in listed

    lifted = await post_form(dash.client, f"/dash/blocks/{person.id}/lift", {}, page="/dash/blocks")
    assert lifted.status == 303
    assert "Nobody is blocked" in await (await dash.client.get("/dash/blocks")).text()
    async with dash.services.sessions() as session:
        trail = [(e.actor, e.action) for e in await audit.entries(session) if e.action.startswith("person_")]
    assert trail == [("user:cora", "person_blocked"), ("user:cora", "person_unblocked")]


async def test_a_mentor_may_not_see_or_change_the_block_list(dash):
    await log_in(dash.client, "anne")
    assert (await dash.client.get("/dash/blocks")).status == 403
    token = await csrf_of(dash.client, "/dash")
    blocked = await dash.client.post("/dash/blocks", data={"csrf": token, "person": dash.person.alias, "reason": "x"},
                                     allow_redirects=False)
    assert blocked.status == 403
    assert (await dash.client.post(f"/dash/blocks/{dash.person.id}/lift", data={"csrf": token},
                                   allow_redirects=False)).status == 403
    async with dash.services.sessions() as session:
        assert await blocks.listed(session) == []


@pytest.mark.parametrize("fields", [
    {"person": "", "reason": "abuse"}, {"reason": "abuse"}, {"person": "P-NOBODY", "reason": "abuse"},
    {"person": "99999999999999999999", "reason": "abuse"}, {"person": "²", "reason": "abuse"},
    {"person": "0", "reason": "abuse"}, {"person": "x" * 500, "reason": "abuse"},
    {"person": "ALIAS", "reason": ""}, {"person": "ALIAS", "reason": "   "}, {"person": "ALIAS", "reason": "r" * 201},
], ids=["empty", "missing", "unknown", "huge-id", "not-ascii", "zero", "long", "no-reason", "blank-reason",
        "long-reason"])
async def test_bad_input_is_a_400_with_the_page_and_nothing_is_blocked(dash, fields):
    await log_in(dash.client, "cora")
    sent = {k: v.replace("ALIAS", dash.person.alias) for k, v in fields.items()}
    response = await post_form(dash.client, "/dash/blocks", sent, page="/dash/blocks")
    assert response.status == 400
    assert "Block a person" in await response.text()
    async with dash.services.sessions() as session:
        assert await blocks.listed(session) == []


async def test_lifting_an_unknown_or_malformed_block_is_a_404_and_without_the_form_token_403(dash):
    await log_in(dash.client, "cora")
    for path in ("/dash/blocks/abc/lift", "/dash/blocks/99999999999999999999/lift", "/dash/blocks/424242/lift"):
        assert (await post_form(dash.client, path, {}, page="/dash/blocks")).status == 404
    no_token = await dash.client.post("/dash/blocks", data={"person": dash.person.alias, "reason": "abuse"},
                                      allow_redirects=False)
    assert no_token.status == 403
