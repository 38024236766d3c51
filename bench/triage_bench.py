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
import tracemalloc
from pathlib import Path

from rich.console import Console
from rich.table import Table

from escalation.triage import load_triage

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
    texts = [json.loads(line)["text"] for line in args.file.read_text().splitlines() if line.strip()]

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    started = time.perf_counter()
    triage = load_triage()
    load_seconds = time.perf_counter() - started
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    lexicon_bytes = sum(stat.size_diff for stat in after.compare_to(before, "filename"))

    batch = (texts * (args.messages // len(texts) + 1))[: args.messages]
    rates = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for text in batch:
            triage.classify(text)
        rates.append(len(batch) / (time.perf_counter() - started))
    mean_chars = statistics.mean(len(t) for t in texts)

    table = Table(title="triage benchmark (one core)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("messages per round", f"{len(batch):,}")
    table.add_row("mean message length", f"{mean_chars:.0f} characters")
    table.add_row("throughput, median of rounds", f"{statistics.median(rates):,.0f} msg/s")
    table.add_row("throughput, worst round", f"{min(rates):,.0f} msg/s")
    table.add_row("time per message, median", f"{1e6 / statistics.median(rates):.1f} µs")
    table.add_row("lexicon entries", f"{triage.entry_count:,}")
    table.add_row("load and compile time", f"{load_seconds * 1000:.0f} ms")
    table.add_row("memory of loaded lexicons", f"{lexicon_bytes / 1024:,.0f} KiB")
    table.add_row("target", "≥ 20,000 msg/s")
    Console().print(table)


if __name__ == "__main__":
    main()
