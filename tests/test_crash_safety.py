"""A reply committed to the outbox survives the process dying before it is sent: exactly once."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
from twilio.request_validator import RequestValidator

from storage.models import OutboxItem
from tests.conftest import PUBLIC_URL, eventually, helpline_settings, privacy_notice
from tests.db_queries import rows, summary
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, HELPLINE_NUMBER, FakeTwilio
from tests.keys import child_env
from tests.servers import free_port, wait_for_port

PERSON = "+447700900555"
BODY = "my probation officer zanzibar"


async def test_reply_queued_by_a_process_that_stopped_is_sent_once_after_restart(backend, sessions, fake_twilio, start_helpline):
    settings = helpline_settings(backend, None, fake_twilio)
    before_crash = await start_helpline(settings, run_outbox=False)
    assert (await before_crash.sms(PERSON, "hello", "SM" + "7" * 32)).status == 200
    await before_crash.client.close()
    assert fake_twilio.messages == []

    await start_helpline(settings)
    await eventually(lambda: len(fake_twilio.messages) == 2)  # the welcome and the privacy notice
    await start_helpline(settings)
    await asyncio.sleep(1.0)

    welcome, notice = (m["body"] for m in fake_twilio.messages)  # each once, in the order queued
    assert "Are you safe right now?" in welcome and notice == privacy_notice()
    assert [i.status for i in await rows(sessions, OutboxItem)] == ["sent", "sent"]


def _helpline_process(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT)


async def test_killed_process_sends_the_pending_reply_after_restart(backend, sessions, tmp_path):
    """SIGKILL while Twilio is unreachable, restart once it is back: each pending SMS once, not zero, not twice."""
    http_port, twilio_port = free_port(), free_port()
    env = child_env()
    env.update({
        "HELPLINE_DATABASE_URL": backend.database_url, "HELPLINE_HTTP_PORT": str(http_port),
        "HELPLINE_PUBLIC_URL": PUBLIC_URL, "HELPLINE_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "HELPLINE_TWILIO_AUTH_TOKEN": AUTH_TOKEN, "HELPLINE_TWILIO_NUMBER": HELPLINE_NUMBER,
        "HELPLINE_TWILIO_API_URL": f"http://127.0.0.1:{twilio_port}",
        "HELPLINE_OUTBOX_POLL_SECONDS": "0.2",
    })
    if backend.redis_url:
        env["HELPLINE_REDIS_URL"] = backend.redis_url
    first = _helpline_process(env, tmp_path / "first.log")
    try:
        await asyncio.to_thread(wait_for_port, http_port)
        params = {"MessageSid": "SM" + "8" * 32, "From": PERSON, "To": HELPLINE_NUMBER, "Body": BODY}
        signature = RequestValidator(AUTH_TOKEN).compute_signature(f"{PUBLIC_URL}/twilio/sms", params)
        async with aiohttp.ClientSession() as http:
            async with http.post(f"http://127.0.0.1:{http_port}/twilio/sms", data=params,
                                 headers={"X-Twilio-Signature": signature}) as response:
                assert response.status == 200
        await eventually(lambda: _attempted(sessions))
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    startup = (tmp_path / "first.log").read_text()
    assert "sms       on" in startup and "telegram  off" in startup

    twilio = FakeTwilio()
    await twilio.start(port=twilio_port)
    second = _helpline_process(env, tmp_path / "second.log")
    try:
        # the reply and, a new person's, the privacy notice after it: each once, in that order
        await eventually(lambda: len(twilio.messages) == 2, seconds=20)
        await asyncio.sleep(1.0)
        assert len(twilio.messages) == 2 and {m["to"] for m in twilio.messages} == {PERSON}
        assert "PRIVACY" not in twilio.messages[0]["body"] and "PRIVACY" in twilio.messages[1]["body"]
        assert [i.status for i in await rows(sessions, OutboxItem)] == ["sent", "sent"]
        assert await summary(sessions) == {"people": 1, "contacts": 1, "messages_in": 1, "outbox": 2}
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)
        await twilio.stop()
    logs = (tmp_path / "first.log").read_text() + (tmp_path / "second.log").read_text()
    assert "helpline stopped" in logs
    assert "outbound delivered" in logs, "logs say what happened, by id"
    assert PERSON not in logs and PERSON[1:] not in logs and "zanzibar" not in logs, \
        "no phone numbers or message text in logs"
    assert AUTH_TOKEN not in logs


async def _attempted(sessions) -> bool:
    items = await rows(sessions, OutboxItem)
    return bool(items) and items[0].attempts >= 1 and items[0].status == "pending"
