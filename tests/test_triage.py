"""Triage: every language, every category, negation, past, idiom, quotation, third parties,
context, the data files' error reporting, and the project's own labelled cases. (The
partnership's development set lives outside the repository and is measured from the command
line with ``helpline triage eval``; no test reads anything outside the repository.)"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from escalation.triage import Level, load_triage
from escalation.triage.classifier import DATA, default_triage
from escalation.triage.evaluate import read_labelled
from escalation.triage.lexicon import LexiconError

CASES = Path(__file__).parent / "triage" / "cases.jsonl"


@pytest.fixture(scope="module")
def triage():
    return default_triage()


def _cases() -> list:
    return [pytest.param(row, id=f"{row.lang}:{row.text[:40]}") for row in read_labelled(CASES)]


@pytest.mark.parametrize("case", _cases())
def test_own_cases_keep_their_urgency_and_categories(triage, case):
    """Each case was once a gap someone closed. The model decides now and, as the labels ask,
    leans to the more urgent of two close levels: an urgent case must stay at least high and an
    emergency an emergency (the person gets the emergency guidance at once), with its categories;
    a case that is not urgent must never become an emergency. (How often it is raised one level
    is what the unseen sets' precision measures.)"""
    result = triage.classify(case.text)
    expected = Level.parse(case.level)
    if expected >= Level.HIGH:
        assert result.level >= expected, result.as_dict()
        assert set(case.categories) <= set(result.categories), result.as_dict()
    else:
        assert result.level < Level.EMERGENCY, result.as_dict()


@pytest.mark.parametrize("text, lang", [
    ("I'm not going to hurt myself, I just feel rubbish", "en"),
    ("ik ga mezelf niks aandoen hoor, ik voel me alleen kut", "nl"),
    ("non mi faccio del male, tranquilli, sto solo male", "it"),
])
def test_negated_self_harm_is_not_urgent_and_says_why(triage, text, lang):
    result = triage.classify(text)
    assert result.level < Level.HIGH
    assert result.lowered and result.lang == lang
    assert any(m.lowered_by == "negation" for m in result.matched)


@pytest.mark.parametrize("text", [
    "I used to cut myself years ago, I'm doing well now",
    "jaren geleden sneed ik mezelf, nu gaat het goed",
    "anni fa mi tagliavo, adesso sto bene",
])
def test_self_harm_in_the_past_is_not_current_risk(triage, text):
    result = triage.classify(text)
    assert result.level == Level.LOW
    assert any(m.lowered_by == "past" for m in result.matched)


@pytest.mark.parametrize("text", [
    "I cut myself again last night",
    "ik heb mezelf gisteren weer gesneden",
    "ieri sera mi sono tagliato di nuovo",
])
def test_recent_self_harm_is_high_even_with_a_past_tense(triage, text):
    assert triage.classify(text).level == Level.HIGH


@pytest.mark.parametrize("text", [
    "this job is killing me lol",
    "could murder a brew",
    "ik ga dood van het lachen",
    "mi ammazzo dalle risate",
])
def test_idioms_are_not_risk(triage, text):
    assert triage.classify(text).level == Level.LOW


def test_a_quoted_song_is_not_risk_but_the_same_words_alone_are(triage):
    assert triage.classify("that song i want to die is on repeat in my head").level == Level.LOW
    assert triage.classify("i want to die").level == Level.HIGH


@pytest.mark.parametrize("text", [
    "my mate says he's going to end it all",
    "mn broer zegt dat ie zich van kant wil maken",
    "mio cugino dice che si vuole ammazzare",
])
def test_someone_elses_risk_is_as_urgent_and_flagged(triage, text):
    result = triage.classify(text)
    assert result.level >= Level.HIGH and result.third_party
    assert "suicide_self_harm" in result.categories


def test_earlier_messages_turn_a_time_into_an_emergency(triage):
    alone = triage.classify("doing it tonight when everyone is asleep")
    with_context = triage.classify("doing it tonight when everyone is asleep",
                                   context=["i want to kill myself"])
    assert not alone.rules and with_context.level == Level.EMERGENCY
    assert any(m.from_context for m in with_context.matched)
    assert with_context.rules


def test_every_decision_names_the_lexicon_line(triage):
    result = triage.classify("got the rope ready for tonight")
    assert result.level == Level.EMERGENCY
    phrases = [m for m in result.matched if m.kind != "model"]
    assert {m.source.split(":")[0] for m in phrases} <= {"en.lex", "nl.lex", "it.lex"}
    assert all(m.source.split(":")[1].isdigit() for m in phrases)
    assert all(m.source.startswith("model p=") for m in result.matched if m.kind == "model")
    assert result.rules and all(r.startswith("rules.txt:") for r in result.rules)


@pytest.mark.parametrize("text", [
    "im cutting rn 😭", "IM CUTTING RIGHT NOW", "i want to kil myslef", "sucidal tonight",
    "💊💊💊 tonight. sorry",
])
def test_text_speak_capitals_typos_and_emoji(triage, text):
    assert triage.classify(text).level >= Level.HIGH


def test_clipped_english_endings_are_mended_only_into_lexicon_words(triage):
    assert triage.tokens("m8 not breathin after smokin spice") == [
        "mate", "not", "breathing", "after", "smoking", "spice"]
    assert "relapsed" in triage.tokens("relapsd last nite")
    assert triage.classify("m8 not breathin after smokin spice pls help").level == Level.EMERGENCY
    assert "substance_misuse" in triage.classify("relapsd last nite on the brown").categories
    # Dutch and Italian words that end the same way are not English clipped endings
    assert triage.tokens("ik zat in de trein, begin morgen") == ["ik", "zat", "in", "de", "trein", ",", "begin", "morgen"]
    assert triage.tokens("il mondo, grand") == ["il", "mondo", ",", "grand"]


def test_mixed_languages(triage):
    result = triage.classify("bro ik ben done, wanna end it all tonight")
    assert result.level == Level.EMERGENCY


@pytest.mark.parametrize("content, message", [
    ("[suicide_self_harm]\nkill myself\n", "needs a level"),
    ("[suicide_self_harm urgent]\nkill myself\n", "unknown level"),
    ("[not_a_category high]\nkill myself\n", "unknown section"),
    ("[suicide_self_harm high]\n(kill|end myself\n", "unbalanced"),
    ("kill myself\n", "before any [section]"),
    ("[marker sometime]\ntonight\n", "unknown marker"),
    ("[suicide_self_harm high]\n~ myself\n", "cannot start"),
])
def test_a_malformed_lexicon_names_file_and_line(tmp_path, content, message):
    (tmp_path / "rules.txt").write_text("")
    (tmp_path / "xx.lex").write_text("# a comment\n\n" + content, encoding="utf-8")
    with pytest.raises(LexiconError, match=re.escape(message)) as error:
        load_triage(tmp_path)
    assert str(error.value).startswith("xx.lex:3:") or str(error.value).startswith("xx.lex:4:")


@pytest.mark.parametrize("rule, message", [
    ("suicide_self_harm + means", "expected"),
    ("suicide_self_harm + soon -> emergency", "unknown marker"),
    ("means + time -> emergency", "must add a category"),
    ("suicide_self_harm -> emergency", "at least one marker"),
    ("suicide_self_harm + means -> urgent", "unknown level"),
])
def test_a_malformed_rule_names_file_and_line(tmp_path, rule, message):
    (tmp_path / "rules.txt").write_text(f"# rules\n{rule}\n")
    with pytest.raises(LexiconError, match=message) as error:
        load_triage(tmp_path)
    assert str(error.value).startswith("rules.txt:2:")


def test_helpline_run_refuses_a_broken_lexicon_in_one_line(tmp_path):
    from tests.test_cli import helpline

    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    with (tmp_path / "en.lex").open("a") as handle:
        handle.write("[suicide_self_harm high]\n(unclosed\n")
    lines = (tmp_path / "en.lex").read_text().count("\n")
    result = helpline("run", env={"HELPLINE_TRIAGE_DATA": str(tmp_path),
                                  "HELPLINE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db"})
    assert result.returncode == 2
    assert result.stderr.strip() == f"helpline: triage lexicon: en.lex:{lines}: unbalanced brackets in '(unclosed'"


def test_triage_command_reads_utf8_lines_and_writes_json_lines():
    from tests.test_cli import helpline
    import subprocess
    import sys
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPLINE_")}
    env["LANG"] = "C"  # no UTF-8 locale: emoji must still work
    result = subprocess.run([sys.executable, "-m", "bot", "triage"], env=env,
                            input="pills lined up 💊 for tonight\nwhat time is my appt\n\n".encode(),
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [line["level"] for line in lines] == ["emergency", "low"]
    assert set(lines[0]) >= {"level", "categories", "lang", "matched"}
    assert lines[0]["categories"] == ["suicide_self_harm"]
    one = helpline("triage", "--text", "ik wil er niet meer zijn")
    assert json.loads(one.stdout)["lang"] == "nl" and json.loads(one.stdout)["level"] == "high"


def test_triage_eval_command_prints_the_figures_and_the_misses(tmp_path):
    from tests.test_cli import helpline

    labelled = tmp_path / "set.jsonl"
    labelled.write_text("\n".join(json.dumps(row) for row in [
        {"text": "i want to kill myself", "lang": "en", "level": "high", "categories": ["suicide_self_harm"]},
        {"text": "what time is group", "lang": "en", "level": "low", "categories": []},
        {"text": "what time is group", "lang": "en", "level": "high", "categories": []},
    ]) + "\n")
    result = helpline("triage", "eval", str(labelled))
    assert result.returncode == 0, result.stderr
    assert "urgent recall 0.500" in result.stdout and "urgent precision 1.000" in result.stdout
    assert "level confusion" in result.stdout
    assert "expected high [], got low []: what time is group" in result.stdout
    as_json = json.loads(helpline("triage", "eval", str(labelled), "--json").stdout)
    assert as_json["urgent_recall"] == 0.5 and as_json["confusion"]["high->low"] == 1


def test_eval_refuses_a_malformed_file_with_its_line(tmp_path):
    from tests.test_cli import helpline

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "level": "low"}\n{"text": "y", "level": "soon"}\n')
    result = helpline("triage", "eval", str(bad))
    assert result.returncode == 2 and "bad.jsonl:2" in result.stderr


@pytest.mark.parametrize("text, phrase", [
    ("i will do it in a bit", "do it in a bit"),                # a needed phrase among alternatives
    ("i will do it soon", "do it soon"),
    ("i will do it", None),                                     # the "(in a bit|soon)" is missing
    ("i will do it in a hole", None),                           # "in a" alone is not "in a bit"
    ("took the tachipirina 500", "took the tachipirina 500"),   # a prefix and a number
    ("took the tachipirina", None),                             # the number is missing
    ("took the tachi 12", None),                                # the prefix's start is not the prefix
])
def test_a_pattern_matches_only_when_the_message_has_all_it_needs(tmp_path, text, phrase):
    """The matcher rules candidates out by what they need before any regex search: a phrase
    alternative, a prefix, a number. Ruling out must never lose a match, nor keep a false one."""
    (tmp_path / "rules.txt").write_text("")
    (tmp_path / "xx.lex").write_text(
        "[suicide_self_harm high]\ndo it ~2 (in a bit|soon)\ntook ~1 tachipirin* #\n", encoding="utf-8")
    found = load_triage(tmp_path, with_model=False).classify(text).matched
    assert [m.phrase for m in found] == ([] if phrase is None else [phrase])
