"""Triage speed and memory: messages per second on one core, and the loaded lexicons' size.

    python bench/triage_bench.py [--messages N] [--file dev.jsonl]

Prints a table. The target (issue 3) is at least 20,000 messages a second on one core.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import time
import timeit
import tracemalloc
from pathlib import Path

from rich.console import Console
from rich.table import Table

from escalation.triage import Triage, load_triage

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILE = ROOT.parent / "shared" / "triage" / "dev.jsonl"
FALLBACK = ROOT / "tests" / "triage" / "cases.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE if DEFAULT_FILE.exists() else FALLBACK)
    parser.add_argument("--rounds", type=int, default=5)
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
    table.add_row("throughput, median of rounds", f"{statistics.median(rates):,.0f} msg/s")
    table.add_row("throughput, worst round", f"{min(rates):,.0f} msg/s")
    table.add_row("time per message, median", f"{1e6 / statistics.median(rates):.1f} µs")
    for name, subset in (("routine messages only (labelled low)", routine), ("risk messages only (high, emergency)", risky)):
        if subset:
            table.add_row(f"throughput, {name}", f"{statistics.median(_rates(triage, subset, args.messages // 2, 3)):,.0f} msg/s")
    table.add_row("lexicon entries", f"{triage.entry_count:,}")
    table.add_row("load and compile time", f"{load_seconds * 1000:.0f} ms")
    table.add_row("memory of loaded lexicons and net", f"{lexicon_bytes / 1024:,.0f} KiB")
    table.add_row("target", "≥ 20,000 msg/s")
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


def _reference_loop() -> float:
    """A fixed pure-Python workload: CPython speed differs a lot between machines, so the
    figures above mean more next to this one."""
    return min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000 * 1e6


if __name__ == "__main__":
    main()
