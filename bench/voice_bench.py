"""How fast the voice webhooks answer Twilio: every endpoint of a call, timed.

    .venv/bin/python bench/voice_bench.py [--calls 100] [--history 300] [--postgres]

Twilio waits for TwiML while the caller hears nothing, so each answer should come well within a
second. The whole service runs (SQLite by default, in a temporary folder) with the test team on
a round-the-clock rota and ``--history`` earlier contacts in the database; ``--calls`` people
then call, one after another, driven as Twilio drives a call: ring, language key, dial, the
primary's whisper with no key, the backup's leg, the coordinator's, the voicemail, its recording
and its transcription (which goes through the whole intake: triage, routing, the SMS). Prints
the median, 95th percentile and worst time of each endpoint, measured at the client.
``--postgres`` starts a real PostgreSQL (as the tests do) instead: the production database.
Nothing leaves the loopback interface.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import structlog  # noqa: E402
from aiohttp.test_utils import TestClient, TestServer  # noqa: E402
from sqlalchemy import update  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from bot.server import create_app  # noqa: E402
from bot.services import SERVICES  # noqa: E402
from bot.settings import Settings  # noqa: E402
from escalation.intake import InboundMessage  # noqa: E402
from storage import sealing  # noqa: E402
from storage.models import Mentor  # noqa: E402
from storage.sealing import lookup_key
from storage.types import utcnow  # noqa: E402
from tests.fake_twilio import AUTH_TOKEN, HELPLINE_NUMBER, FakeTwilio  # noqa: E402
from tests.routing_kit import make_team  # noqa: E402

PUBLIC = "https://helpline.test"
PHONES = ("+447700900901", "+447700900902")


class Timed:
    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.times: dict[str, list[float]] = {}

    async def post(self, name: str, url: str, params: dict[str, str]) -> ET.Element:
        path = url.removeprefix(PUBLIC)
        signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC + path, params)
        started = time.perf_counter()
        response = await self.client.post(path, data=params, headers={"X-Twilio-Signature": signature})
        body = await response.text()
        self.times.setdefault(name, []).append(time.perf_counter() - started)
        assert response.status == 200, (name, response.status, body)
        return ET.fromstring(body)


async def one_call(timed: Timed, number: int, twilio: FakeTwilio) -> None:
    call = {"CallSid": f"CA{number:032d}", "From": f"+4477009{number:05d}", "To": HELPLINE_NUMBER}
    choice = await timed.post("ring (new caller)", "/twilio/voice", call)
    greeting = await timed.post("language key", choice.find("Gather").get("action"), {**call, "Digits": "1"})
    dial = await timed.post("first dial", greeting.find("Redirect").text, call)
    leg = 0
    while dial.find("Dial") is not None:
        whisper_url = dial.find("Dial/Number").get("url")
        child = {**call, "CallSid": f"CB{number:028d}{leg:04d}", "ParentCallSid": call["CallSid"]}
        whisper = await timed.post("whisper", whisper_url, child)
        await timed.post("whisper key (none)", whisper.find("Gather").get("action"), {**child, "Digits": "9"})
        dial = await timed.post("leg over, next", dial.find("Dial").get("action"),
                                {**call, "DialCallStatus": "completed", "DialCallDuration": "0"})
        leg += 1
    record = dial.find("Record")
    recording = {**call, "RecordingSid": f"RE{number:032d}", "RecordingDuration": "20",
                 "RecordingUrl": twilio.recording_url(f"RE{number:032d}")}
    await timed.post("recording ready", record.get("recordingStatusCallback"), recording)
    await timed.post("voicemail done", record.get("action"), recording)
    await timed.post("call status", "/twilio/voice/status", {**call, "CallStatus": "completed", "CallDuration": "80"})
    await timed.post("transcription (intake)", record.get("transcribeCallback"),
                     {**call, "RecordingSid": recording["RecordingSid"], "TranscriptionStatus": "completed",
                      "TranscriptionText": "please ring me back i am struggling with my hostel and my licence"})


async def history(app_services: Any, contacts: int) -> None:
    intake = app_services.intake
    for n in range(contacts):
        await intake.receive(InboundMessage(channel="sms", sender=f"+4477008{n:05d}", text="need help with my benefits",
                                            provider_message_id=f"SMhist{n}", received_at=utcnow(), region="GB"))


async def main(calls: int, contacts: int, database_url: str | None) -> None:
    sealing.use_fresh_keys()  # encryption at rest, as in production; the keys die with the run
    logging.disable(logging.CRITICAL)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL))
    twilio = FakeTwilio()
    await twilio.start()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(_env_file=None, database_url=database_url or f"sqlite+aiosqlite:///{folder}/bench.db",
                            public_url=PUBLIC, twilio_account_sid=twilio.account_sid, twilio_auth_token=AUTH_TOKEN,
                            twilio_number=HELPLINE_NUMBER, twilio_api_url=twilio.api_url, deadline_poll_seconds=3600)
        client = TestClient(TestServer(create_app(settings), host="127.0.0.1"))
        await client.start_server()
        try:
            services = client.app[SERVICES]
            team = await make_team(services.sessions)
            async with services.sessions() as session, session.begin():
                for mentor_id, phone in zip((team.anne, team.ben), PHONES):
                    await session.execute(update(Mentor).where(Mentor.id == mentor_id).values(phone=phone, phone_key=lookup_key(phone)))
            await history(services, contacts)
            timed = Timed(client)
            for number in range(calls):
                await one_call(timed, number, twilio)
        finally:
            await client.close()
            await twilio.stop()
    print(f"Voice webhooks, {calls} calls (3 legs, then a voicemail each), {contacts} earlier contacts, "
          f"{'PostgreSQL' if database_url and 'postgres' in database_url else 'SQLite'}; ms at the client")
    print(f"| {'endpoint':<26} | {'n':>5} | {'median':>7} | {'p95':>7} | {'worst':>7} |")
    print(f"|{'-' * 28}|{'-' * 7}|{'-' * 9}|{'-' * 9}|{'-' * 9}|")
    for name, spent in timed.times.items():
        ordered = sorted(spent)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        print(f"| {name:<26} | {len(spent):>5} | {statistics.median(spent) * 1000:>7.1f} | {p95 * 1000:>7.1f} | "
              f"{ordered[-1] * 1000:>7.1f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--history", type=int, default=300)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    if not args.postgres:
        asyncio.run(main(args.calls, args.history, None))
    else:
        from tests.servers import start_postgres

        server = start_postgres()
        try:
            subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", "-d", "postgres",
                            "-q", "-c", "CREATE DATABASE bench"], check=True, capture_output=True)
            asyncio.run(main(args.calls, args.history, server.url("bench")))
        finally:
            server.stop()
