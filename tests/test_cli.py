"""The command line as an operator meets it: help, bad settings, schema upgrade, demo."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from bot.settings import ConfigError, load_settings


def helpline(*args: str, env: dict[str, str] | None = None, cwd: str | None = None,
             timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The command in a child process with only the settings given, and the run's encryption keys
    (``run`` refuses to start without them; the demo makes its own)."""
    from tests.keys import child_env

    clean = child_env(with_keys="demo" not in args)
    clean.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], env=clean, cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def test_help_explains_each_command():
    result = helpline("--help")
    assert result.returncode == 0
    for command in ("run", "demo", "db"):
        assert command in result.stdout


@pytest.mark.parametrize("variable, value", [
    ("HELPLINE_HTTP_PORT", "eighty"),
    ("HELPLINE_TIMEZONE", "Europe/Atlantis"),
    ("HELPLINE_DATABASE_URL", "mysql://db/helpline"),
    ("HELPLINE_TWILIO_NUMBER", "not-a-number"),
    ("HELPLINE_TELEGRAM_MODE", "carrier-pigeon"),
    ("HELPLINE_CONTACT_IDLE_HOURS", "-1"),
    ("HELPLINE_CRISIS_LINES", "{not json"),
])
def test_a_bad_setting_stops_start_up_with_one_line_naming_it(variable, value, tmp_path):
    result = helpline("run", env={variable: value}, cwd=str(tmp_path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0], result.stderr
    assert not (tmp_path / "helpline.db").exists(), "nothing starts on a bad setting"


@pytest.mark.parametrize("variable, value", [("HELPLINE_VOICE_LANGUAGES", "en,klingon"),
                                             ("HELPLINE_VOICE_RING_SECONDS", "2"),
                                             ("HELPLINE_VOICEMAIL_SECONDS", "600")])
def test_a_bad_voice_setting_is_one_line_naming_it(variable, value, monkeypatch):
    """The same message as at start-up (checked there by the test above), without a process each."""
    from pydantic import ValidationError

    from bot.settings import Settings, describe_validation_error

    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as refused:
        Settings(_env_file=None)
    message = describe_validation_error(refused.value)
    assert message.startswith(f"{variable}: ") and "\n" not in message, message


def test_an_unreachable_database_is_one_line_naming_the_setting(tmp_path):
    from tests.servers import free_port

    url = f"postgresql+asyncpg://helpline:secret-pw@127.0.0.1:{free_port()}/helpline"
    result = helpline("run", env={"HELPLINE_DATABASE_URL": url}, cwd=str(tmp_path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    assert lines[0].startswith("helpline: HELPLINE_DATABASE_URL: cannot reach") and "secret-pw" not in lines[0]


def test_a_busy_port_is_one_line_naming_the_setting(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = helpline("run", env={"HELPLINE_HTTP_PORT": str(port)}, cwd=str(tmp_path))
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and lines == [
        f"helpline: HELPLINE_HTTP_PORT: 127.0.0.1:{port} is already in use (another helpline?); "
        "stop it or choose another port"], result.stderr


def test_a_misspelt_setting_is_warned_about(tmp_path):
    (tmp_path / ".env").write_text("HELPLINE_SESION_KEY=x\n")
    result = helpline("mentors", "list", env={"HELPLINE_DEADLINE_EMERGENCEY": "60",
                                              "HELPLINE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/h.db"},
                      cwd=str(tmp_path))
    assert "HELPLINE_DEADLINE_EMERGENCEY is not a setting (did you mean HELPLINE_DEADLINE_EMERGENCY?)" in result.stderr
    assert "HELPLINE_SESION_KEY is not a setting (did you mean HELPLINE_SESSION_KEY?)" in result.stderr


def test_incomplete_channel_settings_name_what_is_missing():
    with pytest.raises(ConfigError, match="HELPLINE_TWILIO_AUTH_TOKEN"):
        load_settings(twilio_account_sid="AC123", _env_file=None)
    with pytest.raises(ConfigError, match="HELPLINE_TELEGRAM_WEBHOOK_SECRET"):
        load_settings(telegram_token="1:abc", telegram_mode="webhook", _env_file=None)


def test_db_upgrade_creates_the_schema(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    result = helpline("db", "upgrade", env={"HELPLINE_DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    from storage.migrate import head_revision

    assert f"revision {head_revision()}" in result.stdout
    again = helpline("db", "upgrade", env={"HELPLINE_DATABASE_URL": url})
    assert again.returncode == 0 and f"revision {head_revision()}" in again.stdout


def test_demo_starts_on_the_embedded_default_answers_health_and_stops_on_ctrl_c(tmp_path):
    import urllib.request

    from tests.processes import helpline_process
    from tests.servers import wait_for_port

    with helpline_process("demo", tmp_path, {"HELPLINE_TELEGRAM_TOKEN": "1:would-reach-telegram"}) as child:
        wait_for_port(child.port)
        with urllib.request.urlopen(f"{child.base}/healthz", timeout=5) as response:
            health = response.read().decode()
            assert response.status == 200
        child.wait_for(r"log in as")
        assert child.stop() == 0, child.tail()
    output, port = child.text(), child.port
    assert f"http://127.0.0.1:{port}" in output
    assert '"telegram": "off"' in health and '"database": "ok"' in health
    assert "telegram  simulated" in output and "sms       simulated" in output, "the demo never talks to real providers"
    assert re.search(rf"http://127.0.0.1:{port}/dash\s+log in as coordinator / demo-\S+", output)
    assert (tmp_path / "helpline-demo.db").exists()
