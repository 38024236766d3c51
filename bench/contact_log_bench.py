"""Seed a million contacts and time the dashboard's contact-log page: first page, a deep page
reached by the cursor, and filtered pages, through the real aiohttp handler and a logged-in session;
then a contact's page (its messages and their triage, which are encrypted at rest) and the reports.

    .venv/bin/python bench/contact_log_bench.py [--contacts 1000000] [--database-url URL]

Prints a table of median and worst response times over repeated requests. SQLite by default
(the embedded default); pass a PostgreSQL URL to measure production.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlalchemy.ext.asyncio import async_sessionmaker  # noqa: E402

from bot.server import create_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from storage import sealing  # noqa: E402
from storage.db import create_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Contact, ContactTag, Identity, Mentor, Message, Person  # noqa: E402
from tests.dashboard_kit import add_user, log_in  # noqa: E402

LEVELS = ("low", "low", "low", "medium", "medium", "high", "emergency")
CATEGORIES = ("emotional_distress", "accommodation", "finance", "substance_misuse", "suicide_self_harm")
OUTCOMES = ("support given", "signposted", "referred", None)


async def seed(url: str, count: int) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    sessions = session_factory(engine)
    rng = random.Random(1)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    step = timedelta(days=3 * 365) / count
    async with sessions() as session, session.begin():
        session.add_all(Mentor(name=f"Mentor {n}", role="mentor", languages=["en"], active=True,
                               alert_channel="telegram", fallback_channel="sms", created_at=start) for n in range(20))
        await session.flush()
        people = [{"alias": f"P-{n:06d}", "language": "en", "created_at": start, "iom_cohort": n % 5 == 0}
                  for n in range(20_000)]
        await session.execute(insert(Person), people)
    batch = 20_000
    for offset in range(0, count, batch):
        contacts, tags = [], []
        for n in range(offset, min(count, offset + batch)):
            opened = start + step * n
            closed = n < count - 500
            contacts.append({"id": n + 1, "person_id": n % 20_000 + 1, "channel": rng.choice(("sms", "telegram")),
                             "status": "closed" if closed else "open", "urgency": rng.choice(LEVELS),
                             "assigned_mentor_id": rng.randint(1, 20), "opened_at": opened,
                             "last_activity_at": opened, "closed_at": opened + timedelta(hours=1) if closed else None,
                             "outcome": rng.choice(OUTCOMES) if closed else None,
                             "close_reason": "session" if closed else None})
            tags.append({"contact_id": n + 1, "kind": "category", "value": rng.choice(CATEGORIES)})
        if url.startswith("sqlite"):  # aiosqlite's per-row round trips would take half an hour
            _sqlite_insert(url, contacts, tags)
        else:
            async with sessions() as session, session.begin():
                await session.execute(insert(Contact), contacts)
                await session.execute(insert(ContactTag), tags)
        print(f"\rseeded {min(count, offset + batch):,} contacts", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    await _seed_texts(sessions, count, start)
    await add_user(sessions, "bench", "coordinator")
    await engine.dispose()


MESSAGES_PER_CONTACT = 10
CONTACTS_WITH_TEXTS = 2_000


async def _seed_texts(sessions: async_sessionmaker, count: int, start: datetime) -> None:
    """Every person's number and the texts of the newest contacts, written through the ORM's
    column types as the helpline writes them (so, when they are encrypted, encrypted)."""
    async with sessions() as session, session.begin():
        session.add_all(Identity(person_id=n + 1, kind="sms", address=f"+4477009{n:05d}", created_at=start)
                        for n in range(20_000))
    triage = {"level": "high", "categories": ["emotional_distress"],
              "explanation": [{"phrase": "can't cope", "rule": "distress"}]}
    for first in range(count - CONTACTS_WITH_TEXTS + 1, count + 1, 500):
        async with sessions() as session, session.begin():
            session.add_all(
                Message(contact_id=contact_id, channel="sms", direction="in" if n % 2 == 0 else "out",
                        sender_kind="person" if n % 2 == 0 else "mentor",
                        body=f"message {n} of contact {contact_id}: I can't cope with the hostel tonight",
                        received_at=start, level="high" if n % 2 == 0 else None,
                        categories=["emotional_distress"] if n % 2 == 0 else None,
                        triage=triage if n % 2 == 0 else None)
                for contact_id in range(first, min(count, first + 499) + 1) for n in range(MESSAGES_PER_CONTACT))


def _sqlite_insert(url: str, contacts: list[dict], tags: list[dict]) -> None:
    """The same rows, written as SQLAlchemy writes them on SQLite (naive UTC text)."""
    import sqlite3

    def text(moment: datetime | None) -> str | None:
        return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds") \
            if moment else None

    columns = list(contacts[0])
    with sqlite3.connect(url.split("///", 1)[1]) as db:
        db.executemany(f"INSERT INTO contacts ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                       [[text(v) if isinstance(v, datetime) else v for v in row.values()] for row in contacts])
        db.executemany("INSERT INTO contact_tags (contact_id, kind, value) VALUES (?, ?, ?)",
                       [(t["contact_id"], t["kind"], t["value"]) for t in tags])


async def measure(url: str, repeats: int, contacts: int) -> list[tuple[str, float, float, int]]:
    app = create_app(Settings(database_url=url, _env_file=None), run_outbox=False)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        await log_in(client, "bench")
        first = await (await client.get("/dash/contacts")).text()
        import re

        cursor = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
        deep = cursor
        for _ in range(200):  # walk 200 pages (10,000 contacts) to a cursor deep in the log
            html = await (await client.get(deep)).text()
            deep = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
        cases = [("first page", "/dash/contacts"), ("page 2 (cursor)", cursor), ("page 202 (cursor)", deep),
                 ("level=emergency", "/dash/contacts?level=emergency"),
                 ("category=suicide_self_harm", "/dash/contacts?category=suicide_self_harm"),
                 ("iom=yes, level=high", "/dash/contacts?iom=yes&level=high"),
                 ("one month in 2025", "/dash/contacts?from=2025-06-01&to=2025-06-30"),
                 ("mentor=7, outcome=referred", "/dash/contacts?mentor=7&outcome=referred"),
                 (f"contact page ({MESSAGES_PER_CONTACT} messages)", f"/dash/contacts/{contacts - 3}"),
                 ("reports, one month", "/dash/reports?from=2025-06-01&to=2025-06-30"),
                 ("reports, one year", "/dash/reports?from=2025-01-01&to=2025-12-31")]
        results = []
        for name, path in cases:
            times = []
            for _ in range(repeats):
                began = time.perf_counter()
                response = await client.get(path)
                body = await response.text()
                times.append((time.perf_counter() - began) * 1000)
                assert response.status == 200, (path, response.status)
            results.append((name, statistics.median(times), max(times), body.count('<td><a href="/dash/contacts/')))
        return results
    finally:
        await client.close()


def main() -> None:
    sealing.use_fresh_keys()  # encryption at rest, as in production; the keys die with the run
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="helpline-bench-")
    url = args.database_url or f"sqlite+aiosqlite:///{folder}/bench.db"
    began = time.perf_counter()
    asyncio.run(seed(url, args.contacts))
    print(f"seeded {args.contacts:,} contacts in {time.perf_counter() - began:.0f} s ({url.split(':')[0]})")
    rows = asyncio.run(measure(url, args.repeats, args.contacts))
    print(f"\n{'page':<30} {'median ms':>10} {'worst ms':>10} {'rows':>6}")
    for name, median, worst, count in rows:
        print(f"{name:<30} {median:>10.1f} {worst:>10.1f} {count:>6}")


if __name__ == "__main__":
    main()
