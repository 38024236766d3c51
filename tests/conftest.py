"""Test set-up: real PostgreSQL and Redis servers for the session, SQLite per test, fakes of the
Telegram Bot API and Twilio REST API, and a running helpline wired to all of them.

Pipeline tests run twice: on the embedded default (SQLite, in-process store) and on the
production pair (PostgreSQL, Redis).
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import subprocess
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer

from bot.server import create_app
from bot.services import SERVICES, Services
from bot.settings import Settings
from escalation import texts
from escalation.i18n import translate
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from tests.fake_telegram import FakeBotApi
from tests.keys import TEST_KEYRING
from tests.fake_twilio import AUTH_TOKEN, HELPLINE_NUMBER, FakeTwilio
from tests.servers import PostgresServer, RedisServer, start_postgres, start_redis
from tests.smtp_server import SmtpServer

PUBLIC_URL = "https://helpline.test"
WEBHOOK_SECRET = "test-webhook-secret-0123456789"
TEMPLATE_DB = "helpline_template"
_db_numbers = itertools.count(1)


@dataclass(frozen=True)
class Backend:
    name: str
    database_url: str
    redis_url: str | None


@pytest.fixture(scope="session")
def pg_server() -> Any:
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Any:
    server = start_redis()
    yield server
    server.stop()


def _psql(server: PostgresServer, sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", "-d", "postgres",
                    "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True, capture_output=True)


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()


@pytest.fixture(scope="session")
def pg_template(pg_server: PostgresServer) -> str:
    """A migrated database that every test's database is copied from (no migration per test)."""
    _psql(pg_server, f"CREATE DATABASE {TEMPLATE_DB}")
    asyncio.run(_migrate(pg_server.url(TEMPLATE_DB)))
    return TEMPLATE_DB


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


class AdminConnection:
    """One open connection to the test server's admin database, on an event loop of its own
    (each test's loop comes and goes): a database per test is one statement, not a psql process
    (which cost more than the copy itself, over six hundred tests)."""

    def __init__(self, port: int) -> None:
        import asyncpg

        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pg-admin", daemon=True)
        self._thread.start()
        self._connection = self._run(asyncpg.connect(host="127.0.0.1", port=port, user="postgres",
                                                     database="postgres"))

    def _run(self, work: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(60)

    def execute(self, sql: str) -> None:
        self._run(self._connection.execute(sql))

    def close(self) -> None:
        self._run(self._connection.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@pytest.fixture(scope="session")
def pg_admin(pg_server: PostgresServer) -> Any:
    admin = AdminConnection(pg_server.port)
    yield admin
    admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "sqlite":
        path = tmp_path / "helpline.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return Backend("sqlite", f"sqlite+aiosqlite:///{path}", None)
    server: PostgresServer = request.getfixturevalue("pg_server")
    redis_server: RedisServer = request.getfixturevalue("redis_server")
    name = f"test_{next(_db_numbers)}"
    request.getfixturevalue("pg_admin").execute(f"CREATE DATABASE {name} TEMPLATE {request.getfixturevalue('pg_template')}")
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.flushdb()
    client.close()
    return Backend("postgres", server.url(name), redis_server.url)


@pytest_asyncio.fixture
async def sessions(backend: Backend) -> AsyncIterator[Any]:
    engine = create_engine(backend.database_url)
    yield session_factory(engine)
    await engine.dispose()


@pytest_asyncio.fixture
async def fake_bot() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


@pytest_asyncio.fixture
async def fake_twilio() -> AsyncIterator[FakeTwilio]:
    server = FakeTwilio()
    await server.start()
    yield server
    await server.stop()


@pytest_asyncio.fixture
async def smtp_server() -> AsyncIterator[SmtpServer]:
    """A real SMTP server offering STARTTLS (see tests/smtp_server.py), stopped after the test."""
    server = SmtpServer()
    await server.start()
    yield server
    await server.stop()


def helpline_settings(backend: Backend, bot: FakeBotApi | None, twilio: FakeTwilio | None,
                      **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        database_url=backend.database_url, redis_url=backend.redis_url, public_url=PUBLIC_URL,
        outbox_poll_seconds=0.2, _env_file=None,
        # tests run with the production default: a new person's first reply (the safety question)
        # is followed by the short privacy notice as a second message, except in an emergency
        # contact; the tests that count replies expect it (see privacy_notice below)
        privacy_notice=True,
    )
    if bot is not None:
        values.update(telegram_token=bot.token, telegram_api_url=bot.base_url,
                      telegram_mode="webhook", telegram_webhook_secret=WEBHOOK_SECRET)
    if twilio is not None:
        values.update(twilio_account_sid=twilio.account_sid, twilio_auth_token=AUTH_TOKEN,
                      twilio_number=HELPLINE_NUMBER, twilio_api_url=twilio.api_url)
    values.update(overrides)
    return Settings(**values)


# how the short privacy notice opens, in each language (README: Privacy notice)
NOTICE_OPENS = {"en": "About your privacy", "nl": "Over je privacy", "it": "Sulla tua privacy"}


def privacy_notice(language: str = "en", telegram: bool = False, months: int = 12) -> str:
    """The short privacy notice a new person gets after the first reply, exactly as sent."""
    text = translate(texts.PRIVACY_NOTICE_TELEGRAM if telegram else texts.PRIVACY_NOTICE_SMS, language,
                     months=months)
    assert text.startswith(NOTICE_OPENS[language]) and f"{months} " in text, text
    return text


def is_privacy_notice(text: str) -> bool:
    """Whether a message to a person is the short privacy notice (in any language)."""
    return text.startswith(tuple(NOTICE_OPENS.values()))


@dataclass
class Helpline:
    """A running helpline and a client to call its webhooks as the providers would."""

    client: TestClient
    settings: Settings

    @property
    def services(self) -> Services:
        return self.client.app[SERVICES]

    async def sms(self, sender: str, body: str, sid: str, *, sign: bool = True,
                  signature: str | None = None, **extra: str) -> Any:
        from twilio.request_validator import RequestValidator

        params = {"MessageSid": sid, "SmsSid": sid, "AccountSid": self.settings.twilio_account_sid or "",
                  "From": sender, "To": HELPLINE_NUMBER, "Body": body, "NumMedia": "0", **extra}
        headers = {}
        if sign:
            headers["X-Twilio-Signature"] = signature or RequestValidator(AUTH_TOKEN).compute_signature(
                f"{PUBLIC_URL}/twilio/sms", params)
        return await self.client.post("/twilio/sms", data=params, headers=headers)

    async def twilio(self, url: str, params: dict[str, str], *, sign: bool = True) -> Any:
        """A webhook as Twilio calls it: to a URL the helpline gave it (absolute, with its query),
        signed over that URL and the form."""
        from twilio.request_validator import RequestValidator

        path = url.removeprefix(PUBLIC_URL)
        headers = {"X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + path, params)
                   } if sign else {}
        return await self.client.post(path, data=params, headers=headers)

    async def telegram(self, update: dict[str, Any], secret: str | None = WEBHOOK_SECRET) -> Any:
        headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
        return await self.client.post("/telegram/webhook", json=update, headers=headers)


@pytest_asyncio.fixture
async def start_helpline() -> AsyncIterator[Callable[..., Awaitable[Helpline]]]:
    clients: list[TestClient] = []

    async def _start(settings: Settings, **app_options: Any) -> Helpline:
        client = TestClient(TestServer(create_app(settings, **app_options), host="127.0.0.1"))
        await client.start_server()
        clients.append(client)
        return Helpline(client, settings)

    yield _start
    for client in reversed(clients):
        await client.close()


async def eventually(check: Callable[[], Awaitable[bool] | bool], seconds: float = 10.0) -> None:
    """Wait until ``check`` holds; fail with a clear message if it never does."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        outcome = check()
        if asyncio.iscoroutine(outcome):
            outcome = await outcome
        if outcome:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {seconds}s")
        await asyncio.sleep(0.05)


@pytest.fixture(autouse=True)
def test_keys() -> Any:
    """Every test starts with the run's keys installed (a test of other keys puts them back)."""
    from storage import sealing

    sealing.use(TEST_KEYRING)
    yield
    sealing.use(TEST_KEYRING)


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2, with the cost turned down: the suite logs in hundreds of times, and the
    production cost (a deliberate tenth of a second or more each) would add minutes to it."""
    from argon2 import PasswordHasher

    import bot.accounts

    monkeypatch.setattr(bot.accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
