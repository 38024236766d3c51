"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from storage.models import Base


async def test_migrated_schema_matches_the_models(backend):
    engine = create_async_engine(backend.database_url)

    def differences(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as connection:
        diff = await connection.run_sync(differences)
    await engine.dispose()
    assert diff == []


async def test_a_database_with_alerts_and_deadlines_upgrades_to_the_newest_schema(backend):
    """Revision 0008 adds columns to alerts, which deadlines refer to: on SQLite a batch copy of
    alerts fails its foreign keys once there is data, so it must add columns in place."""
    import sqlalchemy as sa
    from alembic import command

    from storage.db import create_engine
    from storage.migrate import alembic_config

    engine = create_engine(backend.database_url)

    async def migrate(step: str, revision: str) -> None:
        async with engine.begin() as connection:
            await connection.run_sync(lambda sync: getattr(command, step)(alembic_config(sync), revision))

    try:
        await migrate("downgrade", "0007")
        async with engine.begin() as c:
            for sql in (
                "INSERT INTO people (id, alias, language, created_at, iom_cohort) VALUES (1, 'P-OLD1', 'en', '2026-01-01', false)",
                "INSERT INTO contacts (id, person_id, channel, status, opened_at, last_activity_at) "
                "VALUES (1, 1, 'sms', 'open', '2026-01-01', '2026-01-01')",
                "INSERT INTO alerts (id, contact_id, level, step, state, opened_at) VALUES (1, 1, 'high', 0, 'open', '2026-01-01')",
                "INSERT INTO deadlines (id, alert_id, step, due_at, state) VALUES (1, 1, 1, '2026-01-01', 'pending')",
            ):
                await c.execute(sa.text(sql))
        await migrate("upgrade", "head")
        async with engine.connect() as c:
            kinds = (await c.execute(sa.text("SELECT kind, message_id FROM alerts"))).all()
            answers = (await c.execute(sa.text("SELECT safety_answer FROM contacts"))).all()
    finally:
        await engine.dispose()
    assert [tuple(k) for k in kinds] == [("contact", None)] and [tuple(a) for a in answers] == [(None,)]
