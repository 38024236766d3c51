"""Measuring the triage against labelled messages (the format of shared/triage/dev.jsonl)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from escalation.triage.classifier import Triage
from escalation.triage.model import CATEGORIES, LEVELS, Level

URGENT = ("high", "emergency")


@dataclass(frozen=True)
class Labelled:
    text: str
    lang: str
    level: str
    categories: tuple[str, ...]


@dataclass
class Scores:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positive + self.false_negative
        return self.true_positive / actual if actual else 1.0


@dataclass
class Evaluation:
    total: int = 0
    exact: int = 0
    levels: dict[str, Scores] = field(default_factory=lambda: {lvl: Scores() for lvl in LEVELS})
    categories: dict[str, Scores] = field(default_factory=lambda: {c: Scores() for c in CATEGORIES})
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)  # (expected, predicted)
    urgent: Scores = field(default_factory=Scores)
    misclassified: list[tuple[Labelled, str, tuple[str, ...]]] = field(default_factory=list)
    by_language: dict[str, "Evaluation"] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        return self.exact / self.total if self.total else 0.0

    @property
    def emergency_recall(self) -> float:
        """Emergencies flagged emergency."""
        return self.levels["emergency"].recall

    @property
    def emergency_at_least_high(self) -> float:
        """Emergencies flagged high or emergency: the mentor is alerted with a short deadline."""
        total = sum(n for (e, _), n in self.confusion.items() if e == "emergency")
        caught = sum(n for (e, p), n in self.confusion.items() if e == "emergency" and p in URGENT)
        return caught / total if total else 1.0

    def headline(self) -> dict[str, float]:
        """The measures of the triage issue's table, in its order."""
        return {"urgent recall": self.urgent.recall, "emergencies at least high": self.emergency_at_least_high,
                "emergencies flagged emergency": self.emergency_recall,
                "urgent precision": self.urgent.precision, "exact level accuracy": self.accuracy}

    def merge(self, other: "Evaluation") -> None:
        """Add another evaluation's counts (cross-validation folds)."""
        self.total += other.total
        self.exact += other.exact
        for mine, theirs in ((self.levels, other.levels), (self.categories, other.categories)):
            for name, scores in theirs.items():
                _add(mine[name], scores)
        for key, n in other.confusion.items():
            self.confusion[key] = self.confusion.get(key, 0) + n
        _add(self.urgent, other.urgent)
        self.misclassified += other.misclassified
        for lang, part in other.by_language.items():
            self.by_language.setdefault(lang, Evaluation()).merge(part)

    def as_dict(self) -> dict[str, object]:
        return {
            "messages": self.total, "level_accuracy": round(self.accuracy, 4),
            "urgent_recall": round(self.urgent.recall, 4), "urgent_precision": round(self.urgent.precision, 4),
            "emergency_recall": round(self.emergency_recall, 4),
            "levels": {k: {"precision": round(v.precision, 4), "recall": round(v.recall, 4)}
                       for k, v in self.levels.items()},
            "categories": {k: {"precision": round(v.precision, 4), "recall": round(v.recall, 4)}
                           for k, v in self.categories.items()},
            "confusion": {f"{e}->{p}": n for (e, p), n in sorted(self.confusion.items())},
            "by_language": {lang: {k: round(v, 4) for k, v in part.headline().items()}
                            for lang, part in sorted(self.by_language.items())},
        }


def read_labelled(path: Path) -> list[Labelled]:
    """Read a .jsonl file; a bad line stops with its number."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            Level.parse(data["level"])
            rows.append(Labelled(data["text"], data.get("lang", ""), data["level"],
                                 tuple(data.get("categories", []))))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path.name}:{number}: {error}") from None
    return rows


def evaluate(triage: Triage, rows: Iterable[Labelled]) -> Evaluation:
    result = Evaluation()
    for row in rows:
        predicted = triage.classify(row.text)
        _count(result, row, predicted.level.label, predicted.categories)
        _count(result.by_language.setdefault(row.lang or "?", Evaluation()), row, predicted.level.label,
               predicted.categories)
    return result


def report_lines(result: Evaluation) -> list[str]:
    """The headline measures overall and per language, then per category: plain lines for a
    terminal or a README table."""
    names = list(result.headline())
    lines = ["| set | messages | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for label, part in [("all", result), *sorted(result.by_language.items())]:
        lines.append(f"| {label} | {part.total} | " + " | ".join(f"{v:.3f}" for v in part.headline().values()) + " |")
    lines += ["", "| category | precision | recall | messages |", "|---|---|---|---|"]
    for name, scores in result.categories.items():
        lines.append(f"| {name} | {scores.precision:.3f} | {scores.recall:.3f} | "
                     f"{scores.true_positive + scores.false_negative} |")
    return lines


def _add(mine: Scores, theirs: Scores) -> None:
    mine.true_positive += theirs.true_positive
    mine.false_positive += theirs.false_positive
    mine.false_negative += theirs.false_negative


def _count(result: Evaluation, row: Labelled, level: str, categories: tuple[str, ...]) -> None:
    result.total += 1
    result.exact += level == row.level
    result.confusion[(row.level, level)] = result.confusion.get((row.level, level), 0) + 1
    for name, scores in result.levels.items():
        _tally(scores, row.level == name, level == name)
    for name, scores in result.categories.items():
        _tally(scores, name in row.categories, name in categories)
    _tally(result.urgent, Level.parse(row.level) >= Level.HIGH, Level.parse(level) >= Level.HIGH)
    if level != row.level or set(categories) != set(row.categories):
        result.misclassified.append((row, level, categories))


def _tally(scores: Scores, expected: bool, predicted: bool) -> None:
    if expected and predicted:
        scores.true_positive += 1
    elif predicted:
        scores.false_positive += 1
    elif expected:
        scores.false_negative += 1
