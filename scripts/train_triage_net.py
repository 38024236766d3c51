"""Train the triage safety net (escalation/triage/safety_net.py) and write its weights.

    pip install -e '.[train]'
    python scripts/train_triage_net.py [FILE.jsonl ...] [--out escalation/triage/data/net.tsv]

Default training data: the shared development set and the project's own labelled cases. Keep
at least one labelled set OUT of training (tests/triage/unseen.jsonl is), or the figures the
script prints, and the tests that use that set, stop meaning anything.

Prints, 5-fold cross-validated, how many messages that are not urgent the net would raise, then
writes the weights (idf and coefficient per feature).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from pathlib import Path

from sklearn import __version__ as sklearn_version
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from escalation.triage import Level  # noqa: E402
from escalation.triage.classifier import DATA, Triage, load_triage  # noqa: E402
from escalation.triage.evaluate import read_labelled  # noqa: E402
from escalation.triage.safety_net import FILE_NAME, features  # noqa: E402

DEFAULT_DATA = [ROOT.parent / "shared" / "triage" / "dev.jsonl", ROOT / "tests" / "triage" / "cases.jsonl"]
URGENT = ("high", "emergency")


def fit(found: list[list[str]], urgent: list[bool], c: float, min_df: int) -> tuple[TfidfVectorizer, LogisticRegression]:
    """``found``: each message's features, as the triage computes them at run time."""
    vectoriser = TfidfVectorizer(analyzer=list, sublinear_tf=True, min_df=min_df)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    model.fit(vectoriser.fit_transform(found), urgent)
    return vectoriser, model


def cross_validate(triage: Triage, rows: list, found: list[list[str]], urgent: list[bool],
                   c: float, min_df: int, threshold: float) -> None:
    """The lexicons were written against these same messages, so this shows the net's false
    alarms (messages it would raise that are not urgent) but not what it catches: for that,
    measure on a set kept out of both, like tests/triage/unseen.jsonl."""
    lexicon = [triage.classify(row.text).level >= Level.HIGH for row in rows]
    raised_wrongly: Counter = Counter()
    for train, test in StratifiedKFold(5, shuffle=True, random_state=1).split(found, urgent):
        vectoriser, model = fit([found[i] for i in train], [urgent[i] for i in train], c, min_df)
        probabilities = model.predict_proba(vectoriser.transform([found[i] for i in test]))[:, 1]
        raised_wrongly.update(rows[i].level for i, p in zip(test, probabilities)
                              if p >= threshold and not urgent[i] and not lexicon[i])
    levels = Counter(row.level for row in rows)
    print("5-fold, messages the net alone would raise to high wrongly: "
          + ", ".join(f"{raised_wrongly[lvl]} of {levels[lvl]} {lvl}" for lvl in ("low", "medium")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DATA / FILE_NAME)
    parser.add_argument("--threshold", type=float, default=0.65,
                        help="probability of urgent from which the net raises a message to high")
    parser.add_argument("-C", type=float, default=3.0, help="inverse regularisation strength")
    parser.add_argument("--min-df", type=int, default=2, help="ignore features in fewer messages")
    args = parser.parse_args()

    rows = [row for path in args.files for row in read_labelled(path)]
    triage = load_triage(with_net=False)  # the lexicons alone: what the net adds to
    found = [features(triage.tokens(row.text), triage.stop_words) for row in rows]
    urgent = [row.level in URGENT for row in rows]
    cross_validate(triage, rows, found, urgent, args.C, args.min_df, args.threshold)

    vectoriser, model = fit(found, urgent, args.C, args.min_df)
    lines = [
        "# Triage safety net: written by scripts/train_triage_net.py; retrain, do not edit.",
        (f"# {dt.date.today()}, scikit-learn {sklearn_version}, {len(rows)} messages "
         f"({sum(urgent)} urgent) from {', '.join(p.name for p in args.files)}; C={args.C}, min_df={args.min_df}"),
        f"bias\t{model.intercept_[0]:.6f}",
        f"threshold\t{args.threshold}",
    ]
    coefficients = model.coef_[0]
    for feature, index in sorted(vectoriser.vocabulary_.items()):
        lines.append(f"{feature}\t{vectoriser.idf_[index]:.6f}\t{coefficients[index]:.6f}")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(vectoriser.vocabulary_):,} features)")


if __name__ == "__main__":
    main()
