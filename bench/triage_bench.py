"""Triage speed and size: messages per second on one core, start-up, the model file.

    python bench/triage_bench.py [--messages N] [--file dev.jsonl]

Prints a table. The targets (issue 13, the model): at least 5,000 messages a second on one core,
start-up under 2 s, the model file under 20 MB. Start-up is measured in a fresh interpreter
(import and load, as the service does it), memory with tracemalloc in this one.

Throughput is measured in many short rounds. The best round is the speed of the code on this
machine when nothing else takes the core (what ``timeit`` reports, and how the reference loop
at the bottom is measured); the median and the worst show how much a busy or shared machine
takes away. On a shared virtual machine the two can differ by half.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import timeit
import tracemalloc
from pathlib import Path

from rich.console import Console
from rich.table import Table

from escalation.triage import Triage, load_triage
from escalation.triage.classifier import DATA
from escalation.triage.learned import FILE_NAME

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT.parent / "shared" / "triage" / "dev.jsonl"
FALLBACK = ROOT / "tests" / "triage" / "cases.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000, help="messages per round")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE if DEFAULT_FILE.exists() else FALLBACK)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    rows = [json.loads(line) for line in args.file.read_text().splitlines() if line.strip()]
    texts = [row["text"] for row in rows]

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    started = time.perf_counter()
    triage = load_triage()
    load_seconds = time.perf_counter() - started
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    lexicon_bytes = sum(stat.size_diff for stat in after.compare_to(before, "filename"))

    rates = _rates(triage, texts, args.messages, args.rounds)
    routine = [row["text"] for row in rows if row.get("level") == "low"]
    risky = [row["text"] for row in rows if row.get("level") in ("high", "emergency")]
    mean_chars = statistics.mean(len(t) for t in texts)

    table = Table(title="triage benchmark (one core)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("messages per round", f"{args.messages:,}")
    table.add_row("mean message length", f"{mean_chars:.0f} characters")
    table.add_row("throughput, best round", f"{max(rates):,.0f} msg/s")
    table.add_row("throughput, median of rounds", f"{statistics.median(rates):,.0f} msg/s")
    table.add_row("throughput, worst round", f"{min(rates):,.0f} msg/s")
    table.add_row("time per message, best round", f"{1e6 / max(rates):.1f} µs")
    for name, subset in (("routine messages only (labelled low)", routine), ("risk messages only (high, emergency)", risky)):
        if subset:
            subset_rates = _rates(triage, subset, args.messages // 2, args.rounds // 2)
            table.add_row(f"throughput, {name}, best / median",
                          f"{max(subset_rates):,.0f} / {statistics.median(subset_rates):,.0f} msg/s")
    table.add_row("lexicon and gazetteer entries", f"{triage.entry_count:,}")
    table.add_row("model features", f"{triage.model.size if triage.model else 0:,}")
    table.add_row("model file", f"{(DATA / FILE_NAME).stat().st_size / 1e6:.1f} MB (target < 20 MB)")
    table.add_row("start-up, fresh process (import and load)", f"{_start_up():.2f} s (target < 2 s)")
    table.add_row("load time under tracemalloc", f"{load_seconds * 1000:.0f} ms")
    table.add_row("memory of loaded lexicons and model", f"{lexicon_bytes / 1024:,.0f} KiB")
    table.add_row("target", "≥ 5,000 msg/s")
    table.add_row("this machine: python sum(range(1000))", f"{_reference_loop():.1f} µs (to compare machines)")
    Console().print(table)


def _rates(triage: Triage, texts: list[str], messages: int, rounds: int) -> list[float]:
    """Messages per second in each round over the texts repeated to ``messages``."""
    batch = (texts * (messages // len(texts) + 1))[:messages]
    classify = triage.classify
    rates = []
    for _ in range(rounds):
        started = time.perf_counter()
        for text in batch:
            classify(text)
        rates.append(len(batch) / (time.perf_counter() - started))
    return rates


def _start_up() -> float:
    """Seconds for a new interpreter to import the triage and load every data file: the part
    of the service's start that the triage adds. The best of three, as a cold disk cache is not
    the triage's doing."""
    code = ("import time; t = time.perf_counter(); from escalation.triage import load_triage; load_triage(); "
            "print(time.perf_counter() - t)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
            for _ in range(3)]
    return min(float(run.stdout) for run in runs)


def _reference_loop() -> float:
    """A fixed pure-Python workload: CPython speed differs a lot between machines, so the
    figures above mean more next to this one."""
    return min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000 * 1e6


if __name__ == "__main__":
    main()
