"""``helpline report``: impact figures from a terminal. (``helpline users`` lives in bot.cli_users;
``users_app`` is imported here too, where bot.cli has always found it.)"""

from __future__ import annotations

import asyncio
import csv
import json
import sys
from datetime import date
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from bot.cli_db import settings_or_exit
from bot.cli_users import users_app  # noqa: F401  (bot.cli registers it from here)
from escalation.impact import Report

console = Console(highlight=False, soft_wrap=True)


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date; use YYYY-MM-DD", param_hint=option) from None


def report(
    start: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD (local)"),
    end: str = typer.Option(..., "--to", help="Last day, YYYY-MM-DD (included)"),
    output: str = typer.Option("table", "--format", help="table, csv or json"),
) -> None:
    """Sessions delivered and people mentored against the pro-rated targets, and the service's measures."""
    if output not in ("table", "csv", "json"):
        raise typer.BadParameter("use table, csv or json", param_hint="--format")
    first, last = _day(start, "--from"), _day(end, "--to")
    if last < first:
        raise typer.BadParameter("must not be before --from", param_hint="--to")
    settings = settings_or_exit()

    async def go() -> Report:
        from bot.reporting import impact_report
        from storage.db import create_engine, session_factory
        from storage.migrate import upgrade

        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
            return await impact_report(session_factory(engine), settings, first, last)
        finally:
            await engine.dispose()

    result = asyncio.run(go())
    if output == "json":
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    elif output == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["measure", "value"])
        writer.writerows(report_lines(result))
    else:
        table = Table("measure", "value", title=f"Helpline impact {result.period_from} to {result.period_to}")
        for name, value in report_lines(result):
            table.add_row(name, str(value))
        console.print(table)


def report_lines(r: Report) -> list[tuple[str, Any]]:
    """The report flattened to (measure, value): the rows of the table and of the CSV."""
    lines: list[tuple[str, Any]] = [
        ("sessions_delivered", r.sessions_delivered), ("sessions_target", r.sessions_target),
        ("sessions_rag", r.sessions_rag), ("people_mentored", r.people_mentored),
        ("people_target", r.people_target), ("people_rag", r.people_rag), ("rag", r.rag),
        ("closed_no_reply", r.closed_no_reply), ("alerts", r.alerts),
        ("alerts_past_first_mentor", r.alerts_past_first)]
    for level, figures in r.first_reply_minutes.items():
        lines.append((f"first_reply_minutes_{level}_median", figures["median"]))
        lines.append((f"first_reply_minutes_{level}_p90", figures["p90"]))
    lines += [(f"pathway:{name}", count) for name, count in r.pathways.items()]
    lines += [(f"outcome:{name}", count) for name, count in r.outcomes.items()]
    lines += [(f"mentor:{m['mentor']}:hours_on_call", m["hours_on_call"]) for m in r.mentors]
    lines += [(f"mentor:{m['mentor']}:contacts_handled", m["contacts_handled"]) for m in r.mentors]
    lines += [(f"week:{week}", count) for week, count in r.sessions_by_week]
    return lines
