"""``helpline users`` and ``helpline mentors deactivate`` as an operator uses them: each change
takes effect on the dashboard's log-in at once and is audited."""

from __future__ import annotations

import asyncio
import os
from datetime import timedelta
from typing import Any, Awaitable, Callable
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from bot.accounts import Accounts, LoginRefused, may_try_again_at
from bot.cli import app
from storage import audit
from storage.db import create_engine, session_factory
from storage.types import utcnow
from tests.routing_kit import Clock
from tests.test_cli_rota import Result

PASSWORD = "a long test password"


def _on_dashboard(tmp_path, work: Callable[[Accounts, Any], Awaitable[Any]], clock: Clock | None = None) -> Any:
    """Run ``work`` against the same database as the dashboard would: its log-in and a session."""
    async def go() -> Any:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/rota.db")
        try:
            sessions = session_factory(engine)
            return await work(Accounts(sessions, clock or Clock(utcnow())), sessions)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def _logs_in(tmp_path, username: str, password: str = PASSWORD, clock: Clock | None = None) -> str | None:
    """The session token, or None if the log-in is refused."""
    async def work(accounts: Accounts, sessions: Any) -> str | None:
        try:
            return await accounts.log_in(username, password, "192.0.2.1")
        except LoginRefused:
            return None

    return _on_dashboard(tmp_path, work, clock)


def _session_alive(tmp_path, token: str) -> bool:
    async def work(accounts: Accounts, sessions: Any) -> bool:
        return await accounts.user_of(token) is not None

    return _on_dashboard(tmp_path, work)


def _audit(tmp_path) -> list[tuple[str, str, dict]]:
    async def work(accounts: Accounts, sessions: Any) -> list[tuple[str, str, dict]]:
        async with sessions() as session:
            return [(e.actor, e.action, e.detail) for e in await audit.entries(session)]

    return _on_dashboard(tmp_path, work)


def run(tmp_path, *args: str, stdin: str | None = None, **settings: str) -> Result:
    """The command in this process, with a clean environment (as tests/test_cli_rota.py does)."""
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("HELPLINE_")}
    env.update({"HELPLINE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/rota.db", "COLUMNS": "200", **settings})
    result = CliRunner().invoke(app, list(args), env=env, input=stdin)
    return Result(result.exit_code, result.stdout, result.stderr)


def _add(tmp_path, username: str, *options: str) -> None:
    added = run(tmp_path, "users", "add", username, *options, "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr


@pytest.fixture
def team(tmp_path):
    run(tmp_path, "mentors", "add", "--name", "Anne Jones")
    _add(tmp_path, "cora", "--role", "coordinator")
    _add(tmp_path, "anne", "--role", "mentor", "--mentor", "Anne Jones")
    return tmp_path


def _line(listing: str, username: str) -> str:
    [line] = [row for row in listing.splitlines() if f" {username} " in f" {row} "]
    return line


def test_users_list_shows_each_account_but_never_a_password_hash(team):
    assert _logs_in(team, "anne")
    listing = run(team, "users", "list")
    assert listing.returncode == 0
    for column in ("username", "role", "mentor", "active", "locked until", "last log-in"):
        assert column in listing.stdout
    assert "Anne Jones" in _line(listing.stdout, "anne") and "never" not in _line(listing.stdout, "anne")
    assert "never" in _line(listing.stdout, "cora")
    assert "argon2" not in listing.stdout


def test_disable_ends_the_sessions_at_once_enable_lets_back_in_and_both_are_audited(team):
    token = _logs_in(team, "anne")
    disabled = run(team, "users", "disable", "anne")
    assert disabled.returncode == 0 and "anne can no longer log in" in disabled.stdout
    assert not _session_alive(team, token), "an open browser is logged out"
    assert _logs_in(team, "anne") is None
    assert " no " in _line(run(team, "users", "list").stdout, "anne")

    enabled = run(team, "users", "enable", "anne")
    assert enabled.returncode == 0 and _logs_in(team, "anne")
    actions = [(actor.split(":")[0], action, detail["username"]) for actor, action, detail in _audit(team)]
    assert ("cli", "user_disabled", "anne") in actions and ("cli", "user_enabled", "anne") in actions


def test_reset_password_ends_the_sessions_and_only_the_new_password_works(team):
    token = _logs_in(team, "cora")
    reset = run(team, "users", "reset-password", "cora", "--password-stdin", stdin="another long password\n")
    assert reset.returncode == 0, reset.stderr
    assert not _session_alive(team, token)
    assert _logs_in(team, "cora") is None
    assert _logs_in(team, "cora", "another long password")
    short = run(team, "users", "reset-password", "cora", "--password-stdin", stdin="short\n")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    assert _logs_in(team, "cora", "another long password"), "a refused reset changes nothing"
    assert [a for _, a, d in _audit(team) if d.get("username") == "cora"].count("user_password_reset") == 1


def test_enable_lifts_the_wait_after_failed_log_ins(team):
    clock = Clock(utcnow())
    for _ in range(15):
        _wait_out(team, "cora", clock)
        assert _logs_in(team, "cora", "guessing wrong", clock) is None
    assert _logs_in(team, "cora", PASSWORD, clock) is None, "the right password waits too"
    until = (clock.now + timedelta(minutes=15)).astimezone(ZoneInfo("Europe/London")).strftime("%Y-%m-%d %H:%M:%S")
    assert until in _line(run(team, "users", "list").stdout, "cora")

    enabled = run(team, "users", "enable", "cora")
    assert "the delay after failed log-ins is lifted" in enabled.stdout
    assert _logs_in(team, "cora", PASSWORD, clock), "at once, no waiting"
    assert until not in _line(run(team, "users", "list").stdout, "cora")


def _wait_out(tmp_path, username: str, clock: Clock) -> None:
    """Move the clock to the end of the account's running wait, if there is one."""
    async def work(accounts: Accounts, sessions: Any) -> Any:
        async with sessions() as session:
            return await may_try_again_at(session, username, clock.now)

    clock.now = _on_dashboard(tmp_path, work, clock) or clock.now


@pytest.mark.parametrize("command", [("disable", "nobody"), ("enable", "nobody"),
                                     ("reset-password", "nobody", "--password-stdin")])
def test_an_unknown_username_is_one_line_and_exit_code_2(team, command):
    result = run(team, "users", *command, stdin=PASSWORD + "\n")
    assert result.returncode == 2
    assert result.stderr == "helpline: no dashboard user called 'nobody' (see: helpline users list)\n"


def test_mentors_deactivate_disables_the_mentors_dashboard_log_in(team):
    token = _logs_in(team, "anne")
    result = run(team, "mentors", "deactivate", "Anne Jones")
    assert result.returncode == 0 and "dashboard log-in anne disabled" in result.stdout
    assert not _session_alive(team, token) and _logs_in(team, "anne") is None
    actions = {action for _, action, _ in _audit(team)}
    assert {"mentor_deactivated", "user_disabled"} <= actions


def test_a_malformed_trusted_proxies_setting_stops_start_up_with_one_line_naming_it(tmp_path):
    result = run(tmp_path, "run", HELPLINE_TRUSTED_PROXIES="10.0.0.1, proxy.internal")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "helpline: HELPLINE_TRUSTED_PROXIES: 'proxy.internal' is not an IP address or network; "
        "use a comma-separated list like 10.0.0.2,172.16.0.0/12"]
    assert not (tmp_path / "rota.db").exists(), "nothing starts"
