"""Train the triage model (escalation/triage/learned.py) and write its weights.

    pip install -e '.[train]'
    python scripts/train_triage.py [EXTRA.jsonl ...] [--out escalation/triage/data/model.tsv.gz]

Learns from the project's own labelled messages: ``training/triage/*.jsonl`` (the data written to
``training/triage/PLAN.md``, and mentors' corrections exported with ``helpline triage corrections
--export`` saved there as ``corrections*.jsonl``) and ``tests/triage/cases.jsonl``. Never from the
unseen sets in ``tests/triage/unseen*``: they measure what nobody trained on.

Near-duplicates (the same message in other words: 85 % of the same words) count once. Five-fold
cross-validation on the training data alone picks the regularisation, the calibration of
the probabilities and the thresholds; the script prints the cross-validated figures,
by language and by category, of the whole triage (model, rules and lexicons together) and checks
that the shipped weights score as scikit-learn does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn import __version__ as sklearn_version
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from escalation.triage.classifier import DATA, Triage, load_triage  # noqa: E402
from escalation.triage.evaluate import Evaluation, Labelled, evaluate, read_labelled, report_lines  # noqa: E402
from escalation.triage.learned import FILE_NAME, OUTPUTS, TriageModel, load_model, write_model  # noqa: E402
from escalation.triage.model import CATEGORIES, LEVELS, Level  # noqa: E402

TRAINING = ROOT / "training" / "triage"
CASES = ROOT / "tests" / "triage" / "cases.jsonl"
MIN_DF = 2
C_GRID = (8.0, 16.0)
FOLDS = 5
NEAR_DUPLICATE = 0.85
URGENT_BETA = 2.0  # the threshold for high weighs recall four times precision


def training_files(extra: list[Path]) -> list[Path]:
    return sorted(TRAINING.glob("*.jsonl")) + [CASES] + extra


def print_coverage(files: list[Path]) -> None:
    """How the data covers the plan: messages by language and level, and by register."""
    cells: Counter[tuple[str, str]] = Counter()
    registers: Counter[str] = Counter()
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                cells[(row.get("lang", "?"), row["level"])] += 1
                registers[row.get("register", "(none: cases, corrections)")] += 1
    for lang in sorted({lang for lang, _ in cells}):
        print(f"  {lang}: " + ", ".join(f"{level} {cells[(lang, level)]}" for level in LEVELS))
    print("  registers: " + ", ".join(f"{name} {n}" for name, n in registers.most_common()))


def distinct(rows: list[Labelled], triage: Triage) -> tuple[list[Labelled], int]:
    """Drop messages that say what an earlier one says in (almost) the same words."""
    kept: list[Labelled] = []
    seen: dict[str, list[frozenset[str]]] = {}
    dropped = 0
    for row in rows:
        words = frozenset(t for t in triage.tokens(row.text) if t.isalnum())
        same = seen.setdefault(row.lang, [])
        if not words or any(len(words & w) / len(words | w) >= NEAR_DUPLICATE for w in same):
            dropped += 1
            continue
        same.append(words)
        kept.append(row)
    return kept, dropped


class Design:
    """The feature matrix: words and pairs scaled by 1/sqrt(their number), signals as 1."""

    def __init__(self, analysed: list[tuple[list[str], list[str]]], rows: range) -> None:
        df: Counter[str] = Counter()
        signals: set[str] = set()
        for i in rows:
            words, sig = analysed[i]
            df.update(set(words))
            signals.update(sig)
        self.names = sorted(f for f, n in df.items() if n >= MIN_DF) + sorted(signals)
        self.index = {f: i for i, f in enumerate(self.names)}

    def matrix(self, analysed: list[tuple[list[str], list[str]]], rows: list[int]) -> csr_matrix:
        data, cols, indptr = [], [], [0]
        for i in rows:
            words, sig = analysed[i]
            scale = 1.0 / math.sqrt(len(words)) if words else 0.0
            cells: Counter[int] = Counter()
            for f in words:
                j = self.index.get(f)
                if j is not None:
                    cells[j] += scale
            for f in sig:
                j = self.index.get(f)
                if j is not None:
                    cells[j] += 1.0
            cols.extend(cells)
            data.extend(cells.values())
            indptr.append(len(cols))
        return csr_matrix((data, cols, indptr), shape=(len(rows), len(self.names)))


HEAD_LEVELS = (Level.MEDIUM, Level.HIGH, Level.EMERGENCY)  # the heads' questions: this level or worse


def fit(x: csr_matrix, levels: np.ndarray, cats: np.ndarray, c: float) -> list[LogisticRegression | None]:
    """One logistic regression per output: the three level questions, then each category."""
    answers = [levels >= level for level in HEAD_LEVELS] + [cats[:, k] == 1 for k in range(len(CATEGORIES))]
    models: list[LogisticRegression | None] = []
    for y in answers:
        model = None
        if y.any() and not y.all():
            model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(x, y)
        models.append(model)
    return models


def scores(models: list[LogisticRegression | None], x: csr_matrix) -> np.ndarray:
    """Each output's raw score (the logit before calibration)."""
    return np.column_stack([m.decision_function(x) if m is not None else np.full(x.shape[0], -20.0)
                            for m in models])


def as_triage_model(design: Design, models: list[LogisticRegression | None], calibration: list[float],
                    thresholds: dict[str, float]) -> TriageModel:
    weights = np.zeros((len(design.names), len(OUTPUTS)))
    bias = np.full(len(OUTPUTS), -20.0)
    for out, model in enumerate(models):
        if model is not None:
            weights[:, out], bias[out] = model.coef_[0], model.intercept_[0]
    keep = np.abs(weights).max(axis=1) >= 1e-3
    table = {design.names[j]: tuple(float(v) for v in weights[j]) for j in np.flatnonzero(keep)}
    return TriageModel(table, tuple(float(b) for b in bias), calibration, thresholds)


def targets(rows: list[Labelled]) -> tuple[np.ndarray, np.ndarray]:
    levels = np.array([int(Level.parse(r.level)) for r in rows])
    cats = np.array([[c in r.categories for c in CATEGORIES] for r in rows], dtype=int)
    return levels, cats


def folds(rows: list[Labelled], seed: int):
    strata = [f"{r.lang}:{r.level}" for r in rows]
    return StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(rows, strata)


def out_of_fold(analysed, rows: list[Labelled], c: float) -> np.ndarray:
    """Each message's raw scores from models that never saw it."""
    levels, cats = targets(rows)
    raw = np.zeros((len(rows), len(OUTPUTS)))
    for train, test in folds(rows, 7):
        design = Design(analysed, train)
        models = fit(design.matrix(analysed, list(train)), levels[train], cats[train], c)
        raw[test] = scores(models, design.matrix(analysed, list(test)))
    return raw


def calibrate(raw: np.ndarray, levels: np.ndarray) -> list[float]:
    """Platt scaling of each level head on cross-validated scores: a scale and a shift that make
    its probabilities honest (the heads were trained with balanced classes, which shifts them)."""
    calibration: list[float] = []
    for head, level in enumerate(HEAD_LEVELS):
        platt = LogisticRegression(C=1e4).fit(raw[:, head:head + 1], levels >= level)
        calibration += [float(platt.coef_[0, 0]), float(platt.intercept_[0])]
    return calibration


def probabilities(raw: np.ndarray, calibration: list[float]) -> np.ndarray:
    """P(medium or worse), P(high or worse), P(emergency), as the service computes them."""
    p = np.column_stack([1 / (1 + np.exp(-(calibration[2 * h] * raw[:, h] + calibration[2 * h + 1])))
                         for h in range(len(HEAD_LEVELS))])
    p[:, 1] = np.maximum(p[:, 1], p[:, 2])
    p[:, 0] = np.maximum(p[:, 0], p[:, 1])
    return p


def log_loss(p: np.ndarray, levels: np.ndarray) -> float:
    """Mean log-loss of the three questions."""
    total = 0.0
    for head, level in enumerate(HEAD_LEVELS):
        y, q = levels >= level, np.clip(p[:, head], 1e-9, 1 - 1e-9)
        total += float(-(y * np.log(q) + (1 - y) * np.log(1 - q)).mean())
    return total / len(HEAD_LEVELS)


def pick_thresholds(p: np.ndarray, floors: np.ndarray, levels: np.ndarray, raw: np.ndarray,
                    cats: np.ndarray) -> dict[str, float]:
    """Thresholds from cross-validated predictions. For "high or worse", the best F2 (recall
    counts four times as much as precision: a missed crisis costs more than a false alarm, but a
    helpline that calls every message urgent trains its mentors to ignore it). For "emergency",
    medium and each category, the best F1: an emergency tells the person to call 999 and wakes the
    backup, so a false one costs the person too, while a missed one is still alerted as high."""
    grid = np.arange(0.02, 0.96, 0.01)

    def best(score: np.ndarray, actual: np.ndarray, floor_hit: np.ndarray, beta: float) -> float:
        return float(max(grid, key=lambda t: f_beta((score >= t) | floor_hit, actual, beta)))

    thresholds = {
        "emergency": best(p[:, 2], levels == 3, floors >= 3, 1.0),
        "high": best(p[:, 1], levels >= 2, floors >= 2, URGENT_BETA),
        "medium": best(p[:, 0], levels >= 1, floors >= 1, 1.0),
    }
    category_p = 1 / (1 + np.exp(-raw[:, len(HEAD_LEVELS):]))
    no_floor = np.zeros(len(levels), dtype=bool)
    for k, name in enumerate(CATEGORIES):
        thresholds[name] = best(category_p[:, k], cats[:, k] == 1, no_floor, 1.0)
    return thresholds


def f_beta(predicted: np.ndarray, actual: np.ndarray, beta: float) -> float:
    tp = float((predicted & actual).sum())
    if not tp:
        return 0.0
    precision, recall = tp / predicted.sum(), tp / actual.sum()
    return (1 + beta ** 2) * precision * recall / (beta ** 2 * precision + recall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extra", nargs="*", type=Path, help="more labelled .jsonl files")
    parser.add_argument("--out", type=Path, default=DATA / FILE_NAME)
    args = parser.parse_args()
    triage = load_triage(with_model=False)
    files = training_files(args.extra)
    everything = [row for path in files for row in read_labelled(path)]
    rows, dropped = distinct(everything, triage)
    print(f"{len(everything)} labelled messages in {len(files)} files; {dropped} near-duplicates dropped; "
          f"{len(rows)} used: " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(r.lang for r in rows).items())))
    print_coverage(files)
    analysed = [triage.features(r.text) for r in rows]
    levels, cats = targets(rows)

    floors = np.array([int(triage.read(r.text)[1].floor) for r in rows])
    results = {}
    for c in C_GRID:
        raw = out_of_fold(analysed, rows, c)
        calibration = calibrate(raw, levels)
        results[c] = (log_loss(probabilities(raw, calibration), levels), raw, calibration)
        print(f"C={c}: cross-validated log-loss {results[c][0]:.4f}", flush=True)
    c = min(results, key=lambda k: results[k][0])
    _, raw, calibration = results[c]
    thresholds = pick_thresholds(probabilities(raw, calibration), floors, levels, raw, cats)
    print(f"chosen C={c}, calibration {', '.join(f'{x:.2f}' for x in calibration)}, thresholds "
          + ", ".join(f"{k} {v:.2f}" for k, v in thresholds.items()), flush=True)

    report_cross_validated(analysed, rows, c, calibration, thresholds, triage)

    design = Design(analysed, range(len(rows)))
    models = fit(design.matrix(analysed, list(range(len(rows)))), levels, cats, c)
    model = as_triage_model(design, models, calibration, thresholds)
    comments = [
        "Triage model: written by scripts/train_triage.py; retrain, do not edit.",
        f"{dt.date.today().isoformat()}, scikit-learn {sklearn_version}, {len(rows)} messages from "
        + ", ".join(p.name for p in files) + f"; C={c}, min_df={MIN_DF}, {model.size} features",
    ]
    write_model(args.out, model, comments)
    check_shipped(args.out, triage, rows, design, models, calibration)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {model.size} features)")


def report_cross_validated(analysed, rows: list[Labelled], c: float, calibration: list[float],
                           thresholds: dict[str, float], triage: Triage) -> None:
    """The whole triage (model, rules, lexicons), each message judged by a model trained
    without it."""
    levels, cats = targets(rows)
    result = Evaluation()
    for train, test in folds(rows, 11):
        design = Design(analysed, train)
        models = fit(design.matrix(analysed, list(train)), levels[train], cats[train], c)
        fold = triage.with_model(as_triage_model(design, models, calibration, thresholds))
        result.merge(evaluate(fold, [rows[i] for i in test]))
    print("cross-validated, the whole triage:")
    for line in report_lines(result):
        print("  " + line)


def check_shipped(path: Path, triage: Triage, rows: list[Labelled], design: Design,
                  models: list[LogisticRegression | None], calibration: list[float]) -> None:
    """The weights as written (rounded) score like scikit-learn's models."""
    scorer = triage.with_model(load_model(path))
    sample = rows[:: max(1, len(rows) // 300)]
    x = design.matrix([triage.features(r.text) for r in sample], list(range(len(sample))))
    expected = probabilities(scores(models, x), calibration)
    worst = 0.0
    for row, p in zip(sample, expected):
        reading = scorer.score(row.text)
        worst = max(worst, abs(reading.at_least(Level.MEDIUM) - p[0]), abs(reading.at_least(Level.HIGH) - p[1]),
                    abs(reading.levels[Level.EMERGENCY] - p[2]))
    print(f"shipped weights against scikit-learn on {len(sample)} messages: largest difference {worst:.4f}")
    if worst > 0.01:
        raise SystemExit("the shipped weights do not score as trained")


if __name__ == "__main__":
    main()
