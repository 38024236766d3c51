"""A PostgreSQL outage under load, as an on-call engineer would see it: `helpline run` with the
console log format, signed SMS webhooks arriving steadily, and the database stopped for a while.

    .venv/bin/python bench/outage_bench.py [--outage-seconds 11] [--rate 20]

Prints how fast webhooks were answered before, during and after the outage (503 during it, so
Twilio delivers again), how long after the database came back the first message was stored,
and how many log lines the outage wrote. Uses the test set-up's throwaway PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from tests.keys import install_test_keys  # noqa: E402
from tests.processes import helpline_process  # noqa: E402
from tests.servers import start_postgres  # noqa: E402

PUBLIC_URL = "https://helpline.test"
TOKEN = "bench-auth-token-0123456789abcdef"


async def _send(http: aiohttp.ClientSession, base: str, number: int) -> tuple[float, float, int]:
    params = {"MessageSid": f"SM{number:032d}", "AccountSid": "AC" + "0" * 32, "From": f"+4477009{number % 100000:05d}",
              "To": "+447700900001", "Body": "what time is my appointment", "NumMedia": "0"}
    signature = RequestValidator(TOKEN).compute_signature(f"{PUBLIC_URL}/twilio/sms", params)
    started = time.monotonic()
    try:
        async with http.post(f"{base}/twilio/sms", data=params, headers={"X-Twilio-Signature": signature},
                             timeout=aiohttp.ClientTimeout(total=120)) as response:
            status = response.status
    except (aiohttp.ClientError, TimeoutError):
        status = 0
    return started, time.monotonic() - started, status


async def run(outage: float, rate: float) -> None:
    server = start_postgres()
    subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", "-q", "-c",
                    "CREATE DATABASE bench"], check=True, capture_output=True)
    env = {"HELPLINE_DATABASE_URL": server.url("bench"), "HELPLINE_PUBLIC_URL": PUBLIC_URL,
           "HELPLINE_TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "HELPLINE_TWILIO_AUTH_TOKEN": TOKEN,
           "HELPLINE_TWILIO_NUMBER": "+447700900001", "HELPLINE_TWILIO_API_URL": "http://127.0.0.1:9",
           "HELPLINE_LOG_FORMAT": "console"}
    try:
        with tempfile.TemporaryDirectory() as folder, helpline_process("run", Path(folder), env) as child:
            child.wait_for(r"listening http://")
            results, marks = await _load(child.base, server, outage, rate)
            child.stop()
            log = child.text()
    finally:
        server.stop()
    _report(results, marks, log)


async def _load(base: str, server, outage: float, rate: float):  # type: ignore[no-untyped-def]
    marks: dict[str, float] = {}
    async with aiohttp.ClientSession() as http:
        tasks, number = [], 0
        begin = time.monotonic()

        async def control() -> None:
            await asyncio.sleep(3)
            marks["down"] = time.monotonic()
            await asyncio.to_thread(server.pause)
            await asyncio.sleep(outage)
            await asyncio.to_thread(server.resume)
            marks["up"] = time.monotonic()

        controller = asyncio.create_task(control())
        while time.monotonic() - begin < outage + 10:
            number += 1
            tasks.append(asyncio.create_task(_send(http, base, number)))
            await asyncio.sleep(1 / rate)
        await controller
        return await asyncio.gather(*tasks), marks


def _report(results: list[tuple[float, float, int]], marks: dict[str, float], log: str) -> None:
    phases = {"before": [r for r in results if r[0] < marks["down"]],
              "during": [r for r in results if marks["down"] <= r[0] < marks["up"]],
              "after": [r for r in results if r[0] >= marks["up"]]}
    print(f"{'phase':8} {'requests':>8} {'median ms':>10} {'worst ms':>9}  statuses")
    for name, rows in phases.items():
        times = [r[1] * 1000 for r in rows] or [0.0]
        statuses = {s: sum(1 for r in rows if r[2] == s) for s in sorted({r[2] for r in rows})}
        print(f"{name:8} {len(rows):8d} {statistics.median(times):10.0f} {max(times):9.0f}  {statuses}")
    stored = [r for r in phases["after"] if r[2] == 200]
    first = min((r[0] + r[1] for r in stored), default=float("nan")) - marks["up"]
    print(f"first message stored {first:.2f} s after the database came back; "
          f"log lines written: {len(log.splitlines())}")
    errors = Counter(line.split("]", 1)[1].strip().split("  ")[0] for line in log.splitlines() if "[error" in line)
    for event, count in errors.most_common(8):
        print(f"  {count:5d} x error: {event}")
    if "--show-server-errors" in sys.argv:
        for block in log.split("\n20")[1:]:
            if "aiohttp.server" in block:
                print("20" + block)


def main() -> None:
    install_test_keys()  # the helpline processes it starts seal with the run's own keys
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage-seconds", type=float, default=11.0)
    parser.add_argument("--rate", type=float, default=20.0, help="webhooks a second")
    options, _ = parser.parse_known_args()
    asyncio.run(run(options.outage_seconds, options.rate))


if __name__ == "__main__":
    main()
