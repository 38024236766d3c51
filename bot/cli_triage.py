"""``helpline triage``: classify messages, and measure the triage against labelled ones."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from escalation.triage import LEVELS, load_triage
from escalation.triage.classifier import DATA
from escalation.triage.evaluate import Evaluation, evaluate, read_labelled
from escalation.triage.lexicon import LexiconError

app = typer.Typer(help="Triage: urgency and risk categories of messages.", invoke_without_command=True)
console = Console(highlight=False, soft_wrap=True)


def _triage():  # type: ignore[no-untyped-def]
    from bot.cli_db import settings_or_exit

    try:
        return load_triage(settings_or_exit().triage_data or DATA)
    except LexiconError as error:
        typer.echo(f"helpline: triage lexicon: {error}", err=True)
        raise typer.Exit(2) from None


@app.callback()
def classify(
    ctx: typer.Context,
    text: Optional[str] = typer.Option(None, "--text", help="Classify this one message."),
) -> None:
    """Read messages one per line from standard input (or --text) and write one JSON object
    per line: level, categories, lang, matched phrases and why."""
    if ctx.invoked_subcommand is not None:
        return
    triage = _triage()
    lines = [text] if text is not None else (line.rstrip("\n") for line in _stdin_lines())
    for line in lines:
        if line.strip():
            print(json.dumps(triage.classify(line).as_dict(), ensure_ascii=False), flush=True)


def _stdin_lines():  # type: ignore[no-untyped-def]
    """Standard input as UTF-8 whatever the locale says, so emoji never crash the command."""
    return (raw.decode("utf-8", errors="replace") for raw in sys.stdin.buffer)


@app.command("eval")
def eval_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Labelled messages, .jsonl"),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
    show: int = typer.Option(50, help="How many misclassified messages to list."),
) -> None:
    """Precision and recall per level and category, the level confusion matrix, urgent recall
    and precision (urgent = emergency or high), and the misclassified messages."""
    try:
        rows = read_labelled(file)
    except ValueError as error:
        typer.echo(f"helpline: {error}", err=True)
        raise typer.Exit(2) from None
    result = evaluate(_triage(), rows)
    if as_json:
        print(json.dumps(result.as_dict()))
        return
    _print_evaluation(result, show)


def _print_evaluation(result: Evaluation, show: int) -> None:
    console.print(f"{result.total} messages  level accuracy {result.accuracy:.3f}  "
                  f"urgent recall {result.urgent.recall:.3f}  urgent precision {result.urgent.precision:.3f}  "
                  f"emergency recall {result.emergency_recall:.3f}")
    by_language = Table("", "messages", *result.headline(), title="by language")
    for label, part in [("all", result), *sorted(result.by_language.items())]:
        by_language.add_row(label, str(part.total), *(f"{v:.3f}" for v in part.headline().values()))
    console.print(by_language)
    scores = Table("", "precision", "recall", title="levels and categories")
    for name, s in [*result.levels.items(), *result.categories.items()]:
        scores.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}")
    console.print(scores)
    confusion = Table("expected \\ predicted", *LEVELS, title="level confusion")
    for expected in LEVELS:
        confusion.add_row(expected, *(str(result.confusion.get((expected, p), 0)) for p in LEVELS))
    console.print(confusion)
    console.print(f"misclassified: {len(result.misclassified)}")
    for row, level, categories in result.misclassified[:show]:
        console.print(f"- expected {row.level} {list(row.categories)}, got {level} {list(categories)}: "
                      f"{row.text}", markup=False)


@app.command("corrections")
def corrections_command(
    export: Path = typer.Option(..., "--export", dir_okay=False, writable=True,
                                help="Write mentors' corrections here as labelled messages (.jsonl)."),
) -> None:
    """Mentors' corrections of the triage as labelled messages, in the format of the labelled
    sets (text, lang, level, categories) plus the level the triage gave; phone numbers, e-mail
    addresses, aliases and mentors' names are taken out of the text."""
    import asyncio

    from bot.cli_db import command_session, settings_or_exit
    from escalation.corrections import scrub
    from storage import corrections
    from storage.mentors import all_mentors

    async def go() -> int:
        written = 0
        async with command_session(settings_or_exit()) as session:
            names = [m.name for m in await all_mentors(session)]
            with export.open("w", encoding="utf-8") as out:
                async for example in corrections.examples(session):
                    row = {"text": scrub(example.text, names), "lang": example.lang, "level": example.level_corrected,
                           "categories": list(example.categories), "triage_level": example.level_given,
                           "corrected_at": example.at.date().isoformat(), "source": "mentor correction"}
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    written += 1
        return written

    count = asyncio.run(go())
    console.print(f"wrote {count} corrected message{'s' if count != 1 else ''} to {export}")
