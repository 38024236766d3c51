"""The impact report for a period of local dates, the same for the dashboard and the command line."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.settings import Settings
from escalation import rota
from escalation.impact import Report, build_report
from escalation.wellbeing import hours_on_call
from storage import mentors as mentor_store
from storage import reports
from storage import rota as rota_store
from storage.db import SessionFactory


def period_bounds(start: date, end: date, settings: Settings) -> tuple[datetime, datetime]:
    """Local midnight of ``start`` to local midnight after ``end``, as UTC instants."""
    zone = settings.zone
    return (datetime.combine(start, time(0), zone), datetime.combine(end + timedelta(days=1), time(0), zone))


async def impact_report(sessions: SessionFactory, settings: Settings, start: date, end: date) -> Report:
    if end < start:
        raise ValueError("the period ends before it starts")
    lower, upper = period_bounds(start, end, settings)
    async with sessions() as session:
        closed = await reports.closed_sessions(session, lower, upper)
        replies = await reports.first_replies(session, lower, upper)
        alerts, past_first = await reports.alert_counts(session, lower, upper)
        no_reply = await reports.closed_without_reply(session, lower, upper)
        handled = await reports.contacts_handled(session, lower, upper)
        rules, overrides = await rota_store.load(session, lower, upper)
        names = {m.id: m.name for m in await mentor_store.all_mentors(session)}
    covers = rota.covers(rules, overrides, settings.zone, lower, upper)
    hours = {names.get(mentor_id, str(mentor_id)): h for mentor_id, h in hours_on_call(covers, lower, upper).items()}
    return build_report(start, end, settings.zone, settings.targets, closed, replies, alerts, past_first,
                        no_reply, hours, handled)
