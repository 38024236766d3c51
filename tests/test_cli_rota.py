"""The mentors and rota commands, as operators script them."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from typer.testing import CliRunner

from bot.cli import app


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run(tmp_path, *args) -> Result:
    """The command in this process (much faster than a subprocess), with a clean environment."""
    env = {k: None for k in os.environ if k.startswith("HELPLINE_")}
    env.update({"HELPLINE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/rota.db",
                "HELPLINE_TELEGRAM_BOT_USERNAME": "helpline_test_bot", "HELPLINE_TIMEZONE": "Europe/London",
                "COLUMNS": "200"})
    result = CliRunner().invoke(app, list(args), env=env)
    return Result(result.exit_code, result.stdout, result.stderr)


def test_mentors_are_added_listed_invited_and_deactivated(tmp_path):
    added = run(tmp_path, "mentors", "add", "--name", "Anthony Jones", "--phone", "+44 7700 900111",
                "--languages", "en,nl")
    run(tmp_path, "mentors", "add", "--name", "Chris Coord", "--role", "coordinator")
    invite = run(tmp_path, "mentors", "invite", "Anthony Jones")
    again = run(tmp_path, "mentors", "invite", "Anthony Jones")
    run(tmp_path, "mentors", "deactivate", "Chris Coord")
    listing = run(tmp_path, "mentors", "list")

    assert added.returncode == 0 and "added mentor Anthony Jones" in added.stdout
    assert re.fullmatch(r"https://t\.me/helpline_test_bot\?start=[A-Za-z0-9_-]{16,}\n", invite.stdout)
    assert invite.stdout != again.stdout, "each invite is a new single-use code"
    assert "Anthony Jones" in listing.stdout and "nl" in listing.stdout
    chris = [line for line in listing.stdout.splitlines() if "Chris Coord" in line][0]
    assert "coordinator" in chris and "no" in chris


def test_when_a_mentor_may_be_woken_by_a_call_is_set_and_listed(tmp_path):
    run(tmp_path, "mentors", "add", "--name", "Night Owl", "--phone", "+447700900112")
    chosen = run(tmp_path, "mentors", "calls", "Night Owl", "22:00-08:00")
    wrong = run(tmp_path, "mentors", "calls", "Night Owl", "after ten")
    listing = run(tmp_path, "mentors", "list")

    assert chosen.returncode == 0 and "Night Owl may be called: 22:00-08:00" in chosen.stdout
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1 and "calls: 'after ten'" in wrong.stderr
    assert "22:00-08:00" in [line for line in listing.stdout.splitlines() if "Night Owl" in line][0]


def test_a_duplicate_or_unknown_mentor_is_one_line_on_stderr(tmp_path):
    run(tmp_path, "mentors", "add", "--name", "Anne")
    duplicate = run(tmp_path, "mentors", "add", "--name", "Anne")
    unknown = run(tmp_path, "rota", "add", "--mentor", "Nobody", "--day", "mon", "--from", "09:00",
                  "--to", "17:00", "--role", "primary")
    assert duplicate.returncode == 1 and duplicate.stderr.strip() == "helpline: there is already a mentor called 'Anne'"
    assert unknown.returncode == 1 and "no mentor called 'Nobody'" in unknown.stderr


def test_rota_shifts_overrides_show_and_gaps(tmp_path):
    run(tmp_path, "mentors", "add", "--name", "Anne")
    run(tmp_path, "mentors", "add", "--name", "Dev")
    for day in ("mon", "tue", "wed", "thu"):
        assert run(tmp_path, "rota", "add", "--mentor", "Anne", "--day", day, "--from", "22:00", "--to", "08:00",
                   "--role", "primary").returncode == 0
    gaps = run(tmp_path, "rota", "gaps", "--days", "7")  # any week holds the Tue-Thu daytime gaps
    show = run(tmp_path, "rota", "show", "--week")
    removed = run(tmp_path, "rota", "remove", "--mentor", "Anne", "--day", "thu")
    override = run(tmp_path, "rota", "override", "--mentor", "Dev", "--from", "2030-01-01T08:00",
                   "--to", "2030-01-01T18:00", "--role", "primary")

    assert gaps.stdout.count("GAP") >= 2 and "08:00 to" in gaps.stdout and "22:00" in gaps.stdout
    assert "Anne" in show.stdout and "primary" in show.stdout
    assert "removed 1 shift(s) of Anne on thu" in removed.stdout
    assert override.returncode == 0 and "Dev: cover primary from Tue 2030-01-01 08:00" in override.stdout


def test_a_shift_past_the_wellbeing_caps_is_refused_unless_a_coordinator_overrides(tmp_path):
    run(tmp_path, "mentors", "add", "--name", "Anne")
    run(tmp_path, "mentors", "add", "--name", "Chris", "--role", "coordinator")
    for day in ("mon", "tue", "wed", "thu"):
        run(tmp_path, "rota", "add", "--mentor", "Anne", "--day", day, "--from", "22:00", "--to", "08:00",
            "--role", "primary")
    fifth = ("rota", "add", "--mentor", "Anne", "--day", "fri", "--from", "22:00", "--to", "08:00", "--role", "primary")

    refused = run(tmp_path, *fifth)
    not_a_coordinator = run(tmp_path, *fifth, "--override-caps", "Anne")
    allowed = run(tmp_path, *fifth, "--override-caps", "Chris")
    show = run(tmp_path, "rota", "show", "--week")

    assert refused.returncode == 1
    assert refused.stderr.startswith("helpline: refused: Anne would have 50 hours on call in the 7 days")
    assert "cap 48" in refused.stderr and "--override-caps" in refused.stderr
    assert not_a_coordinator.returncode == 1 and "not an active coordinator" in not_a_coordinator.stderr
    assert allowed.returncode == 0 and "allowed by Chris past the cap" in allowed.stdout
    assert show.stdout.count("Anne") >= 4

    import asyncio

    from storage import audit
    from storage.db import create_engine, session_factory

    async def logged():
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/rota.db")
        async with session_factory(engine)() as session:
            found = await audit.entries(session, "wellbeing_cap_override")
        await engine.dispose()
        return found

    [entry] = asyncio.run(logged())
    assert entry.actor.startswith("mentor:") and "50 hours" in entry.detail["breach"]


def test_bad_rota_input_names_the_option(tmp_path):
    run(tmp_path, "mentors", "add", "--name", "Anne")
    bad_day = run(tmp_path, "rota", "add", "--mentor", "Anne", "--day", "funday", "--from", "09:00",
                  "--to", "17:00", "--role", "primary")
    bad_time = run(tmp_path, "rota", "add", "--mentor", "Anne", "--day", "mon", "--from", "9am",
                   "--to", "17:00", "--role", "primary")
    backwards = run(tmp_path, "rota", "override", "--mentor", "Anne", "--from", "2030-01-02T10:00",
                    "--to", "2030-01-01T10:00", "--role", "primary")
    assert bad_day.returncode == 2 and "--day" in bad_day.stderr and "mon..sun" in bad_day.stderr
    assert bad_time.returncode == 2 and "--from" in bad_time.stderr
    assert backwards.returncode == 2 and "--to" in backwards.stderr
