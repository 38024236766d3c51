"""Retention and subject rights, on both backends: a purge erases texts past their period and
leaves the report's figures as they were; an export holds everything about one person and
nothing about another; erasure leaves only counts; a legal hold blocks both."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from storage import audit, blocks, people, retention
from storage.events import append_event
from storage.models import (
    Base, Call, Contact, Message, Mentor, OutboxItem, Person, Referral, TriageCorrection,
)
from storage.tags import add_tags
from storage.types import utcnow
from tests.test_cli_referrals import in_db, run

RECORDINGS = "http://127.0.0.1:9/2010-04-01/Accounts/AC0/Recordings"  # a fake's shape; never fetched

UTC = timezone.utc
MENTOR_PHONE, MENTOR_CHAT = "+447700900999", "5550001112"
_ids = itertools.count(1000)  # provider ids: not the planted words (they are the provider's, not the person's)


def months_ago(months: int, now: datetime) -> datetime:
    return retention.months_before(now, months)


async def mentor(session: Any) -> Mentor:
    found = await session.scalar(sa.select(Mentor).where(Mentor.name == "Anne Mentor"))
    if found is None:
        found = Mentor(name="Anne Mentor", role="mentor", languages=["en"], telegram_chat_id=MENTOR_CHAT,
                       phone=MENTOR_PHONE, created_at=utcnow())
        session.add(found)
        await session.flush()
    return found


async def seed(session: Any, number: str, word: str, *, opened: datetime, closed: datetime | None,
               referral_ended: datetime | None = None) -> tuple[int, int]:
    """A person (found or made by ``number``) and one contact full of ``word``: messages both ways
    with the triage's matched phrase, a note, an alert card in the outbox, a call with a recording,
    a correction's reason, tags, events; and, if ``referral_ended``, an acknowledged referral."""
    anne = await mentor(session)
    n = next(_ids)
    person = await people.find_person(session, "phone", number) or await people.create_person(
        session, "phone", number, opened)
    contact = Contact(person_id=person.id, channel="sms", status="closed" if closed else "open", urgency="high",
                      assigned_mentor_id=anne.id, opened_at=opened, last_activity_at=opened, closed_at=closed,
                      outcome="support given" if closed else None, close_reason="session" if closed else None,
                      pathways=["health"] if closed else None, minutes=25 if closed else None,
                      closed_by=anne.id if closed else None, note=f"note: {word} again")
    session.add(contact)
    await session.flush()
    triage = {"level": "high", "categories": ["self_harm"], "lang": "en", "rules": ["phrase_high"],
              "matched": [{"phrase": f"{word} phrase", "kind": "self_harm", "level": "high", "source": "en.lex:7"}]}
    incoming = Message(contact_id=contact.id, channel="sms", direction="in", sender_kind="person",
                       body=f"I {word} tonight", received_at=opened, provider_message_id=f"SM{n}",
                       level="high", categories=["self_harm"], triage=triage)
    session.add(incoming)
    session.add(Message(contact_id=contact.id, channel="sms", direction="out", sender_kind="mentor",
                        body=f"About {word}: I am here", received_at=opened + timedelta(minutes=4)))
    session.add(OutboxItem(dedupe_key=f"card:{n}", contact_id=contact.id, channel="telegram", address=MENTOR_CHAT,
                           body=f"Card: I {word} tonight", status="sent", next_attempt_at=opened, created_at=opened))
    session.add(OutboxItem(dedupe_key=f"reply:{n}", contact_id=contact.id, channel="sms", address=number,
                           body=f"About {word}: I am here", status="sent", next_attempt_at=opened, created_at=opened))
    session.add(Call(call_sid=f"CA{n}", contact_id=contact.id, person_id=person.id, state="ended",
                     legs=[anne.id], started_at=opened, recording_sid=f"RE{n}",
                     recording_url=f"{RECORDINGS}/RE{n}", recording_seconds=40))
    await session.flush()
    session.add(TriageCorrection(contact_id=contact.id, message_id=incoming.id, level_given="medium",
                                 level_corrected="high", reason=f"said {word}", mentor_id=anne.id,
                                 actor=f"mentor:{anne.id}", at=opened))
    await add_tags(session, contact.id, "category", ["self_harm"])
    if closed:
        await add_tags(session, contact.id, "pathway", ["health"])
        await append_event(session, contact.id, "contact_closed", f"mentor:{anne.id}", closed, reason="session")
    if referral_ended is not None:
        session.add(Referral(contact_id=contact.id, person_id=person.id, kind="marac", reason="dash_high",
                             state="acknowledged", criteria=["visible_high_risk"], dash={"q1": f"yes, {word}"},
                             dash_yes=1, details={"what_happened": f"{word} happened"}, basis={"kind": "consent"},
                             proposed_at=referral_ended - timedelta(days=1), proposed_by="Anne Mentor",
                             sent_at=referral_ended - timedelta(hours=2), acknowledged_at=referral_ended))
    await session.flush()
    return person.id, contact.id


async def every_text(session: Any) -> str:
    """Every value of every row of every table, as one text to search."""
    parts = []
    for table in Base.metadata.sorted_tables:
        for row in await session.execute(sa.select(table)):
            parts.append(repr(tuple(row)))
    return "\n".join(parts)


def report(url: str, now: datetime) -> dict[str, Any]:
    result = run(url, "report", "--from", f"{months_ago(20, now):%Y-%m-%d}", "--to", f"{now:%Y-%m-%d}",
                 "--format", "json")
    assert result.returncode == 0, result.output
    return json.loads(result.stdout)


def test_a_purge_erases_old_texts_keeps_the_report_skips_a_hold_and_is_audited(backend):
    url, now = backend.database_url, utcnow()

    async def build(session: Any) -> dict[str, int]:
        ids = {}
        _, ids["old"] = await seed(session, "+447700900101", "quokkaold", opened=months_ago(14, now),
                                   closed=months_ago(13, now), referral_ended=months_ago(80, now))
        _, ids["recent"] = await seed(session, "+447700900102", "wombatrecent", opened=months_ago(12, now),
                                      closed=months_ago(11, now), referral_ended=months_ago(13, now))
        _, ids["open"] = await seed(session, "+447700900103", "numbatopen", opened=months_ago(14, now), closed=None)
        held, ids["held"] = await seed(session, "+447700900104", "dingoheld", opened=months_ago(15, now),
                                       closed=months_ago(14, now), referral_ended=months_ago(90, now))
        (await session.get(Person, held)).legal_hold = "Court order 2027/15"
        return ids

    ids = in_db(url, build)
    before = report(url, now)
    snapshot = in_db(url, every_text)

    dry = run(url, "purge", "--dry-run")
    assert dry.returncode == 0, dry.output
    assert "would erase: texts of 1 contact(s)" in dry.stdout and "2 message(s)" in dry.stdout
    assert "1 referral(s)" in dry.stdout and "1 person(s) skipped under a legal hold" in dry.stdout
    assert in_db(url, every_text) == snapshot, "a dry run changes nothing (not even the audit log)"

    done = run(url, "purge")
    assert done.returncode == 0, done.output
    assert "erased: texts of 1 contact(s)" in done.stdout and "2 message(s), 2 outbound, 1 note(s)" in done.stdout
    assert report(url, now) == before, "the report's figures are the same after the purge"

    text = in_db(url, every_text)
    assert "quokkaold" not in text
    for kept in ("wombatrecent", "numbatopen", "dingoheld"):
        assert f"I {kept} tonight" in text and f"note: {kept}" in text and f"{kept} phrase" in text
    assert "wombatrecent happened" in text, "a referral ended 13 months ago is kept (its own period)"

    async def check(session: Any) -> None:
        old = await session.get(Contact, ids["old"])
        assert old.note == "[erased after 12 months]" and old.purged_at is not None
        assert (old.outcome, old.pathways, old.minutes, old.urgency) == ("support given", ["health"], 25, "high")
        messages = list(await session.scalars(sa.select(Message).where(Message.contact_id == old.id)))
        assert {m.body for m in messages} == {"[erased after 12 months]"} and len(messages) == 2
        incoming = next(m for m in messages if m.direction == "in")
        assert (incoming.level, incoming.categories) == ("high", ["self_harm"])
        assert incoming.triage["rules"] == ["phrase_high"] and incoming.triage["matched"] == [
            {"phrase": "[erased]", "kind": "self_harm", "level": "high", "source": "en.lex:7"}]
        call = await session.scalar(sa.select(Call).where(Call.contact_id == old.id))
        assert call.recording_url is None and call.recording_seconds == 40
        referral = await session.scalar(sa.select(Referral).where(Referral.contact_id == old.id))
        assert referral.details == {"erased": True} and referral.dash == {} and referral.dash_yes == 1
        assert referral.state == "acknowledged" and referral.basis == {"kind": "consent"}
        for other in ("recent", "open", "held"):
            assert (await session.get(Contact, ids[other])).purged_at is None
        entries = await audit.entries(session, "purge")
        assert len(entries) == 1 and entries[0].actor == "cli"
        assert entries[0].detail["contacts"] == 1 and entries[0].detail["messages"] == 2
        assert entries[0].detail["referrals"] == 1 and entries[0].detail["held_people"] == 1

    in_db(url, check)

    # idempotent: the daily job (actor "system") finds nothing more to erase
    async def job() -> int:
        from storage.db import create_engine, session_factory

        engine = create_engine(url)
        try:
            return await retention.daily_job(session_factory(engine), lambda: now, 12, 72)()
        finally:
            await engine.dispose()

    import asyncio

    assert asyncio.run(job()) == 0
    entries = in_db(url, lambda s: audit.entries(s, "purge"))
    assert [e.actor for e in entries] == ["cli", "system"] and entries[1].detail["messages"] == 0
    audit_text = repr([(e.actor, e.detail) for e in entries])
    assert "+4477" not in audit_text and "quokka" not in audit_text and "+4477" not in done.output


def test_export_holds_everything_about_the_person_and_nothing_about_another(backend, tmp_path):
    url, now = backend.database_url, utcnow()

    async def build(session: Any) -> str:
        person, _ = await seed(session, "+447700900201", "axolotlmine", opened=months_ago(2, now),
                               closed=months_ago(1, now), referral_ended=months_ago(1, now))
        other, _ = await seed(session, "+447700900202", "pangolintheirs", opened=months_ago(2, now),
                              closed=months_ago(1, now))
        await blocks.block(session, await session.get(Person, person), "axolotlmine kept ringing", now, "cli")
        await blocks.block(session, await session.get(Person, other), "pangolin shouted", now, "cli")
        return (await session.get(Person, person)).alias

    alias = in_db(url, build)
    out = tmp_path / "sar.json"
    result = run(url, "people", "export", "--person", alias, "--out", str(out))
    assert result.returncode == 0, result.output
    assert f"wrote everything held about {alias}" in result.stdout
    assert "axolotl" not in result.output and "+4477" not in result.output
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    text = out.read_text()
    data = json.loads(text)
    for mine in ("I axolotlmine tonight", "About axolotlmine: I am here", "note: axolotlmine again",
                 "axolotlmine phrase", "said axolotlmine", "axolotlmine happened", "yes, axolotlmine",
                 "+447700900201", f"{RECORDINGS}/RE", "Anne Mentor", "axolotlmine kept ringing"):
        assert mine in text, mine
    for theirs in ("pangolin", "+447700900202", MENTOR_PHONE, MENTOR_CHAT):
        assert theirs not in text, theirs
    assert data["person"]["alias"] == alias and data["identities"][0]["kind"] == "phone"
    assert [t["value"] for t in data["contacts"][0]["tags"]] == ["self_harm", "health"]
    by_id = run(url, "people", "export", "--person", str(data["person"]["id"]))
    assert by_id.returncode == 0 and json.loads(by_id.stdout)["person"]["alias"] == alias
    unknown = run(url, "people", "export", "--person", "P-NOBODY")
    assert unknown.returncode == 2 and "--person" in unknown.stderr and len(unknown.stderr.strip().splitlines()) == 1
    entries = in_db(url, lambda s: audit.entries(s, "subject_export"))
    assert len(entries) == 2 and entries[0].detail == {"person": data["person"]["id"], "contacts": 1, "messages": 2}


def test_erase_leaves_only_counts_and_the_number_comes_back_as_a_new_person(backend):
    url, now = backend.database_url, utcnow()
    number = "+447700900301"

    async def build(session: Any) -> tuple[int, str]:
        person, _ = await seed(session, number, "capybaragone", opened=months_ago(3, now), closed=months_ago(2, now),
                               referral_ended=months_ago(2, now))
        await seed(session, number, "capybaragone2", opened=months_ago(1, now), closed=now - timedelta(days=1))
        await seed(session, "+447700900302", "okapistays", opened=months_ago(3, now), closed=months_ago(2, now))
        from storage import opt_outs

        await opt_outs.stop(session, "sms", number, now, "word")
        await blocks.block(session, await session.get(Person, person), "abusive at night", now, "cli")
        return person, (await session.get(Person, person)).alias

    person_id, alias = in_db(url, build)
    before = report(url, now)
    result = run(url, "people", "erase", "--person", alias, "--reason", "SAR-2027-04 (ring +447700900301)")
    assert result.returncode == 0, result.output
    assert f"erased {alias}: 1 identity, 2 contact(s), 4 message(s)" in result.stdout
    assert "capybara" not in result.output and number not in result.output
    assert report(url, now) == before, "erasure keeps what reports count"

    text = in_db(url, every_text)
    assert "capybara" not in text and number not in text and "447700900301" not in text
    assert "okapistays" in text and "+447700900302" in text, "another person's data stays"
    assert alias in text

    async def check(session: Any) -> None:
        person = await session.get(Person, person_id)
        assert person.erased_at is not None and person.alias == alias
        contacts = list(await session.scalars(sa.select(Contact).where(Contact.person_id == person_id)))
        assert len(contacts) == 2 and all(c.outcome == "support given" and c.pathways == ["health"] for c in contacts)
        count = await session.scalar(sa.select(sa.func.count(Message.id)).where(
            Message.contact_id.in_([c.id for c in contacts])))
        assert count == 4
        assert await people.find_person(session, "phone", number) is None
        assert await blocks.active(session, person_id) is None, "the coordinator's words about them are gone too"
        again = await people.create_person(session, "phone", number, now)  # what intake does for a new number
        assert again.id != person_id and again.alias != alias
        entries = await audit.entries(session, "subject_erase")
        assert len(entries) == 1 and entries[0].detail["person"] == person_id
        assert entries[0].detail["reason"] == "SAR-2027-04 (ring [number])"
        assert entries[0].detail["identities"] == 1 and entries[0].detail["opt_outs"] == 1

    in_db(url, check)


def test_a_legal_hold_blocks_erasure_with_one_line_until_released(backend):
    url, now = backend.database_url, utcnow()

    async def build(session: Any) -> str:
        person, _ = await seed(session, "+447700900401", "tapirheld", opened=months_ago(3, now), closed=months_ago(2, now))
        return (await session.get(Person, person)).alias

    alias = in_db(url, build)
    held = run(url, "people", "hold", "--person", alias, "--reason", "Police investigation ref 99/1234567")
    assert held.returncode == 0 and f"legal hold on {alias}" in held.stdout
    refused = run(url, "people", "erase", "--person", alias, "--reason", "SAR-1")
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        f"helpline: {alias} is under a legal hold (Police investigation ref 99/1234567): release it first"]
    assert "tapirheld" in in_db(url, every_text)
    neither = run(url, "people", "hold", "--person", alias)
    assert neither.returncode == 2 and "--reason" in neither.stderr
    released = run(url, "people", "hold", "--person", alias, "--release")
    assert released.returncode == 0 and "released" in released.stdout
    assert run(url, "people", "erase", "--person", alias, "--reason", "SAR-1").returncode == 0
    assert "tapirheld" not in in_db(url, every_text)
    entries = in_db(url, lambda s: audit.entries(s))
    actions = [e.action for e in entries]
    assert actions == ["legal_hold_set", "legal_hold_released", "subject_erase"]
    assert entries[0].detail["reason"] == "Police investigation ref 99/[number]"
