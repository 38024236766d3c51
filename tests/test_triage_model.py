"""The triage model decides, the lexicons explain and guard.

A fired rule is a floor the model cannot go below; a negation or an idiom the rules found takes
the model's urgent reading down only when it rested on those words; when two levels are close the
more urgent wins; the explanation names the words that weighed and the probability. The policy is
tested with small hand-made models (so each test says exactly what it relies on), the shipped
model for what it must do on the project's labelled messages."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest

from escalation.triage import Level, Triage
from escalation.triage.classifier import DATA, default_triage, load_triage
from escalation.triage.evaluate import evaluate, read_labelled
from escalation.triage.gazetteer import load_gazetteers
from escalation.triage.learned import FILE_NAME, HEADS, OUTPUTS, TriageModel
from escalation.triage.lexicon import LexiconError, load_lexicon
from escalation.triage.rules import load_rules

HERE = Path(__file__).parent / "triage"
CASES = HERE / "cases.jsonl"
THRESHOLDS = {name: 0.5 for name in ("emergency", "high", "medium", *OUTPUTS[len(HEADS):])}


def hand_model(weights: dict[str, dict[str, float]], bias: dict[str, float] | None = None,
               thresholds: dict[str, float] | None = None) -> TriageModel:
    """A model whose weights are written out, by output: ``{"w:flurble": urgent("emergency", 90)}``."""
    def vector(values: dict[str, float], default: float = 0.0) -> tuple[float, ...]:
        return tuple(values.get(name, default) for name in OUTPUTS)
    return TriageModel({f: vector(v) for f, v in weights.items()}, vector(bias or {}, -6.0), (1.0, 0.0) * 3,
                       {**THRESHOLDS, **(thresholds or {})})


def urgent(level: str, weight: float, **more: float) -> dict[str, float]:
    """Weights that push a word towards ``level`` (and so towards every level below it)."""
    heads = {"medium": 1, "high": 2, "emergency": 3}[level]
    return {head: weight for head in HEADS[:heads]} | more


def triage_with(model: TriageModel | None) -> Triage:
    lexicons = [load_lexicon(path) for path in sorted(DATA.glob("*.lex"))]
    return Triage(lexicons, load_rules(DATA / "rules.txt"), model, load_gazetteers(DATA / "gazetteers"))


# word weights are divided by the square root of the number of word features (about 40 here)
FLURBLE = {"w:flurble": urgent("emergency", 90.0, suicide_self_harm=120.0)}


def test_the_model_reads_risk_in_words_no_lexicon_has_and_says_why_with_its_probability():
    triage = triage_with(hand_model(FLURBLE))
    result = triage.classify("the flurble is ready")
    assert result.level == Level.EMERGENCY and result.categories == ("suicide_self_harm",)
    explained = result.matched[0]
    assert explained.kind == "model" and "flurble" in explained.phrase
    assert re.fullmatch(r"model p=0\.\d\d|model p=1\.00", explained.source)
    assert triage_with(None).classify("the flurble is ready").level == Level.LOW


def test_a_rule_that_fires_is_a_floor_the_model_cannot_go_below():
    quiet = triage_with(hand_model({}))  # reads every message as low
    result = quiet.classify("i want to kill myself, the pills are lined up for tonight")
    assert result.level == Level.EMERGENCY and result.rules
    assert quiet.classify("where is my appointment letter").level == Level.LOW


def test_a_negation_the_rules_found_lowers_a_reading_that_rested_on_the_negated_words():
    triage = triage_with(hand_model({"w:kill": urgent("high", 50.0), "w:myself": urgent("high", 50.0)}))
    assert triage.classify("i want to kill myself").level >= Level.HIGH
    negated = triage.classify("i am not going to kill myself, just tired")
    assert negated.level < Level.HIGH
    assert any(m.lowered_by == "negation" for m in negated.matched)


def test_a_negation_does_not_hide_urgency_that_rests_on_other_words():
    triage = triage_with(hand_model({**FLURBLE, "w:kill": urgent("high", 50.0), "w:myself": urgent("high", 50.0)}))
    result = triage.classify("i am not going to kill myself. the flurble is ready though")
    assert result.level >= Level.HIGH and "flurble" in result.matched[0].phrase


def test_an_idiom_the_rules_found_lowers_the_model_too():
    triage = triage_with(hand_model({"w:killing": urgent("high", 90.0)}))
    assert triage.classify("this job is killing me").level == Level.LOW
    assert triage.classify("killing").level == Level.HIGH


def test_when_two_levels_are_close_the_more_urgent_wins():
    # P(medium or worse) 0.85, P(high or worse) 0.40: low 0.15, medium 0.45, high 0.40
    bias = {"at_least_medium": 1.7346, "at_least_high": -0.4055, "emergency": -9.0}
    triage = triage_with(hand_model({}, bias, {"high": 0.35}))
    reading, _ = triage.read("hello")
    assert reading.levels[Level.MEDIUM] > reading.levels[Level.HIGH]
    assert triage.classify("hello").level == Level.HIGH
    assert sum(reading.levels) == pytest.approx(1.0)


def test_an_urgent_level_always_comes_with_a_category():
    triage = triage_with(hand_model({"w:flurble": urgent("high", 90.0)}))
    result = triage.classify("flurble")
    assert result.level == Level.HIGH and len(result.categories) == 1


@pytest.fixture(scope="module")
def shipped() -> Triage:
    return default_triage()


def test_the_shipped_model_is_in_the_package_small_and_loaded(shipped):
    path = DATA / FILE_NAME
    assert shipped.model is not None and shipped.model.size > 5_000
    assert path.stat().st_size < 20 * 1024 * 1024
    assert gzip.decompress(path.read_bytes()).decode().startswith("# Triage model")


def test_scoring_word_by_cached_word_equals_scoring_every_feature(shipped):
    """The service adds up each distinct word's weights once and remembers them; that must
    score exactly as the features one by one, which is what the training script learns from."""
    model = shipped.model
    for row in read_labelled(CASES)[::3]:
        fast = shipped.score(row.text)
        words, signals = shipped.features(row.text)
        slow = model.read(*model.sum(words), signals)
        assert fast.levels == pytest.approx(slow.levels, abs=1e-9), row.text


@pytest.mark.parametrize("text", [
    "the cut on my leg keeps going and im seeing spots",
    "took 30 zimovane about an hour ago, so sleepy",
    "standing at the end of new brighton pier, tide is in",
    "rope is tied to the bannister already",
    "gave the dog to our kid and sorted all me stuff, wont need it",
    "my mate took a load of G and now hes fitting and wont wake up",
    "mes ligt in de auto en die gast staat hier om de hoek",
    "il bambino è solo in casa da ieri sera, la madre non torna",
])
def test_risk_told_by_its_effects_or_its_means_is_urgent(shipped, text):
    """The kinds of message the lexicons alone read as routine (issue 13)."""
    assert shipped.classify(text).level >= Level.HIGH


def test_a_medicine_brand_no_lexicon_names_is_found_by_the_gazetteer(shipped):
    _, signals = shipped.features("took the whole box of zimovane")
    assert "gaz:medicine" in signals


HEADER = ("outputs\t" + "\t".join(OUTPUTS) + "\nbias\t" + "\t".join(["0"] * len(OUTPUTS))
          + "\ncalibration\t1\t0\t1\t0\t1\t0\n")


def _data_copy(tmp_path: Path, model_bytes: bytes | None) -> Path:
    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    (tmp_path / FILE_NAME).unlink()
    if model_bytes is not None:
        (tmp_path / FILE_NAME).write_bytes(gzip.compress(model_bytes))
    return tmp_path


@pytest.mark.parametrize("content, message", [
    (b"outputs\tlow\n", "model.tsv.gz:1: outputs must be"),
    (HEADER + "w:x\t1\t2\n", "model.tsv.gz:4: expected a feature and 13 weights"),
    (HEADER, "model.tsv.gz:1: missing threshold for emergency"),
])
def test_a_malformed_model_file_stops_start_up_naming_file_and_line(tmp_path, content, message):
    data = content if isinstance(content, bytes) else content.encode()
    with pytest.raises(LexiconError, match=re.escape(message)):
        load_triage(_data_copy(tmp_path, data))


def test_without_a_model_file_the_lexicons_and_rules_work_alone(tmp_path):
    triage = load_triage(_data_copy(tmp_path, None))
    assert triage.model is None
    assert triage.classify("i want to kill myself").level >= Level.HIGH
    assert triage.classify("where is my appointment letter").level == Level.LOW


@pytest.mark.parametrize("name, content, message", [
    ("medicine.uk.txt", "zopiclone\n(broken\n", "medicine.uk.txt:2: unbalanced"),
    ("pills.txt", "zopiclone\n", "pills.txt:1: a gazetteer is named NAME.AREA.txt"),
])
def test_a_malformed_gazetteer_names_file_and_line(tmp_path, name, content, message):
    data = _data_copy(tmp_path, None)
    (data / "gazetteers" / name).write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=re.escape(message)):
        load_triage(data)


UNSEEN = sorted((HERE / "unseen").glob("round*.jsonl")) + [HERE / "unseen.jsonl"]


@pytest.mark.parametrize("path", UNSEEN, ids=lambda p: p.name)
def test_on_sets_nobody_trained_on_urgent_messages_are_flagged_at_least_high(shipped, path):
    """The safety targets, in each language: what a person in crisis relies on. (The sets were
    written by sessions that had seen neither the model nor its training data; their first-sight
    figures are in escalation/triage/data/README.md.)"""
    result = evaluate(shipped, read_labelled(path))
    assert result.urgent.recall >= 0.95 and result.emergency_at_least_high >= 0.95, result.headline()
    for lang, part in result.by_language.items():  # ~23 urgent messages a language: one miss is 0.04
        assert part.urgent.recall >= 0.9 and part.emergency_at_least_high >= 0.9, (lang, part.headline())
    assert result.urgent.precision >= 0.6, result.headline()  # a floor against a model that flags everything
