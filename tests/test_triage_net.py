"""The triage safety net: it only ever raises a message to high, it explains itself, it leaves
negated, past and idiomatic risk alone, and on labelled messages it never saw (kept out of the
lexicon work and the training) it catches urgent messages the lexicons alone miss."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest

from escalation.triage import Level, load_triage
from escalation.triage.classifier import DATA, default_triage
from escalation.triage.evaluate import evaluate, read_labelled
from escalation.triage.lexicon import LexiconError
from escalation.triage.safety_net import SafetyNet, features

HERE = Path(__file__).parent / "triage"
UNSEEN = HERE / "unseen.jsonl"  # never used to write lexicon lines nor to train the net
CASES = HERE / "cases.jsonl"


@pytest.fixture(scope="module")
def with_net():
    return default_triage()


@pytest.fixture(scope="module")
def lexicons_alone():
    return load_triage(with_net=False)


def test_the_shipped_net_is_loaded(with_net):
    assert with_net._net is not None and with_net._net.size > 500


def test_on_unseen_messages_the_net_catches_urgent_risk_the_lexicons_miss(with_net, lexicons_alone):
    rows = read_labelled(UNSEEN)
    alone, combined = evaluate(lexicons_alone, rows), evaluate(with_net, rows)
    assert combined.urgent.recall >= alone.urgent.recall + 0.15, (alone.urgent.recall, combined.urgent.recall)
    assert combined.urgent.recall >= 0.75
    assert combined.urgent.precision >= 0.85


def test_the_net_only_raises_and_never_to_emergency(with_net, lexicons_alone):
    rows = read_labelled(UNSEEN) + read_labelled(CASES)
    raised = 0
    for row in rows:
        before, after = lexicons_alone.classify(row.text), with_net.classify(row.text)
        assert after.level >= before.level, row.text
        if after.level != before.level:
            raised += 1
            assert after.level == Level.HIGH and after.categories == before.categories, row.text
    assert raised  # otherwise this test proves nothing


def test_a_raised_message_says_which_of_its_words_weighed(with_net, lexicons_alone):
    text = "been scratching my arms with a compass again"
    assert lexicons_alone.classify(text).level == Level.LOW
    result = with_net.classify(text)
    assert result.level == Level.HIGH
    (net,) = [m for m in result.matched if m.kind == "net"]
    assert re.fullmatch(r"net\.tsv p=0\.\d\d", net.source)
    words = set(with_net.tokens(text))
    assert all(set(reason.split()) <= words for reason in net.phrase.split(" / "))


@pytest.mark.parametrize("text", [
    "I'm not going to hurt myself, I just feel rubbish",
    "i used to self harm when i was inside but thats years behind me",
    "this traffic is killing me, running late for group",
    "ik ga dood van de honger haha, wat eten we",
    "sto morendo dal ridere per quel video",
    "dankjewel voor je hulp gisteren",
    "thanks for your help yesterday",
    "can we meet on tuesday instead?",
])
def test_negation_past_idiom_and_routine_stay_below_high(with_net, text):
    assert with_net.classify(text).level < Level.HIGH, with_net.classify(text).as_dict()


def test_one_word_alone_never_raises_a_message():
    net = SafetyNet(bias=0.0, threshold=0.6, weights={"rope": (1.0, 9.0), "bridge": (2.0, 9.0)}, source="t")
    assert net.judge(features(["rope"])).probability > 0.99
    assert net.raises(features(["rope"])) is None
    assert net.raises(features(["a", "rope", ",", "a", "bridge"])) is not None


def test_the_score_is_the_logistic_of_normalised_sublinear_tf_idf():
    """The formula scikit-learn trains with (TfidfVectorizer(sublinear_tf=True), L2 norm, then
    LogisticRegression): the weights only mean what they meant in training if it is the same."""
    weights = {"pills": (2.0, 1.5), "tonight": (1.0, -0.5), "pills tonight": (3.0, 2.0)}
    net = SafetyNet(bias=-1.0, threshold=0.5, weights=weights, source="t")
    tf_idf = {"pills": (1 + math.log(2)) * 2.0, "tonight": 1.0, "pills tonight": 3.0}
    norm = math.sqrt(sum(v * v for v in tf_idf.values()))
    z = -1.0 + sum(tf_idf[f] / norm * weights[f][1] for f in weights)
    verdict = net.judge(features(["pills", ".", "pills", "tonight"]))
    assert verdict.probability == pytest.approx(1 / (1 + math.exp(-z)))
    assert verdict.reasons == ("pills tonight", "pills")


def test_common_words_count_only_in_pairs_and_punctuation_breaks_pairs():
    assert features(["he", "is", "gone", ".", "now", "💊", "x"], stop=frozenset({"he", "is"})) == [
        "he is", "gone", "is gone", "now", "💊", "now 💊", "💊 x"]


def _data_copy(tmp_path: Path, net_text: str | None) -> Path:
    for source in DATA.iterdir():
        if source.is_file() and source.name != "net.tsv":
            shutil.copy(source, tmp_path / source.name)
    if net_text is not None:
        (tmp_path / "net.tsv").write_text(net_text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("content, message", [
    ("bias\t0.1\nthreshold\t0.6\nrope\tx\t1.0\n", "net.tsv:3:"),
    ("bias\t0.1\nthreshold\t0.6\nrope\t1.0\n", "net.tsv:3: expected"),
    ("threshold\t0.6\n", "net.tsv:1: missing bias"),
    ("bias\t0.1\nthreshold\t1.5\n", "threshold must be between 0 and 1"),
])
def test_a_malformed_net_file_stops_start_up_naming_file_and_line(tmp_path, content, message):
    with pytest.raises(LexiconError, match=re.escape(message)):
        load_triage(_data_copy(tmp_path, content))


def test_without_a_net_file_the_lexicons_work_alone(tmp_path):
    triage = load_triage(_data_copy(tmp_path, None))
    assert triage._net is None
    assert triage.classify("been scratching my arms with a compass again").level == Level.LOW
    assert triage.classify("i want to kill myself").level >= Level.HIGH
