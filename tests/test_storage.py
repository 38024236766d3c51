"""Storage rules that hold on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from escalation.intake import InboundMessage, Intake
from storage import contacts, people
from storage.events import append_event
from escalation.triage.classifier import default_triage
from storage.kv import MemoryStore
from storage.models import Contact
from tests.db_queries import event_kinds, rows, summary

T0 = datetime(2026, 11, 23, 22, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def sms(sid: str, text: str = "hello", sender: str = "+447700900123", at: datetime = T0) -> InboundMessage:
    return InboundMessage(channel="sms", sender=sender, text=text, provider_message_id=sid, received_at=at)


def telegram(msg_id: int, chat: int = 555, text: str = "hello", at: datetime = T0) -> InboundMessage:
    return InboundMessage(channel="telegram", sender=str(chat), text=text,
                          provider_message_id=f"{chat}:{msg_id}", received_at=at)


def intake_for(sessions, clock: Clock, idle_hours: float = 12, kv=None) -> Intake:
    return Intake(sessions, kv or MemoryStore(), triage=default_triage(),
                  idle_after=timedelta(hours=idle_hours), clock=clock, privacy_notice=False)


async def test_linked_sms_and_telegram_identities_land_in_one_contact(sessions):
    clock = Clock(T0)
    intake = intake_for(sessions, clock)
    first = await intake.receive(sms("SM1"))
    async with sessions() as session, session.begin():
        await people.link_identity(session, first.person_id, "telegram", "555", T0, actor="coordinator:1")

    clock.now = T0 + timedelta(minutes=5)
    second = await intake.receive(telegram(1, chat=555, at=clock.now))

    assert second.person_id == first.person_id
    assert second.contact_id == first.contact_id and not second.new_contact
    assert await summary(sessions) == {"people": 1, "contacts": 1, "messages_in": 2, "outbox": 1}


async def test_linking_two_known_people_merges_them_and_keeps_one_open_contact(sessions):
    clock = Clock(T0)
    intake = intake_for(sessions, clock)
    by_sms = await intake.receive(sms("SM1"))
    by_telegram = await intake.receive(telegram(1, chat=777))
    assert by_sms.person_id != by_telegram.person_id

    async with sessions() as session, session.begin():
        await people.link_identity(session, by_sms.person_id, "telegram", "777", T0, actor="coordinator:1")
    later = await intake.receive(telegram(2, chat=777, at=T0 + timedelta(minutes=1)))

    assert later.person_id == by_sms.person_id and later.contact_id == by_sms.contact_id
    merged = await rows(sessions, Contact, Contact.id == by_telegram.contact_id)
    assert merged[0].status == "closed" and merged[0].close_reason == "merged"
    assert merged[0].person_id == by_sms.person_id, "history moves with the merge"


async def test_a_contact_idle_past_the_limit_is_closed_and_a_new_one_opens(sessions):
    clock = Clock(T0)
    intake = intake_for(sessions, clock, idle_hours=12)
    first = await intake.receive(sms("SM1"))
    clock.now = T0 + timedelta(hours=11, minutes=59)
    same = await intake.receive(sms("SM2", at=clock.now))
    clock.now = same_time = clock.now + timedelta(hours=12, minutes=1)
    fresh = await intake.receive(sms("SM3", at=same_time))

    assert same.contact_id == first.contact_id
    assert fresh.contact_id != first.contact_id and fresh.new_contact and not fresh.new_person
    old = (await rows(sessions, Contact, Contact.id == first.contact_id))[0]
    assert (old.status, old.close_reason) == ("closed", "idle")
    assert await event_kinds(sessions, first.contact_id) == [
        "contact_opened", "message_received", "urgency_raised", "reply_queued", "message_received",
        "contact_closed"]
    assert (await summary(sessions))["outbox"] == 2, "a returning person is acknowledged again"


async def test_the_event_log_refuses_updates_and_deletes(sessions):
    intake = intake_for(sessions, Clock(T0))
    result = await intake.receive(sms("SM1"))

    for statement in ("UPDATE contact_events SET kind = 'x'", "DELETE FROM contact_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with sessions() as session, session.begin():
                await session.execute(text(statement))
    assert len(await event_kinds(sessions, result.contact_id)) == 4


async def test_only_one_open_contact_per_person(sessions):
    intake = intake_for(sessions, Clock(T0))
    result = await intake.receive(sms("SM1"))

    with pytest.raises(IntegrityError):
        async with sessions() as session, session.begin():
            await contacts.open_contact(session, result.person_id, "sms", T0)


async def test_events_record_who_did_what(sessions):
    intake = intake_for(sessions, Clock(T0))
    result = await intake.receive(sms("SM1"))
    async with sessions() as session, session.begin():
        await append_event(session, result.contact_id, "note", "mentor:3", T0, words=4)
    kinds = await event_kinds(sessions, result.contact_id)
    assert kinds[-1] == "note"


async def test_concurrent_deliveries_of_one_message_store_it_once(sessions, backend):
    import asyncio

    intake = intake_for(sessions, Clock(T0))
    results = await asyncio.gather(*[intake.receive(sms("SM-dup")) for _ in range(5)])

    assert sum(not r.duplicate for r in results) == 1
    assert await summary(sessions) == {"people": 1, "contacts": 1, "messages_in": 1, "outbox": 1}


async def test_concurrent_first_messages_of_a_new_person_make_one_person_and_one_contact(sessions):
    import asyncio

    intake = intake_for(sessions, Clock(T0))
    results = await asyncio.gather(*[intake.receive(sms(f"SM-{i}", text=f"msg {i}")) for i in range(5)])

    assert len({r.person_id for r in results}) == 1
    assert len({r.contact_id for r in results}) == 1
    assert await summary(sessions) == {"people": 1, "contacts": 1, "messages_in": 5, "outbox": 1}


async def test_intake_still_stores_when_redis_is_down(sessions):
    from storage.kv import RedisStore
    from tests.servers import free_port

    dead = RedisStore(f"redis://127.0.0.1:{free_port()}/0")
    intake = intake_for(sessions, Clock(T0), kv=dead)

    first = await intake.receive(sms("SM1"))
    again = await intake.receive(sms("SM1"))

    assert not first.duplicate and again.duplicate
    assert (await summary(sessions))["messages_in"] == 1
    await dead.close()


async def test_redis_remembers_stored_deliveries(sessions, redis_server):
    from storage.kv import RedisStore

    store = RedisStore(redis_server.url)
    intake = intake_for(sessions, Clock(T0), kv=store)
    await intake.receive(sms("SM-redis"))

    assert await store.seen("seen:sms:SM-redis")
    assert (await intake.receive(sms("SM-redis"))).duplicate
    await store.close()


async def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path):
    import os
    import stat

    from sqlalchemy import text

    from storage.db import create_engine

    old = os.umask(0o022)  # a usual umask would give 0644
    try:
        path = tmp_path / "private" / "helpline.db"
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x TEXT)"))
            await connection.execute(text("INSERT INTO t VALUES ('what someone wrote')"))
        await engine.dispose()
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in path.parent.iterdir()}
    assert modes["helpline.db"] == 0o600, modes
    assert all(mode == 0o600 for mode in modes.values()), modes
