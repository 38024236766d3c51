"""The SafeLives Dash risk identification checklist (RIC) and the MARAC referral criteria.

The 24 questions are a data file (``data/dash.json``) a coordinator reviews; the wording there is
a paraphrase to check against the current SafeLives form. This module only reads that file (once)
and scores answers: it stores nothing, sends nothing and decides no referral by itself. It says
which MARAC criteria are met; a person makes the referral.

Scoring follows the SafeLives guidance: every "yes" counts one; 14 or more is visible high risk,
which professional judgement cannot downgrade; 10 to 13 is medium and needs a professional-
judgement decision; "not known" is an answer but not a yes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data") / "dash.json"

VISIBLE_HIGH_RISK = 14  # this many "yes" answers or more: visible high risk
JUDGEMENT_FROM = 10  # from this many up to VISIBLE_HIGH_RISK - 1: medium, needs a judgement decision
HISTORY_CONTACTS = 3  # domestic-abuse contacts in 12 months that count as potential escalation
QUESTION_COUNT = 24

RED_FLAGS = ("strangulation", "threats_to_kill", "separation", "stalking", "pregnancy", "children")

BAND_VISIBLE_HIGH_RISK = "visible_high_risk"
BAND_JUDGEMENT_NEEDED = "judgement_needed"
BAND_BELOW_THRESHOLD = "below_threshold"
BANDS = (BAND_VISIBLE_HIGH_RISK, BAND_JUDGEMENT_NEEDED, BAND_BELOW_THRESHOLD)

CRITERIA = ("visible_high_risk", "repeat", "potential_escalation", "professional_judgement")

_BAND_LABELS = {
    BAND_VISIBLE_HIGH_RISK: f"visible high risk (MARAC threshold {VISIBLE_HIGH_RISK})",
    BAND_JUDGEMENT_NEEDED: "medium — needs a professional-judgement decision",
    BAND_BELOW_THRESHOLD: f"below the MARAC threshold of {VISIBLE_HIGH_RISK}",
}


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_KNOWN = "not_known"


@dataclass(frozen=True)
class Question:
    key: str
    number: int  # the question's place on the SafeLives form, 1-24
    text: str
    red_flag: str | None  # one of RED_FLAGS, or None


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


@dataclass(frozen=True)
class BeforeQuestion:
    """A question asked before the checklist to make the call safe; never scored."""

    key: str
    text: str
    choices: tuple[Choice, ...]

    def choice(self, key: str) -> Choice:
        for choice in self.choices:
            if choice.key == key:
                return choice
        raise KeyError(f"{self.key!r} has no choice {key!r}; choices are {[c.key for c in self.choices]}")


@dataclass(frozen=True)
class Checklist:
    form_order: tuple[Question, ...]
    asking_order: tuple[Question, ...]
    by_key: Mapping[str, Question]
    before: tuple[BeforeQuestion, ...]


@dataclass(frozen=True)
class Assessment:
    yes: int  # questions answered yes
    answered: int  # questions answered yes, no or not known
    complete: bool  # every question answered
    band: str  # one of BANDS: visible_high_risk (14+ yes), judgement_needed (10-13), below_threshold
    red_flags: tuple[str, ...]  # red-flag kinds answered yes, each once, in asking order
    next_key: str | None  # the next unanswered question in asking order; None when complete


@dataclass(frozen=True)
class History:
    """What the helpline knows of the person's last 12 months."""

    domestic_abuse_contacts_12m: int
    marac_referrals_12m: int

    def __post_init__(self) -> None:
        for name in ("domestic_abuse_contacts_12m", "marac_referrals_12m"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"History.{name} must be a whole number 0 or more, not {value!r}")


def _fail(message: str) -> ValueError:
    return ValueError(f"{DATA.name}: {message}")


def _question(row: Any) -> Question:
    if not isinstance(row, dict) or set(row) != {"key", "number", "text", "red_flag"}:
        raise _fail(f"each question needs exactly key, number, text and red_flag: {row!r}")
    key, number, text, red_flag = row["key"], row["number"], row["text"], row["red_flag"]
    if not isinstance(key, str) or not key.isidentifier() or key != key.lower():
        raise _fail(f"question key {key!r} is not snake_case")
    if isinstance(number, bool) or not isinstance(number, int):
        raise _fail(f"question {key!r}: number {number!r} is not a whole number")
    if not isinstance(text, str) or not text.strip():
        raise _fail(f"question {key!r} has no text")
    if red_flag is not None and red_flag not in RED_FLAGS:
        raise _fail(f"question {key!r}: red_flag {red_flag!r} is not null or one of {RED_FLAGS}")
    return Question(key=key, number=number, text=text.strip(), red_flag=red_flag)


def _before(row: Any) -> BeforeQuestion:
    if not isinstance(row, dict) or not isinstance(row.get("key"), str) or not isinstance(row.get("text"), str):
        raise _fail(f"each 'before' question needs a key and a text: {row!r}")
    choices = row.get("choices")
    if not isinstance(choices, list) or not choices:
        raise _fail(f"'before' question {row['key']!r} has no choices")
    parsed = []
    for choice in choices:
        if not isinstance(choice, dict) or not isinstance(choice.get("key"), str) \
                or not isinstance(choice.get("label"), str) or not choice["label"].strip():
            raise _fail(f"'before' question {row['key']!r}: each choice needs a key and a label: {choice!r}")
        parsed.append(Choice(key=choice["key"], label=choice["label"].strip()))
    if len({c.key for c in parsed}) != len(parsed):
        raise _fail(f"'before' question {row['key']!r} repeats a choice")
    return BeforeQuestion(key=row["key"], text=row["text"].strip(), choices=tuple(parsed))


def parse(data: Mapping[str, Any]) -> Checklist:
    """Check the checklist data and build it; a ValueError says what is wrong."""
    rows = data.get("questions")
    if not isinstance(rows, list):
        raise _fail("'questions' must be a list")
    form = tuple(sorted((_question(row) for row in rows), key=lambda q: q.number))
    keys = [q.key for q in form]
    if len(set(keys)) != len(keys):
        raise _fail(f"question keys repeat: {sorted(k for k in set(keys) if keys.count(k) > 1)}")
    if [q.number for q in form] != list(range(1, QUESTION_COUNT + 1)):
        raise _fail(f"question numbers must be 1 to {QUESTION_COUNT}, each once: {[q.number for q in form]}")
    asking = tuple(q for q in form if q.red_flag) + tuple(q for q in form if not q.red_flag)
    before = tuple(_before(row) for row in data.get("before", []))
    if len({b.key for b in before}) != len(before):
        raise _fail("'before' question keys repeat")
    return Checklist(form_order=form, asking_order=asking, by_key={q.key: q for q in form}, before=before)


@lru_cache(maxsize=1)
def _checklist() -> Checklist:
    return parse(json.loads(DATA.read_text(encoding="utf-8")))


def questions() -> tuple[Question, ...]:
    """The 24 questions in asking order: red-flag questions first (form order), then the rest."""
    return _checklist().asking_order


def form_order() -> tuple[Question, ...]:
    """The 24 questions in the order of the SafeLives form (numbers 1 to 24)."""
    return _checklist().form_order


def question(key: str) -> Question:
    """The question with this key; KeyError when there is none."""
    try:
        return _checklist().by_key[key]
    except KeyError:
        raise KeyError(f"no Dash question {key!r}") from None


def before_questions() -> tuple[BeforeQuestion, ...]:
    """The questions asked before the checklist: safe_to_talk, then safe_callback."""
    return _checklist().before


def _band(yes: int) -> str:
    if yes >= VISIBLE_HIGH_RISK:
        return BAND_VISIBLE_HIGH_RISK
    if yes >= JUDGEMENT_FROM:
        return BAND_JUDGEMENT_NEEDED
    return BAND_BELOW_THRESHOLD


def score(answers: Mapping[str, str]) -> Assessment:
    """Score the answers given so far (question key -> "yes", "no" or "not_known").

    A question left out is unanswered. "not_known" is an answer but not a yes. The band counts
    only the yes answers so far, so an unfinished checklist can already be visible high risk.
    An unknown key or value is a ValueError.
    """
    checklist = _checklist()
    unknown_keys = sorted(str(k) for k in answers if k not in checklist.by_key)
    if unknown_keys:
        raise ValueError(f"not Dash question keys: {unknown_keys}")
    allowed = {a.value for a in Answer}
    bad = {k: v for k, v in answers.items() if not isinstance(v, str) or v not in allowed}
    if bad:
        raise ValueError(f"answers must be one of {sorted(allowed)}; got {bad!r}")
    yes_keys = {k for k, v in answers.items() if v == Answer.YES}
    red_flags: list[str] = []
    for q in checklist.asking_order:
        if q.key in yes_keys and q.red_flag and q.red_flag not in red_flags:
            red_flags.append(q.red_flag)
    next_key = next((q.key for q in checklist.asking_order if q.key not in answers), None)
    return Assessment(
        yes=len(yes_keys),
        answered=len(answers),
        complete=len(answers) == len(checklist.form_order),
        band=_band(len(yes_keys)),
        red_flags=tuple(red_flags),
        next_key=next_key,
    )


def criteria(assessment: Assessment, history: History, judgement_reason: str | None) -> tuple[str, ...]:
    """Every MARAC referral criterion met, in the order of CRITERIA; empty means no referral.

    - visible_high_risk: 14 or more yes answers.
    - repeat: the person was referred to MARAC in the last 12 months (any further incident within
      12 months of a referral goes back to MARAC whatever the score).
    - potential_escalation: SafeLives counts police call-outs for domestic abuse in the last 12
      months (commonly 3 or more). This helpline does not see police call-outs, so its stand-in
      is 3 or more domestic-abuse contacts with the helpline in the last 12 months; a coordinator
      should check police call-outs where the partnership can.
    - professional_judgement: a mentor or coordinator gave a reason (blank text is no reason).
    """
    met: list[str] = []
    if assessment.band == BAND_VISIBLE_HIGH_RISK:
        met.append("visible_high_risk")
    if history.marac_referrals_12m > 0:
        met.append("repeat")
    if history.domestic_abuse_contacts_12m >= HISTORY_CONTACTS:
        met.append("potential_escalation")
    if judgement_reason is not None and judgement_reason.strip():
        met.append("professional_judgement")
    return tuple(met)


def may_downgrade(assessment: Assessment) -> bool:
    """Whether professional judgement may lower the risk level: never at visible high risk."""
    return assessment.band != BAND_VISIBLE_HIGH_RISK


def band_label(band: str) -> str:
    """The band in words for a mentor; ValueError for an unknown band."""
    try:
        return _BAND_LABELS[band]
    except KeyError:
        raise ValueError(f"unknown Dash band {band!r}; bands are {BANDS}") from None


def summary(assessment: Assessment) -> str:
    """One line a mentor reads, e.g. "15 of 24 yes: visible high risk (MARAC threshold 14)"."""
    total = len(_checklist().form_order)
    line = f"{assessment.yes} of {total} yes"
    if not assessment.complete:
        line += f" ({total - assessment.answered} not asked yet)"
    line += f": {band_label(assessment.band)}"
    if assessment.red_flags:
        line += "; red flags: " + ", ".join(flag.replace("_", " ") for flag in assessment.red_flags)
    return line
