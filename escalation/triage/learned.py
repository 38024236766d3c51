"""The triage model: calibrated probabilities of each level and category from a message's features.

A linear model, trained by ``scripts/train_triage.py`` (scikit-learn, the ``train`` extra) and
shipped as weights in ``data/model.tsv.gz``: scoring is a sum of weights, so the service needs
no scikit-learn, starts in well under a second and scores thousands of messages a second.

Levels are ordered, so the model answers three yes-or-no questions, each a logistic regression:
is the message medium or worse, high or worse, an emergency? Each answer's score is calibrated
(Platt scaling fitted on cross-validated predictions, so that "p = 0.8" is right about 8 times in
10); each category is its own logistic regression. The level is the most urgent one whose
probability reaches its threshold. The thresholds are chosen by cross-validation; for "high or
worse" recall weighs four times precision, so when two levels are close the more urgent wins, as
the labels ask.
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from escalation.triage.features import PAIR
from escalation.triage.lexicon import LexiconError
from escalation.triage.model import CATEGORIES, Level

FILE_NAME = "model.tsv.gz"
HEADS = ("at_least_medium", "at_least_high", "emergency")  # head i: the level is Level(i + 1) or worse
OUTPUTS = HEADS + CATEGORIES
WIDTH = len(OUTPUTS)
ZERO = (0.0,) * WIDTH
EXPLAIN_TOP = 3
SIGNAL_CACHE_LIMIT = 100_000  # distinct sets of signals remembered; they repeat across messages


def total(vectors: Iterable[Sequence[float]]) -> list[float]:
    """Vectors added up, column by column in C: the hot path of scoring."""
    return list(map(sum, zip(ZERO, *vectors)))


class Reading(NamedTuple):
    """What the model made of one message."""

    levels: tuple[float, ...]  # probability of low, medium, high, emergency
    categories: dict[str, float]
    level: Level

    def at_least(self, level: Level) -> float:
        return sum(self.levels[level:])


class _Signals(NamedTuple):
    fixed: list[float]  # the bias plus the signals' weights: the part of a score its words do not change
    pushes: list[tuple[str, tuple[float, ...]]]  # each signal and its ``push``, for the explanation


class TriageModel:
    def __init__(self, weights: dict[str, tuple[float, ...]], bias: Sequence[float], calibration: Sequence[float],
                 thresholds: dict[str, float]) -> None:
        self.weights, self.bias, self.calibration = weights, tuple(bias), tuple(calibration)
        self.thresholds = thresholds
        self._pushes: dict[str, tuple[float, ...]] = {}
        self._signals: dict[tuple[str, ...], _Signals] = {}
        # the weights of word pairs ("b:took 30") by the two words: a message's pairs are looked
        # up without building their names
        self.pairs: dict[tuple[str, str], tuple[float, ...]] = {
            tuple(f[len(PAIR):].split(" ", 1)): v for f, v in weights.items() if f.startswith(PAIR)}  # type: ignore[misc]

    @property
    def size(self) -> int:
        return len(self.weights)

    def sum(self, features: Sequence[str]) -> tuple[list[float], int]:
        """The weights of ``features`` added up, and how many features there were (known or
        not: the scale of a message's words depends on all of them)."""
        get = self.weights.get
        return total(v for v in map(get, features) if v is not None), len(features)

    def read(self, words: Sequence[float], word_count: int, signals: Sequence[str]) -> Reading:
        """``words``: the summed weights of the word and pair features; ``signals``: the
        signal features, which count once each."""
        scale = 1.0 / math.sqrt(word_count) if word_count else 0.0
        logits = [fixed + w * scale for fixed, w in zip(self.signals(tuple(signals)).fixed, words)]
        a, b, c, d, e, f = self.calibration
        emergency = _sigmoid(e * logits[2] + f)
        high = max(_sigmoid(c * logits[1] + d), emergency)  # an emergency is "high or worse": the more urgent holds
        medium = max(_sigmoid(a * logits[0] + b), high)
        levels = (1.0 - medium, medium - high, high - emergency, emergency)
        exp = math.exp  # _sigmoid inline: ten calls a message cost more than the arithmetic
        categories = dict(zip(CATEGORIES, [1.0 / (1.0 + exp(-z)) if z > -50 else 0.0 for z in logits[len(HEADS):]]))
        return Reading(levels, categories, self._decide(levels))

    def signals(self, signals: tuple[str, ...]) -> _Signals:
        """What a set of signals contributes, worked out once per distinct set: the same few
        findings recur in many messages."""
        known = self._signals.get(signals)
        if known is None:
            get = self.weights.get
            fixed = total([self.bias, *(v for v in map(get, signals) if v is not None)])
            known = _Signals(fixed, [(f, self.pushes(f)) for f in signals])
            if len(self._signals) < SIGNAL_CACHE_LIMIT:
                self._signals[signals] = known
        return known

    def _decide(self, levels: tuple[float, ...]) -> Level:
        for level in (Level.EMERGENCY, Level.HIGH, Level.MEDIUM):
            if sum(levels[level:]) >= self.thresholds[level.label]:
                return level
        return Level.LOW

    def categories_of(self, reading: Reading) -> list[str]:
        return [name for name, p in reading.categories.items() if p >= self.thresholds[name]]

    def push(self, vector: Sequence[float]) -> tuple[float, ...]:
        """How much weights push a message towards each level (towards low: away from medium):
        what the explanation ranks features by."""
        return (-vector[0], vector[0], vector[1], vector[2])

    def pushes(self, feature: str) -> tuple[float, ...]:
        """``push`` of one feature's weights, remembered (features repeat across messages)."""
        known = self._pushes.get(feature)
        if known is None:
            known = self._pushes[feature] = self.push(self.weights.get(feature, ZERO))
        return known


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0


def load_model(path: Path) -> TriageModel | None:
    """Read the weights; None when the file is absent (the lexicons and rules then work alone).

    Format (gzip, tab-separated): ``outputs`` with the output names, ``bias`` with a value for
    each, ``calibration`` with a scale and a shift for each level head, ``threshold NAME value``
    lines, then a feature and its weights a line."""
    if not path.exists():
        return None
    weights: dict[str, tuple[float, ...]] = {}
    settings: dict[str, list[str]] = {}
    thresholds: dict[str, float] = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            parts = line.rstrip("\n").split("\t")
            try:
                if parts[0].startswith("#"):
                    continue
                if parts[0] == "threshold" and len(parts) == 3:
                    thresholds[parts[1]] = float(parts[2])
                elif parts[0] in ("outputs", "bias", "calibration"):
                    settings[parts[0]] = parts[1:]
                elif len(parts) == WIDTH + 1:
                    weights[parts[0]] = tuple(map(float, parts[1:]))
                else:
                    raise ValueError(f"expected a feature and {WIDTH} weights")
            except ValueError as error:
                raise LexiconError(f"{path.name}:{number}: {error}") from None
    _check(path, settings, thresholds)
    return TriageModel(weights, tuple(map(float, settings["bias"])), tuple(map(float, settings["calibration"])),
                       thresholds)


def _check(path: Path, settings: dict[str, list[str]], thresholds: dict[str, float]) -> None:
    if tuple(settings.get("outputs", ())) != OUTPUTS:
        raise LexiconError(f"{path.name}:1: outputs must be {' '.join(OUTPUTS)}")
    if len(settings.get("bias", ())) != WIDTH or len(settings.get("calibration", ())) != 2 * len(HEADS):
        raise LexiconError(f"{path.name}:1: needs a bias of {WIDTH} values and a calibration of {2 * len(HEADS)}")
    missing = [n for n in ("emergency", "high", "medium", *CATEGORIES) if n not in thresholds]
    if missing:
        raise LexiconError(f"{path.name}:1: missing threshold for {', '.join(missing)}")


def write_model(path: Path, model: TriageModel, comments: Sequence[str]) -> None:
    """Written by the training script; the format ``load_model`` reads."""
    def number(x: float) -> str:
        return "0" if abs(x) < 5e-5 else f"{x:.4g}"
    lines = [f"# {c}" for c in comments]
    lines.append("outputs\t" + "\t".join(OUTPUTS))
    lines.append("bias\t" + "\t".join(number(b) for b in model.bias))
    lines.append("calibration\t" + "\t".join(f"{x:.5g}" for x in model.calibration))
    lines += [f"threshold\t{n}\t{t:.4f}" for n, t in model.thresholds.items()]
    lines += [f + "\t" + "\t".join(number(w) for w in model.weights[f]) for f in sorted(model.weights)]
    # mtime 0: the same weights give the same file, so a retrain shows in git only if it changed
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0))
