"""While PostgreSQL is down, `helpline run` answers webhooks 503 (so Telegram and Twilio deliver
again), keeps serving /healthz, and stores the first redelivery once the database is back.
A dedicated PostgreSQL server is started for it, since it is stopped on purpose."""

from __future__ import annotations

import asyncio
import subprocess

import aiohttp
import pytest
from twilio.request_validator import RequestValidator

from tests.fake_twilio import FakeTwilio
from tests.processes import helpline_process
from tests.servers import start_postgres

PUBLIC_URL = "https://helpline.test"
BOUND = aiohttp.ClientTimeout(total=15)  # a request that hangs fails the test instead of the suite


@pytest.fixture
def own_postgres():
    server = start_postgres()
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(server.port), "-U",
                    "postgres", "-q", "-c", "CREATE DATABASE outage"], check=True, capture_output=True)
    yield server
    server.stop()


async def _sms(http: aiohttp.ClientSession, base: str, twilio: FakeTwilio, sid: str, body: str) -> int:
    params = {"MessageSid": sid, "AccountSid": twilio.account_sid, "From": "+447700900123",
              "To": "+447700900001", "Body": body, "NumMedia": "0"}
    signature = RequestValidator(twilio.auth_token).compute_signature(f"{PUBLIC_URL}/twilio/sms", params)
    async with http.post(f"{base}/twilio/sms", data=params, headers={"X-Twilio-Signature": signature},
                         timeout=BOUND) as response:
        return response.status


async def test_a_database_outage_is_answered_503_and_the_redelivery_is_stored(tmp_path, own_postgres):
    twilio = FakeTwilio()
    await twilio.start()
    env = {"HELPLINE_DATABASE_URL": own_postgres.url("outage"), "HELPLINE_PUBLIC_URL": PUBLIC_URL,
           "HELPLINE_TWILIO_ACCOUNT_SID": twilio.account_sid, "HELPLINE_TWILIO_AUTH_TOKEN": twilio.auth_token,
           "HELPLINE_TWILIO_NUMBER": "+447700900001", "HELPLINE_TWILIO_API_URL": twilio.api_url,
           "HELPLINE_LOG_FORMAT": "console"}
    try:
        with helpline_process("run", tmp_path, env) as child:
            await asyncio.to_thread(child.wait_for, r"listening http://")
            async with aiohttp.ClientSession() as http:
                before = await _sms(http, child.base, twilio, "SM" + "1" * 32, "first, before the outage")
                await asyncio.to_thread(own_postgres.pause)
                during = [await _sms(http, child.base, twilio, "SM" + "2" * 32, "written during the outage")
                          for _ in range(3)]
                async with http.get(f"{child.base}/healthz", timeout=BOUND) as live:
                    alive = live.status
                async with http.get(f"{child.base}/readyz", timeout=BOUND) as ready:
                    not_ready = ready.status
                await asyncio.to_thread(own_postgres.resume)
                after = await _sms(http, child.base, twilio, "SM" + "2" * 32, "written during the outage")
                again = await _sms(http, child.base, twilio, "SM" + "2" * 32, "written during the outage")
    finally:
        await twilio.stop()

    assert before == 200 and during == [503, 503, 503], child.tail()
    assert (alive, not_ready) == (200, 503)
    assert after == 200 and again == 200, "the first redelivery after the outage is served, and stored once"
    stored = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(own_postgres.port), "-U", "postgres", "-d",
                             "outage", "-At", "-c", "SELECT count(*) FROM messages WHERE direction = 'in'"],
                            check=True, capture_output=True, text=True).stdout.strip()
    assert stored == "2", child.tail(8000)
    assert "database unavailable; answered 503" in child.text()
