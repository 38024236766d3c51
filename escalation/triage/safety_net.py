"""A statistical second opinion that can only make a message more urgent, never less.

The lexicons explain every decision but only know the phrasings someone wrote down; each new
set of messages written by someone else found risk they missed ("swallowed the whole packet",
"sat in the car with the exhaust taped up"). This net is a logistic regression over the
message's word unigrams and bigrams (after the same folding and expansion as the lexicons),
trained on labelled messages by ``scripts/train_triage_net.py``. When the lexicons say less than
``high``, found nothing they lowered (negation, past, idiom, quotation), and the net's
probability of "urgent" reaches its threshold, the message is raised to ``high``, with the
words that weighed most as the explanation. It never makes an emergency: that still needs a
rule, because an emergency sends guidance to the person at once.

The weights live in ``data/net.tsv``, written by the training script, not by hand.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from escalation.triage.lexicon import LexiconError
from escalation.triage.normalise import HARD, SOFT

FILE_NAME = "net.tsv"
EXPLAIN_TOP = 3
MIN_EVIDENCE = 2  # features pushing towards "urgent": one word alone never raises a message


def features(tokens: Iterable[str], stop: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Words and pairs of neighbouring words; punctuation ends a pair, as it ends a clause.

    A common word alone ("voor", "he", "the") says nothing about risk and, in a few hundred
    training messages, picks up whatever weight chance gives it: it counts only inside a pair
    ("he is", "do not")."""
    out: list[str] = []
    previous: str | None = None
    for token in tokens:
        if token == HARD or token == SOFT:
            previous = None
            continue
        if token not in stop and (len(token) > 2 or not token.isascii()):  # keep emoji: 💊 🔪
            out.append(token)
        if previous is not None:
            out.append(f"{previous} {token}")
        previous = token
    return out


@dataclass(frozen=True)
class Verdict:
    probability: float
    reasons: tuple[str, ...]  # the features that pushed towards "urgent", strongest first


class SafetyNet:
    """Scores a message's ``features()``; the triage computes them with its languages' common
    words, the training script with the same ones."""

    def __init__(self, bias: float, threshold: float, weights: dict[str, tuple[float, float]], source: str) -> None:
        self.bias, self.threshold, self.source = bias, threshold, source
        self._weights = weights  # feature -> (idf, coefficient)

    @property
    def size(self) -> int:
        return len(self._weights)

    def judge(self, found: Iterable[str]) -> Verdict | None:
        """The net's verdict on a message's features, or None when it has none the net was
        trained on: with nothing to go on, the bias alone must not decide."""
        counts = Counter(f for f in found if f in self._weights)
        if not counts:
            return None
        weights = self._weights
        values = {f: (1.0 + math.log(n)) * weights[f][0] for f, n in counts.items()}  # sublinear tf-idf
        norm = math.sqrt(sum(v * v for v in values.values()))
        pushes = {f: v / norm * weights[f][1] for f, v in values.items()}
        z = self.bias + sum(pushes.values())
        probability = 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0
        top = sorted((f for f, p in pushes.items() if p > 0), key=pushes.__getitem__, reverse=True)
        return Verdict(probability, tuple(top))

    def raises(self, found: Iterable[str]) -> Verdict | None:
        verdict = self.judge(found)
        if verdict is None or verdict.probability < self.threshold or len(verdict.reasons) < MIN_EVIDENCE:
            return None
        return verdict


def load_net(path: Path) -> SafetyNet | None:
    """Read ``net.tsv``; None when the file is absent (the lexicons then work alone).

    Format: ``bias<TAB>value`` and ``threshold<TAB>value`` lines, then one
    ``feature<TAB>idf<TAB>coefficient`` line per feature; ``#`` starts a comment.
    """
    if not path.exists():
        return None
    settings: dict[str, float] = {}
    weights: dict[str, tuple[float, float]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        try:
            if len(parts) == 2 and parts[0] in ("bias", "threshold"):
                settings[parts[0]] = float(parts[1])
            elif len(parts) == 3 and parts[0].strip():
                weights[parts[0]] = (float(parts[1]), float(parts[2]))
            else:
                raise ValueError("expected 'feature<TAB>idf<TAB>weight', 'bias<TAB>x' or 'threshold<TAB>x'")
        except ValueError as error:
            raise LexiconError(f"{path.name}:{number}: {error}") from None
    missing = {"bias", "threshold"} - set(settings)
    if missing:
        raise LexiconError(f"{path.name}:1: missing {', '.join(sorted(missing))}")
    if not 0.0 < settings["threshold"] < 1.0:
        raise LexiconError(f"{path.name}:1: threshold must be between 0 and 1")
    return SafetyNet(settings["bias"], settings["threshold"], weights, path.name)
