"""The SafeLives Dash checklist data and its scoring: thresholds, not-known answers, asking order,
and every MARAC criterion alone and together."""

from __future__ import annotations

import ast
import itertools
import json
from pathlib import Path

import pytest

from escalation.referrals import dash
from escalation.referrals.dash import (
    DATA,
    HISTORY_CONTACTS,
    JUDGEMENT_FROM,
    RED_FLAGS,
    VISIBLE_HIGH_RISK,
    Answer,
    Assessment,
    History,
    band_label,
    before_questions,
    criteria,
    form_order,
    may_downgrade,
    question,
    questions,
    score,
    summary,
)

NO_HISTORY = History(domestic_abuse_contacts_12m=0, marac_referrals_12m=0)


def _answers(yes: int, not_known: int = 0, order=None) -> dict[str, str]:
    """Every question answered: the first `yes` yes, the next `not_known` not known, the rest no."""
    keys = [q.key for q in (order or form_order())]
    assert yes + not_known <= len(keys)
    return {key: (Answer.YES if i < yes else Answer.NOT_KNOWN if i < yes + not_known else Answer.NO).value
            for i, key in enumerate(keys)}


def _raw() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


# --- the data file ---------------------------------------------------------------------------

def test_data_file_has_24_unique_keys_numbered_1_to_24():
    rows = _raw()["questions"]
    assert len(rows) == 24
    assert len({row["key"] for row in rows}) == 24
    assert sorted(row["number"] for row in rows) == list(range(1, 25))
    assert all(row["key"].isidentifier() and row["key"] == row["key"].lower() for row in rows)
    assert all(row["text"].strip() for row in rows)


def test_every_red_flag_kind_appears_and_no_other():
    flags = [row["red_flag"] for row in _raw()["questions"] if row["red_flag"] is not None]
    assert set(flags) == set(RED_FLAGS)
    assert set(RED_FLAGS) == {"strangulation", "threats_to_kill", "separation", "stalking", "pregnancy", "children"}


def test_data_file_names_no_abuser_placeholder_and_says_it_is_a_paraphrase():
    raw = _raw()
    assert "paraphrase" in " ".join(raw["note"]).lower()
    for row in raw["questions"]:
        assert "(name" not in row["text"].lower() and "abuser" not in row["text"].lower(), row["key"]


def test_loaded_questions_match_the_file():
    rows = {row["key"]: row for row in _raw()["questions"]}
    assert {q.key for q in questions()} == set(rows)
    for q in form_order():
        assert (q.number, q.text, q.red_flag) == (rows[q.key]["number"], rows[q.key]["text"].strip(),
                                                  rows[q.key]["red_flag"])
        assert question(q.key) == q


def test_question_lookup_of_an_unknown_key_fails():
    with pytest.raises(KeyError, match="no_such_question"):
        question("no_such_question")


def test_form_order_is_by_number():
    assert [q.number for q in form_order()] == list(range(1, 25))


def test_asking_order_puts_red_flags_first_each_group_in_form_order():
    asked = questions()
    assert sorted(asked, key=lambda q: q.number) == list(form_order())
    flagged = [q for q in asked if q.red_flag]
    assert flagged and len(flagged) < len(asked)
    assert list(asked[:len(flagged)]) == flagged
    assert all(q.red_flag is None for q in asked[len(flagged):])
    assert [q.number for q in flagged] == sorted(q.number for q in flagged)
    rest = asked[len(flagged):]
    assert [q.number for q in rest] == sorted(q.number for q in rest)
    # the strangulation and threats-to-kill questions come before question 1 is asked
    first = next(q for q in form_order() if q.number == 1)
    assert first.red_flag is None
    assert asked.index(question("strangulation")) < asked.index(first)


def test_the_child_questions_are_flagged_children():
    assert question("child_contact").red_flag == "children"
    assert question("hurt_others").red_flag == "children"


def test_before_questions_ask_safety_first():
    before = before_questions()
    assert [b.key for b in before] == ["safe_to_talk", "safe_callback"]
    talk, callback = before
    assert [c.key for c in talk.choices] == [a.value for a in Answer]
    assert [c.key for c in callback.choices] == ["this_number_message_ok", "this_number_no_message",
                                                 "no_safe_number", "not_known"]
    assert all(c.label.strip() for b in before for c in b.choices)
    assert callback.choice("no_safe_number").label != callback.choice("not_known").label
    with pytest.raises(KeyError):
        callback.choice("maybe")


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["questions"].pop(), "numbers"),
    (lambda d: d["questions"][1].update(key=d["questions"][0]["key"]), "repeat"),
    (lambda d: d["questions"][0].update(red_flag="guns"), "red_flag"),
    (lambda d: d["questions"][0].update(number=99), "numbers"),
    (lambda d: d["questions"][0].update(text="  "), "no text"),
    (lambda d: d["questions"][0].update(key="Bad Key"), "snake_case"),
    (lambda d: d["before"][1]["choices"].append({"key": "not_known", "label": "again"}), "repeats a choice"),
])
def test_bad_data_is_refused(mutate, message):
    data = _raw()
    mutate(data)
    with pytest.raises(ValueError, match=message):
        dash.parse(data)


# --- scoring ---------------------------------------------------------------------------------

@pytest.mark.parametrize("yes, band", [
    (0, "below_threshold"),
    (JUDGEMENT_FROM - 1, "below_threshold"),
    (JUDGEMENT_FROM, "judgement_needed"),
    (VISIBLE_HIGH_RISK - 1, "judgement_needed"),
    (VISIBLE_HIGH_RISK, "visible_high_risk"),
    (24, "visible_high_risk"),
])
def test_band_boundaries(yes, band):
    result = score(_answers(yes))
    assert (result.yes, result.answered, result.complete, result.band) == (yes, 24, True, band)
    assert result.next_key is None


def test_thresholds_are_the_safelives_ones():
    assert (VISIBLE_HIGH_RISK, JUDGEMENT_FROM, HISTORY_CONTACTS) == (14, 10, 3)


def test_not_known_is_answered_but_not_yes():
    result = score(_answers(VISIBLE_HIGH_RISK - 1, not_known=5))
    assert result.yes == VISIBLE_HIGH_RISK - 1
    assert result.answered == 24 and result.complete
    assert result.band == "judgement_needed"
    all_unknown = score({q.key: "not_known" for q in questions()})
    assert (all_unknown.yes, all_unknown.answered, all_unknown.band) == (0, 24, "below_threshold")
    # a not-known red-flag question raises no red flag
    assert score({"strangulation": "not_known"}).red_flags == ()


def test_answers_may_be_given_as_the_enum():
    assert score({"strangulation": Answer.YES}) == score({"strangulation": "yes"})


def test_nothing_answered_starts_with_the_first_question_asked():
    result = score({})
    assert (result.yes, result.answered, result.complete, result.red_flags) == (0, 0, False, ())
    assert result.next_key == questions()[0].key


def test_next_key_walks_the_asking_order():
    answers: dict[str, str] = {}
    seen = []
    while (key := score(answers).next_key) is not None:
        seen.append(key)
        answers[key] = "no" if len(seen) % 2 else "not_known"
    assert seen == [q.key for q in questions()]
    assert score(answers).complete


def test_next_key_skips_questions_answered_out_of_order():
    asked = questions()
    result = score({asked[0].key: "yes", asked[2].key: "no"})
    assert result.next_key == asked[1].key
    assert not result.complete and result.answered == 2


def test_an_unfinished_checklist_can_already_be_visible_high_risk():
    keys = [q.key for q in questions()][:VISIBLE_HIGH_RISK]
    result = score(dict.fromkeys(keys, "yes"))
    assert not result.complete
    assert result.band == "visible_high_risk"
    assert not may_downgrade(result)


def test_red_flags_are_the_yes_kinds_once_each_in_asking_order():
    flagged = [q for q in questions() if q.red_flag]
    everything = score(dict.fromkeys((q.key for q in questions()), "yes"))
    expected = list(dict.fromkeys(q.red_flag for q in flagged))
    assert list(everything.red_flags) == expected
    assert set(everything.red_flags) == set(RED_FLAGS)
    # only the questions answered yes count, whatever order they were answered in
    last, first = flagged[-1], flagged[0]
    some = score({last.key: "yes", first.key: "yes", flagged[1].key: "no"})
    assert some.red_flags == tuple(dict.fromkeys([first.red_flag, last.red_flag]))
    unflagged = [q.key for q in questions() if not q.red_flag]
    assert score(dict.fromkeys(unflagged, "yes")).red_flags == ()


@pytest.mark.parametrize("answers, named", [
    ({"no_such_question": "yes"}, "no_such_question"),
    ({"Strangulation": "yes"}, "Strangulation"),
    ({"strangulation": "YES"}, "YES"),
    ({"strangulation": "maybe"}, "maybe"),
    ({"strangulation": ""}, "strangulation"),
    ({"strangulation": None}, "None"),
    ({"strangulation": True}, "True"),
])
def test_bad_keys_and_values_are_rejected(answers, named):
    with pytest.raises(ValueError, match=named):
        score(answers)


# --- MARAC criteria --------------------------------------------------------------------------

HIGH = score(_answers(VISIBLE_HIGH_RISK))
MEDIUM = score(_answers(JUDGEMENT_FROM))
LOW = score(_answers(JUDGEMENT_FROM - 1))


@pytest.mark.parametrize("assessment", [HIGH, MEDIUM, LOW])
@pytest.mark.parametrize("referrals", [0, 1, 2])
@pytest.mark.parametrize("contacts", [0, HISTORY_CONTACTS - 1, HISTORY_CONTACTS, HISTORY_CONTACTS + 4])
@pytest.mark.parametrize("reason", [None, "", "   \n", "she is too frightened to answer; he has a gun licence"])
def test_every_criterion_and_combination(assessment, referrals, contacts, reason):
    met = criteria(assessment, History(domestic_abuse_contacts_12m=contacts, marac_referrals_12m=referrals), reason)
    expected = {
        "visible_high_risk": assessment.yes >= 14,
        "repeat": referrals >= 1,
        "potential_escalation": contacts >= 3,
        "professional_judgement": bool(reason and reason.strip()),
    }
    assert set(met) == {name for name, is_met in expected.items() if is_met}
    assert list(met) == [name for name in dash.CRITERIA if name in met]  # always in the stated order
    assert len(met) == len(set(met))


def test_no_criterion_means_no_referral():
    assert criteria(LOW, NO_HISTORY, None) == ()
    assert criteria(MEDIUM, NO_HISTORY, "  ") == ()


def test_medium_alone_is_not_a_criterion_but_judgement_makes_it_one():
    assert MEDIUM.band == "judgement_needed"
    assert criteria(MEDIUM, NO_HISTORY, None) == ()
    assert criteria(MEDIUM, NO_HISTORY, "threats to kill and recent separation") == ("professional_judgement",)


def test_all_four_criteria_in_order():
    history = History(domestic_abuse_contacts_12m=HISTORY_CONTACTS, marac_referrals_12m=1)
    assert criteria(HIGH, history, "reason") == tuple(dash.CRITERIA)
    assert dash.CRITERIA == ("visible_high_risk", "repeat", "potential_escalation", "professional_judgement")


@pytest.mark.parametrize("field", ["domestic_abuse_contacts_12m", "marac_referrals_12m"])
@pytest.mark.parametrize("value", [-1, 1.5, "3", None, True])
def test_history_must_be_whole_numbers(field, value):
    good = {"domestic_abuse_contacts_12m": 0, "marac_referrals_12m": 0}
    with pytest.raises(ValueError, match=field):
        History(**{**good, field: value})


def test_visible_high_risk_cannot_be_downgraded():
    assert not may_downgrade(HIGH)
    assert may_downgrade(MEDIUM)
    assert may_downgrade(LOW)
    for yes in range(25):
        assert may_downgrade(score(_answers(yes))) == (yes < VISIBLE_HIGH_RISK)


# --- words for the mentor ----------------------------------------------------------------------

def test_summary_lines():
    high = score(_answers(15))
    assert summary(high).startswith("15 of 24 yes: visible high risk (MARAC threshold 14)")
    medium = score(_answers(11))
    assert summary(medium).startswith("11 of 24 yes: medium — needs a professional-judgement decision")
    low = summary(score(_answers(3)))
    assert low.startswith("3 of 24 yes: ") and "below" in low
    assert "\n" not in summary(high) + summary(medium) + low


def test_summary_says_what_is_not_asked_yet_and_names_red_flags():
    line = summary(score({"strangulation": "yes", "threats_to_kill": "yes", "injury": "no"}))
    assert line.startswith("2 of 24 yes (21 not asked yet): below")
    assert "strangulation" in line and "threats to kill" in line
    assert line.index("threats to kill") < line.index("strangulation")  # asking order: form 14 before 15
    assert "red flags" not in summary(score(_answers(0)))


def test_band_labels():
    labels = {band: band_label(band) for band in dash.BANDS}
    assert len(set(labels.values())) == 3
    assert str(VISIBLE_HIGH_RISK) in labels["visible_high_risk"]
    with pytest.raises(ValueError, match="nonsense"):
        band_label("nonsense")


def test_assessment_is_frozen():
    with pytest.raises(AttributeError):
        HIGH.yes = 0  # type: ignore[misc]
    assert isinstance(HIGH, Assessment)


def test_module_is_pure():
    """No I/O beyond its data file: no storage, bot, handlers or network imports."""
    tree = ast.parse(Path(dash.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    forbidden = {"storage", "bot", "handlers", "telegram", "twilio", "aiohttp", "requests", "httpx", "sqlalchemy"}
    assert not imported & forbidden
    assert not imported & {"escalation"}  # nothing else from the project either


def test_combinations_of_yes_and_not_known_never_count_not_known():
    for yes, unknown in itertools.product(range(0, 25, 3), range(0, 25, 4)):
        if yes + unknown <= 24:
            result = score(_answers(yes, not_known=unknown, order=questions()))
            assert result.yes == yes and result.answered == 24
