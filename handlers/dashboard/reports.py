"""Reports: the impact figures for a chosen period, as the partnership reports them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.reporting import impact_report
from bot.web.charts import bar_chart
from handlers.dashboard.common import coordinator, day_of, services


def report_period(request: web.Request, days: int = 90) -> tuple[date, date]:
    """The report's period from the query: by default the last ``days`` days up to today."""
    today = services(request).clock().astimezone(services(request).settings.zone).date()
    end = day_of(request.query.get("to"), "to") or today
    start = day_of(request.query.get("from"), "from") or end - timedelta(days=days - 1)
    if end < start or (end - start).days > 3660:
        raise web.HTTPBadRequest(text="the period must end after it starts and span at most ten years")
    return start, end


@aiohttp_jinja2.template("reports.html")
async def reports_page(request: web.Request) -> dict[str, Any]:
    coordinator(request)
    start, end = report_period(request)
    report = await impact_report(services(request).sessions, services(request).settings, start, end)
    weekly = len(report.sessions_by_week) <= 26
    series = report.sessions_by_week if weekly else report.sessions_by_month
    chart = bar_chart(series, "Sessions per week" if weekly else "Sessions per month")
    return {"r": report, "chart": chart, "start": start, "end": end}
