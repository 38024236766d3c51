"""docker-compose.yml and the Dockerfile cannot run here (no Docker engine); check them by reading."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_postgres_redis_and_the_helpline_built_from_the_dockerfile():
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "helpline"}
    helpline = services["helpline"]
    assert helpline["build"] == "." and (ROOT / "Dockerfile").is_file()
    assert helpline["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert helpline["depends_on"]["redis"]["condition"] == "service_healthy"


def test_docker_waits_for_the_graceful_stop_before_killing_the_helpline():
    """Docker's default is 10 s, shorter than the helpline's bounded stop: in-flight requests cut."""
    from bot.stopping import STOP_GRACE_SECONDS

    grace = compose()["services"]["helpline"]["stop_grace_period"]
    assert re.fullmatch(r"\d+s", grace) and int(grace[:-1]) > STOP_GRACE_SECONDS


def test_compose_configures_the_helpline_only_with_known_helpline_settings():
    environment = compose()["services"]["helpline"]["environment"]
    known = {f"HELPLINE_{name.upper()}" for name in Settings.model_fields}
    assert set(environment) <= known, set(environment) - known
    assert environment["HELPLINE_DATABASE_URL"].startswith("postgresql+asyncpg://helpline:")
    assert "@postgres:5432/helpline" in environment["HELPLINE_DATABASE_URL"]
    assert environment["HELPLINE_REDIS_URL"] == "redis://redis:6379/0"
    assert environment["HELPLINE_TELEGRAM_MODE"] == "webhook"


def test_compose_passes_every_setting_from_env_and_listens_on_loopback_only():
    """Settings left out of the compose file (HELPLINE_SESSION_KEY: everyone logged out at each
    restart) reach the container through .env; the plain-http port is for the TLS proxy only."""
    helpline = compose()["services"]["helpline"]
    assert helpline["env_file"] == ".env"
    assert helpline["ports"] == ["127.0.0.1:8080:8080"]


def test_compose_and_dockerfile_hold_no_secrets():
    text = (ROOT / "docker-compose.yml").read_text()
    for line in text.splitlines():
        if re.search(r"(TOKEN|PASSWORD|SECRET|SID):\s*\S", line) and not line.strip().startswith("#"):
            assert "${" in line, f"literal secret in docker-compose.yml: {line.strip()}"
    assert "HELPLINE_TELEGRAM_TOKEN=" not in (ROOT / "Dockerfile").read_text()


def test_dockerfile_installs_every_top_level_package_and_runs_the_service():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("bot", "handlers", "escalation", "storage"):
        assert f"COPY {package} ./{package}" in dockerfile
    assert 'CMD ["helpline", "run"]' in dockerfile
    assert "USER helpline" in dockerfile, "the service must not run as root"


def test_the_installed_package_carries_every_data_file_the_service_reads(tmp_path):
    """The Dockerfile runs `pip install .`, not an editable install: a data file left out of
    the wheel (a lexicon, a template, a migration) would stop the service at start-up."""
    import subprocess
    import sys
    import zipfile

    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("*.whl")
    packed = set(zipfile.ZipFile(wheel).namelist())
    needed = [p.relative_to(ROOT).as_posix() for pattern in (
        "escalation/triage/data/*", "escalation/data/*", "escalation/locale/*/LC_MESSAGES/*.po", "bot/web/templates/*.html",
        "bot/web/static/*", "storage/migrations/versions/*.py", "storage/migrations/env.py",
    ) for p in ROOT.glob(pattern) if p.is_file()]
    assert needed and not set(needed) - packed, sorted(set(needed) - packed)
