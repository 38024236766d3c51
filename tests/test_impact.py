"""The impact figures on known data: pro-rated targets, RAG, percentiles, weeks, and the report
command's JSON."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from escalation.impact import (
    ReplyRow,
    SessionRow,
    Targets,
    build_report,
    by_week,
    percentile,
    rag,
)
from storage.models import Alert, Contact, Message, Person
from tests.test_cli import helpline

LONDON = ZoneInfo("Europe/London")


def test_targets_are_pro_rated_from_the_programme_and_rounded_up():
    assert Targets().pro_rated(1096) == (7000, 263)
    assert Targets().pro_rated(30) == (192, 8)  # 7000*30/1096 = 191.6; 263*30/1096 = 7.2


@pytest.mark.parametrize("actual, status", [(100, "green"), (120, "green"), (85, "amber"), (84, "red"), (0, "red")])
def test_rag_against_a_target_of_100(actual, status):
    assert rag(actual, 100, 0.85) == status


def test_percentiles_are_values_that_occurred():
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5) == 5
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert percentile([], 0.5) is None


def test_weeks_without_sessions_are_shown_as_zero():
    weeks = by_week([date(2026, 11, 3), date(2026, 11, 4)], date(2026, 10, 26), date(2026, 11, 15))
    assert weeks == [("2026-10-26", 0), ("2026-11-02", 2), ("2026-11-09", 0)]


def test_only_sessions_that_happened_count_and_people_are_counted_once():
    at = datetime(2026, 11, 10, 12, tzinfo=timezone.utc)
    sessions = [SessionRow(1, at, "support given", ("health",), "Anne"), SessionRow(1, at, "referred", (), "Anne"),
                SessionRow(2, at, "signposted", ("health", "accommodation"), "Ben"), SessionRow(3, at, "test", (), "Ben")]
    report = build_report(date(2026, 11, 1), date(2026, 11, 30), LONDON, Targets(sessions=1096, people=1096), sessions,
                          [ReplyRow("high", 4), ReplyRow("high", 10), ReplyRow("low", 60)], 5, 2, 1, {}, {})
    assert (report.sessions_delivered, report.people_mentored) == (3, 2)
    assert (report.sessions_target, report.people_target, report.rag) == (30, 30, "red")
    assert report.pathways == {"health": 2, "accommodation": 1}
    assert report.first_reply_minutes["high"] == {"contacts": 2, "median": 4, "p90": 10}
    assert report.outcomes["test"] == 1


def test_the_report_command_prints_json_with_the_figures_from_the_database(tmp_path):
    import asyncio

    from storage.db import create_engine, session_factory
    from storage.migrate import upgrade

    url = f"sqlite+aiosqlite:///{tmp_path / 'h.db'}"

    async def seed() -> None:
        engine = create_engine(url)
        await upgrade(engine)
        opened = datetime(2026, 11, 2, 9, tzinfo=timezone.utc)
        async with session_factory(engine)() as session, session.begin():
            for n, (outcome, minutes) in enumerate([("support given", 3), ("signposted", 8), ("no reply", None)]):
                person = Person(alias=f"P-{n}", language="en", created_at=opened)
                session.add(person)
                await session.flush()
                contact = Contact(person_id=person.id, channel="sms", status="closed", urgency="high", opened_at=opened,
                                  last_activity_at=opened, closed_at=opened + timedelta(hours=1), outcome=outcome,
                                  close_reason="session" if outcome != "no reply" else "no_reply", pathways=["health"])
                session.add(contact)
                await session.flush()
                session.add(Alert(contact_id=contact.id, level="high", step=n, state="accepted", opened_at=opened))
                if minutes:
                    session.add(Message(contact_id=contact.id, channel="sms", direction="out", sender_kind="mentor",
                                        body="hi", received_at=opened + timedelta(minutes=minutes)))
        await engine.dispose()

    asyncio.run(seed())
    result = helpline("report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "json",
                      env={"HELPLINE_DATABASE_URL": url, "HELPLINE_TARGET_SESSIONS": "1096", "HELPLINE_TARGET_PEOPLE": "73"})
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["sessions_delivered"] == 2 and figures["people_mentored"] == 2
    assert figures["sessions_target"] == 30 and figures["people_target"] == 2
    assert figures["rag"] == "red" and figures["people_rag"] == "green"
    assert figures["closed_no_reply"] == 1 and figures["alerts"] == 3 and figures["alerts_past_first"] == 2
    assert figures["first_reply_minutes"]["high"] == {"contacts": 2, "median": 3.0, "p90": 8.0}
    as_csv = helpline("report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv",
                      env={"HELPLINE_DATABASE_URL": url})
    assert "sessions_delivered,2" in as_csv.stdout
    bad = helpline("report", "--from", "2026-11-30", "--to", "2026-11-01", env={"HELPLINE_DATABASE_URL": url})
    assert bad.returncode == 2 and "--to" in bad.stderr


def test_users_add_reads_the_password_from_stdin_and_refuses_a_short_one(tmp_path):
    import subprocess
    import sys

    from tests.keys import child_env

    env = child_env()
    env["HELPLINE_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'h.db'}"
    run = lambda *args, password: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "bot", "users", "add", *args, "--password-stdin"], input=password + "\n",
        env=env, capture_output=True, text=True, timeout=60)
    assert run("cora", "--role", "coordinator", password="short").returncode == 1
    added = run("cora", "--role", "coordinator", password="a long enough password")
    assert added.returncode == 0 and "added coordinator account cora" in added.stdout
    assert "a long enough password" not in added.stdout + added.stderr
    again = run("cora", "--role", "coordinator", password="a long enough password")
    assert again.returncode == 1 and "already" in again.stderr
    orphan = run("mo", "--role", "mentor", password="a long enough password")
    assert orphan.returncode == 1 and "--mentor" in orphan.stderr
