"""`helpline demo`'s sample: made once, realistic (every level, outcomes, pathways, a rota gap),
and a fresh password each start."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.accounts import Accounts, LoginRefused
from bot.demo import DEMO_USER, ensure_demo
from escalation import rota
from escalation.triage.classifier import default_triage
from storage import rota as rota_store
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Contact, Mentor

NOW = datetime(2026, 11, 23, 12, tzinfo=timezone.utc)


async def test_the_demo_sample_is_made_once_and_looks_like_a_real_helpline(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}")
    await upgrade(engine)
    sessions = session_factory(engine)
    try:
        async with sessions() as session, session.begin():
            first = await ensure_demo(session, default_triage(), NOW)
        async with sessions() as session, session.begin():
            second = await ensure_demo(session, default_triage(), NOW)
            contacts = await session.scalar(select(func.count()).select_from(Contact))
            mentors = await session.scalar(select(func.count()).select_from(Mentor))
            levels = set(await session.scalars(select(Contact.urgency).distinct()))
            outcomes = set(await session.scalars(select(Contact.outcome).distinct()))
            open_now = await session.scalar(select(func.count()).select_from(Contact).where(Contact.status == "open"))
            oldest = await session.scalar(select(func.min(Contact.opened_at)))
            rules, overrides = await rota_store.load(session, NOW, NOW + timedelta(days=7))
        assert mentors == 5 and 400 < contacts < 1000, "three months at a few contacts a day, seeded once"
        assert levels == {"emergency", "high", "medium", "low"}
        assert {"support given", "signposted", "referred"} <= outcomes
        assert open_now >= 1, "the live queue is not empty"
        assert NOW - oldest > timedelta(days=85)
        holes = rota.gaps(rules, overrides, ZoneInfo("Europe/London"), NOW, NOW + timedelta(days=7))
        assert holes and all((end - start) == timedelta(hours=8) for start, end in holes), "one night without a primary"
        assert first != second, "a new password at every start"
        accounts = Accounts(sessions, lambda: NOW)
        assert await accounts.log_in(DEMO_USER, second, "127.0.0.1")
        try:
            await accounts.log_in(DEMO_USER, first, "127.0.0.1")
            raise AssertionError("the old password still works")
        except LoginRefused:
            pass
    finally:
        await engine.dispose()
