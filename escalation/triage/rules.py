"""Escalation rules: what turns a serious risk into an emergency, as a reviewable data file.

    suicide_self_harm + means -> emergency
    domestic_abuse + happening -> emergency +violence_to_others

A rule fires when the category is present at ``high`` or above (in this message, or in the
contact's recent messages) and every named marker is in this message. It raises the level
and may add categories. A rule may name markers only ("means + time -> emergency
+suicide_self_harm"): together they are the risk, whatever words surround them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from escalation.triage.lexicon import MARKERS, LexiconError
from escalation.triage.model import CATEGORIES, Level


@dataclass(frozen=True)
class Rule:
    category: str | None  # None: markers alone imply the risk ("pills lined up" + "tonight")
    markers: frozenset[str]
    level: Level
    adds: tuple[str, ...]
    source: str
    text: str


def load_rules(path: Path) -> list[Rule]:
    rules = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if line:
            try:
                rules.append(_parse(line, f"{path.name}:{number}"))
            except ValueError as error:
                raise LexiconError(f"{path.name}:{number}: {error}") from None
    return rules


def _parse(line: str, source: str) -> Rule:
    condition, arrow, outcome = line.partition("->")
    if not arrow:
        raise ValueError("expected 'category + marker -> level'")
    names = [n.strip() for n in condition.split("+")]
    category, markers = (names[0], tuple(names[1:])) if names[0] in CATEGORIES else (None, tuple(names))
    for marker in markers:
        if marker not in MARKERS:
            raise ValueError(f"unknown marker {marker!r} (known: {', '.join(MARKERS)})")
    if not markers:
        raise ValueError("a rule needs at least one marker")
    if category is None and len(markers) < 2:
        raise ValueError("a rule without a category needs two markers or more")
    parts = outcome.split()
    if not parts:
        raise ValueError("a rule needs a level after ->")
    adds = tuple(p.removeprefix("+") for p in parts[1:])
    if category is None and not adds:
        raise ValueError("a rule of markers alone must add a category: -> emergency +suicide_self_harm")
    for added in adds:
        if added not in CATEGORIES:
            raise ValueError(f"unknown category {added!r}")
    return Rule(category, frozenset(markers), Level.parse(parts[0]), adds, source, line)
