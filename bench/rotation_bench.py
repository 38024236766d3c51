"""Time ``helpline keys rotate``: seed people, contacts and messages sealed with one key, then
re-seal everything with a new one, as the command does (small transactions, every sealed column).

    .venv/bin/python bench/rotation_bench.py [--messages 100000] [--database-url URL]

Prints a table: rows re-sealed and the time taken, and how long one contact page's worth of reads
takes before and after (the values must open with the new key alone). SQLite by default.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from bot.cli_keys import _rotate  # noqa: E402
from storage import sealing  # noqa: E402
from storage.db import create_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Contact, Identity, Message, Person  # noqa: E402

PER_CONTACT = 10


async def seed(url: str, messages: int) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    sessions = session_factory(engine)
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    contacts = messages // PER_CONTACT
    for first in range(0, contacts, 1000):
        async with sessions() as session, session.begin():
            batch = range(first, min(contacts, first + 1000))
            people = [Person(alias=f"P-{n:07d}", language="en", created_at=at) for n in batch]
            session.add_all(people)
            await session.flush()
            session.add_all(Identity(person_id=p.id, kind="sms", address=f"+4477009{n:05d}", created_at=at)
                            for n, p in zip(batch, people))
            opened = [Contact(person_id=p.id, channel="sms", status="closed", opened_at=at, last_activity_at=at,
                              note="staying with family") for p in people]
            session.add_all(opened)
            await session.flush()
            session.add_all(Message(contact_id=c.id, channel="sms", direction="in", sender_kind="person",
                                    body=f"message {k}: I can't cope at the hostel tonight", received_at=at,
                                    triage={"matched": [{"phrase": "can't cope"}]})
                            for c in opened for k in range(PER_CONTACT))
        print(f"\rseeded {min(contacts, first + 1000) * PER_CONTACT:,} messages", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    await engine.dispose()


async def read_all(url: str) -> float:
    engine = create_engine(url)
    began = time.perf_counter()
    async with session_factory(engine)() as session:
        bodies = list(await session.scalars(select(Message.body)))
    await engine.dispose()
    assert all(b.startswith("message ") for b in bodies)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite+aiosqlite:///{tempfile.mkdtemp(prefix='helpline-rotate-')}/bench.db"
    old = sealing.use_fresh_keys()
    asyncio.run(seed(url, args.messages))
    read_before = asyncio.run(read_all(url))
    new_key = sealing.new_key()
    lookup = base64.urlsafe_b64encode(old.lookup).decode()
    both = sealing.Keyring.from_text(f"{new_key},{base64.urlsafe_b64encode(old.keys[0]).decode()}", lookup)
    sealing.use(both)
    began = time.perf_counter()
    changed = asyncio.run(_rotate(url, check_serving=False))
    took = time.perf_counter() - began
    sealing.use(sealing.Keyring.from_text(new_key, lookup))
    read_after = asyncio.run(read_all(url))
    print(f"\n{'database':<10} {'values re-sealed':>17} {'seconds':>8} {'per second':>11} "
          f"{'read all, before':>17} {'after':>7}")
    print(f"{url.split(':')[0]:<10} {changed:>17,} {took:>8.1f} {changed / took:>11,.0f} "
          f"{read_before:>16.2f}s {read_after:>6.2f}s")


if __name__ == "__main__":
    main()
