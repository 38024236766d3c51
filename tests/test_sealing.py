"""Encryption at rest: what people wrote, their numbers and chat ids, names, notes and referral
contents are sealed in the database, found again by keyed hash, readable after a key rotation,
and a wrong or missing key stops the helpline with one line."""

from __future__ import annotations

import os
import stat
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.engine import make_url

from storage import audit, people, sealing
from storage import referrals as referral_store
from storage.models import Base, Contact, ContactEvent, Mentor, Message, OutboxItem, SealingCheck
from storage.resealing import SEALED_COLUMNS
from storage.sealing import PREFIX, Keyring, _Sealed, lookup_key
from tests.keys import TEST_KEYRING
from tests.night_kit import ANNE, AT_3AM, buttons, open_line
from tests.servers import postgres_bin
from tests.test_cli import helpline
from tests.test_cli_referrals import in_db, run

UTC = timezone.utc
NUMBER = "+447700900417"
CHAT = 918273645
PLANTED = (NUMBER, str(CHAT), "Quartermain", "Brackenfold", "Cormorant Wharf", "Ysolde", "Marrowgate")


async def _plant(line: Any) -> int:
    """A person texts, their mentor answers and notes, another writes on Telegram, a referral
    names someone: each carries a planted word that must not be readable at rest."""
    await line.sms("I can't cope at the Quartermain hostel tonight", sender=NUMBER)
    accept = next(data for _, data in buttons(line.cards_to(ANNE)[-1]) if data.endswith(":accept"))
    await line.tap(ANNE, accept)
    contact = int(accept.split(":")[1])
    await line.telegram(ANNE, "Hold on, I know Brackenfold Lane, I'm here")
    await line.telegram(ANNE, "/note staying with Ysolde for now")
    await line.telegram(CHAT, "I sleep at Cormorant Wharf and I'm scared")
    async with line.sessions() as session, session.begin():
        person = await people.find_person(session, "phone", NUMBER)
        referral = await referral_store.create(session, contact_id=contact, person_id=person.id, kind="marac",
                                               reason="mentor", actor="mentor:1", now=AT_3AM, agency_id=None)
        referral_store.set_details(referral, {"victim_name": "Ysolde Marrowgate"})
        await audit.record(session, "coordinator:Cara", "number_revealed", AT_3AM, reason="welfare check, Marrowgate")
    return contact


def _raw_sqlite(url: str) -> bytes:
    path = Path(make_url(url).database)
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


def _pg_dump(url: str) -> bytes:
    where = make_url(url)
    return subprocess.run([postgres_bin("pg_dump"), "-h", "127.0.0.1", "-p", str(where.port), "-U", "postgres",
                           "--no-owner", where.database], capture_output=True, check=True, timeout=60).stdout


async def test_the_database_file_and_a_dump_hold_none_of_what_was_planted(backend, sessions, fake_bot, fake_twilio,
                                                                          start_helpline):
    line = await open_line(backend, sessions, fake_bot, fake_twilio, start_helpline, AT_3AM)
    contact = await _plant(line)

    assert any("Brackenfold" in text for text in line.texts_to(NUMBER)), "the mentor's answer was relayed"
    async with sessions() as session:  # and everything reads back through the helpline's own code
        bodies = list(await session.scalars(select(Message.body).order_by(Message.id)))
        person = await people.find_person(session, "phone", NUMBER)
        note = await session.scalar(select(Contact.note).where(Contact.id == contact))
        serving = await session.scalar(select(SealingCheck.serving))
    assert any("Quartermain" in b for b in bodies) and any("Cormorant Wharf" in b for b in bodies)
    assert person is not None and note == "staying with Ysolde for now"
    assert serving == TEST_KEYRING.current_id.hex(), "the running helpline said which keys it holds"

    raw = _raw_sqlite(backend.database_url) if backend.name == "sqlite" else _pg_dump(backend.database_url)
    assert person.alias.encode() in raw, "the copy holds the database (aliases are not sealed)"
    found = [word for word in PLANTED if word.encode() in raw]
    assert found == [], f"readable at rest: {found}"


def test_every_sealed_column_of_the_models_is_rewritten_by_a_rotation():
    sealed = {(table.name, column.name) for table in Base.metadata.tables.values() for column in table.columns
              if isinstance(column.type, _Sealed)}
    assert sealed == {(c.table, c.column) for c in SEALED_COLUMNS}
    keyed = {(c.table, c.column) for c in SEALED_COLUMNS if c.key_column}
    assert keyed == {("identities", "address"), ("outbox", "address"), ("opt_outs", "address"),
                     ("mentors", "telegram_chat_id"), ("mentors", "phone"), ("agencies", "address")}


async def _seed(session: Any) -> dict[str, Any]:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    person = await people.create_person(session, "phone", NUMBER, now)
    contact = Contact(person_id=person.id, channel="sms", status="closed", urgency="high", opened_at=now,
                      last_activity_at=now, closed_at=now, note="Ysolde visits on Sundays")
    session.add(contact)
    await session.flush()
    session.add_all([Message(contact_id=contact.id, channel="sms", direction="in", sender_kind="person",
                             body=f"message {n} from Brackenfold", received_at=now, level="high",
                             triage={"matched": [{"phrase": "Brackenfold"}]}) for n in range(3)])
    session.add(ContactEvent(contact_id=contact.id, kind="triage_corrected", actor="mentor:1", at=now,
                             data={"reason": "Marrowgate said more on the phone"}))
    session.add(Mentor(name="Rotating Rita", telegram_chat_id=str(CHAT), phone="+447700900555", created_at=now))
    session.add(OutboxItem(dedupe_key="rotation-1", contact_id=contact.id, channel="sms", address=NUMBER,
                           body="Cormorant Wharf is on the way", options={"buttons": [["Quartermain", "x"]]},
                           next_attempt_at=now, created_at=now, status="sent"))
    await session.flush()
    return {"person": person.id, "contact": contact.id}


async def _read_back(session: Any, ids: dict[str, Any]) -> dict[str, Any]:
    person = await people.find_person(session, "phone", NUMBER)
    mentor = await session.scalar(select(Mentor).where(Mentor.telegram_chat_key == lookup_key(str(CHAT))))
    return {
        "person": person.id if person else None,
        "bodies": list(await session.scalars(select(Message.body).where(Message.contact_id == ids["contact"])
                                             .order_by(Message.id))),
        "triage": (await session.scalars(select(Message.triage))).first(),
        "note": await session.scalar(select(Contact.note).where(Contact.id == ids["contact"])),
        "event": await session.scalar(select(ContactEvent.data).where(ContactEvent.kind == "triage_corrected")),
        "mentor": (mentor.name, mentor.phone) if mentor else None,
        "outbox": tuple((await session.execute(select(OutboxItem.address, OutboxItem.body, OutboxItem.options)
                                         .where(OutboxItem.dedupe_key == "rotation-1"))).one()),
    }


def _stored_key_ids(url: str) -> set[bytes]:
    """The key each stored sealed value names, read below the column types."""
    import asyncio

    from storage.db import create_engine

    async def go() -> set[bytes]:
        engine = create_engine(url)
        found: set[bytes] = set()
        try:
            async with engine.connect() as connection:
                for target in SEALED_COLUMNS:
                    values = await connection.scalars(sa.text(f"SELECT {target.column} FROM {target.table} "
                                                              f"WHERE {target.column} IS NOT NULL"))
                    for value in values:
                        text = str(value)
                        assert text == "" or text.startswith(PREFIX), (target, "stored unsealed")
                        if text:
                            import base64
                            found.add(base64.urlsafe_b64decode(text[len(PREFIX):])[:4])
        finally:
            await engine.dispose()
        return found

    return asyncio.run(go())


def _serving(url: str, keyring: Keyring) -> None:
    """What a helpline's start-up records: the keys it holds."""
    import asyncio

    from storage.db import create_engine
    from storage.keycheck import record_serving

    async def go() -> None:
        engine = create_engine(url)
        try:
            async with engine.begin() as connection:
                await record_serving(connection)
        finally:
            await engine.dispose()

    sealing.use(keyring)
    try:
        asyncio.run(go())
    finally:
        sealing.use(TEST_KEYRING)


def _keys_env(keys: str, lookup: str | None = None) -> dict[str, str]:
    return {"HELPLINE_ENCRYPTION_KEYS": keys, "HELPLINE_LOOKUP_KEY": lookup or os.environ["HELPLINE_LOOKUP_KEY"]}


def rotate(url: str, env: dict[str, str]) -> Any:
    return run(url, "keys", "rotate", settings=env)


def test_a_rotation_re_seals_every_record_with_the_new_key_and_all_stay_readable(backend):
    url = backend.database_url
    ids = in_db(url, _seed)
    before = in_db(url, lambda s: _read_back(s, ids))
    assert before["person"] == ids["person"] and before["note"] == "Ysolde visits on Sundays"
    old_key = os.environ["HELPLINE_ENCRYPTION_KEYS"]
    new_key = sealing.new_key()

    _serving(url, TEST_KEYRING)  # the helpline was started with the old key only
    refused = rotate(url, _keys_env(f"{new_key},{old_key}"))
    assert refused.returncode == 1 and refused.stderr.strip().splitlines() == [
        "helpline: the helpline last started on this database does not hold the new key: restart it with "
        "HELPLINE_ENCRYPTION_KEYS=<new key>,<old keys> first (or pass --not-running if none uses it)"]
    assert _stored_key_ids(url) == {TEST_KEYRING.current_id}, "nothing was re-sealed"

    _serving(url, Keyring.from_text(f"{new_key},{old_key}", os.environ["HELPLINE_LOOKUP_KEY"]))  # restarted
    result = rotate(url, _keys_env(f"{new_key},{old_key}"))
    assert result.returncode == 0, result.output
    assert "re-sealed" in result.stdout and "with the newest key" in result.stdout
    assert "contact_events.data" in result.stderr, "the progress bar names each column"

    only_new = Keyring.from_text(new_key, os.environ["HELPLINE_LOOKUP_KEY"])
    sealing.use(only_new)
    assert _stored_key_ids(url) == {only_new.current_id}
    assert in_db(url, lambda s: _read_back(s, ids)) == before
    again = rotate(url, _keys_env(new_key))
    assert again.returncode == 0 and "re-sealed 0 values" in again.stdout, again.output


def test_the_review_trail_stays_append_only_outside_a_rotation(backend):
    ids = in_db(backend.database_url, _seed)

    async def rewrite(session: Any) -> None:
        await session.execute(sa.update(ContactEvent).where(ContactEvent.contact_id == ids["contact"])
                              .values(data={"reason": "changed"}))

    with pytest.raises(Exception, match="append-only"):
        in_db(backend.database_url, rewrite)


def test_a_wrong_key_fails_loudly_with_one_line_and_changes_nothing(backend, tmp_path):
    url = backend.database_url
    in_db(url, _seed)
    stranger = sealing.new_key()
    result = helpline("db", "upgrade", env={"HELPLINE_DATABASE_URL": url, **_keys_env(stranger)}, cwd=str(tmp_path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert lines[0].startswith("helpline: HELPLINE_ENCRYPTION_KEYS: none of the keys opens")
    assert stranger not in result.stderr and "Traceback" not in result.stderr

    turned = helpline("keys", "rotate", env={"HELPLINE_DATABASE_URL": url, **_keys_env(stranger)}, cwd=str(tmp_path))
    assert turned.returncode != 0 and "none of the keys opens" in turned.stderr
    assert _stored_key_ids(url) == {TEST_KEYRING.current_id}, "nothing was re-sealed"


def test_a_changed_lookup_key_or_no_keys_at_all_is_one_line_naming_the_setting(backend, tmp_path):
    url = backend.database_url
    in_db(url, _seed)
    other_lookup = helpline("db", "upgrade", cwd=str(tmp_path), env={
        "HELPLINE_DATABASE_URL": url, **_keys_env(os.environ["HELPLINE_ENCRYPTION_KEYS"], sealing.new_key())})
    assert other_lookup.returncode == 2
    assert other_lookup.stderr.strip().splitlines() == [
        "helpline: HELPLINE_LOOKUP_KEY is not the key this database's lookups were made with "
        "(put the old one back; numbers would no longer be recognised)"]
    none = helpline("db", "upgrade", cwd=str(tmp_path), env={
        "HELPLINE_DATABASE_URL": url, "HELPLINE_ENCRYPTION_KEYS": "", "HELPLINE_LOOKUP_KEY": ""})
    assert none.returncode == 2 and len(none.stderr.strip().splitlines()) == 1
    assert "HELPLINE_ENCRYPTION_KEYS and HELPLINE_LOOKUP_KEY are not set" in none.stderr
    assert "helpline keys new" in none.stderr


def test_run_refuses_to_start_without_keys_and_says_how_to_make_them(tmp_path):
    result = helpline("run", cwd=str(tmp_path), env={"HELPLINE_ENCRYPTION_KEYS": "", "HELPLINE_LOOKUP_KEY": "",
                                                     "HELPLINE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/h.db"})
    assert result.returncode == 2 and "Make them with `helpline keys new`" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "h.db").exists(), "nothing was created"

    bad = helpline("run", cwd=str(tmp_path), env={"HELPLINE_ENCRYPTION_KEYS": "not-a-key"})
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "helpline: HELPLINE_ENCRYPTION_KEYS: each key must be 32 bytes in url-safe base64 "
        "(make them with `helpline keys new`)"]


def test_keys_new_prints_two_settings_that_work():
    result = run("sqlite+aiosqlite:///unused.db", "keys", "new")
    assert result.returncode == 0
    settings = dict(line.split("=", 1) for line in result.stdout.strip().splitlines())
    assert set(settings) == {"HELPLINE_ENCRYPTION_KEYS", "HELPLINE_LOOKUP_KEY"}
    keyring = Keyring.from_text(settings["HELPLINE_ENCRYPTION_KEYS"], settings["HELPLINE_LOOKUP_KEY"])
    assert keyring.open(keyring.seal("Brackenfold")) == "Brackenfold"
    assert settings["HELPLINE_ENCRYPTION_KEYS"] != settings["HELPLINE_LOOKUP_KEY"]


def test_the_demo_makes_its_own_key_file_once_readable_by_its_owner_only(tmp_path):
    from bot.keys import demo_keys
    from bot.settings import Settings

    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/helpline-demo.db", _env_file=None,
                        encryption_keys=None, lookup_key=None)
    first = demo_keys(settings)
    path = tmp_path / "helpline-demo.keys"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    second = demo_keys(settings)
    assert first.encryption_keys.get_secret_value() == second.encryption_keys.get_secret_value()
    assert first.lookup_key.get_secret_value() != first.encryption_keys.get_secret_value()


def test_a_database_written_before_encryption_is_sealed_by_the_upgrade_and_opened_by_a_downgrade(backend):
    """Migration 0014 on a database with plaintext rows: sealed with the keys given, found again
    by keyed hash; its downgrade puts the plaintext back."""
    import asyncio

    from alembic import command

    from storage.db import create_engine
    from storage.migrate import alembic_config

    engine = create_engine(backend.database_url)

    async def migrate(step: str, revision: str) -> None:
        async with engine.begin() as connection:
            await connection.run_sync(lambda sync: getattr(command, step)(alembic_config(sync), revision))

    async def raw(sql: str) -> list[Any]:
        async with engine.begin() as connection:
            result = await connection.execute(sa.text(sql))
            return list(result.all()) if result.returns_rows else []

    async def go() -> tuple[Any, ...]:
        await migrate("downgrade", "0013_retention")
        await raw("INSERT INTO people (id, alias, language, created_at, iom_cohort) "
                  "VALUES (7, 'P-OLDONE', 'en', '2026-01-01', false)")
        await raw(f"INSERT INTO identities (id, person_id, kind, address, created_at) "
                  f"VALUES (7, 7, 'phone', '{NUMBER}', '2026-01-01')")
        await raw("INSERT INTO contacts (id, person_id, channel, status, opened_at, last_activity_at) "
                  "VALUES (7, 7, 'sms', 'open', '2026-01-01', '2026-01-01')")
        await raw("INSERT INTO messages (id, contact_id, channel, direction, sender_kind, body, received_at, triage) "
                  "VALUES (7, 7, 'sms', 'in', 'person', 'old words from Brackenfold', '2026-01-01', "
                  "'{\"matched\": [{\"phrase\": \"Brackenfold\"}]}')")
        await raw("INSERT INTO contact_events (contact_id, at, kind, actor, data) "
                  "VALUES (7, '2026-01-01', 'opened', 'intake', '{\"why\": \"Marrowgate\"}')")
        await migrate("upgrade", "head")
        sealed = await raw("SELECT body, triage FROM messages WHERE id = 7") + \
            await raw("SELECT address, address_key FROM identities WHERE id = 7") + \
            await raw("SELECT data FROM contact_events WHERE contact_id = 7")
        async with engine.begin() as connection:
            from sqlalchemy.ext.asyncio import AsyncSession

            async with AsyncSession(connection) as session:
                found = await people.find_person(session, "phone", NUMBER)
                body = await session.scalar(select(Message.body).where(Message.id == 7))
                triage = await session.scalar(select(Message.triage).where(Message.id == 7))
        await migrate("downgrade", "0013_retention")
        opened = await raw("SELECT body FROM messages WHERE id = 7") + await raw("SELECT address FROM identities WHERE id = 7")
        await migrate("upgrade", "head")
        return sealed, found, body, triage, opened

    try:
        sealed, found, body, triage, opened = asyncio.run(go())
    finally:
        asyncio.run(engine.dispose())
    cells = [str(cell) for row in sealed for cell in row]
    assert all("Brackenfold" not in c and NUMBER not in c and "Marrowgate" not in c for c in cells)
    assert cells[2].startswith(PREFIX) and cells[3] == lookup_key(NUMBER)
    assert found is not None and found.alias == "P-OLDONE"
    assert body == "old words from Brackenfold" and triage == {"matched": [{"phrase": "Brackenfold"}]}
    assert [tuple(row) for row in opened] == [("old words from Brackenfold",), (NUMBER,)]
