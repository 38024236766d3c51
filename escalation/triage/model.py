"""The triage vocabulary of ``shared/triage/LABELS.md``: levels, categories, results."""

from __future__ import annotations

from enum import IntEnum
from typing import Any, NamedTuple


class Level(IntEnum):
    """Ordered so that ``max()`` gives the more urgent level."""

    label: str  # "low", "medium", ...: an attribute of each level, set below (the triage reads it often)

    LOW = 0
    MEDIUM = 1
    HIGH = 2
    EMERGENCY = 3

    @classmethod
    def parse(cls, text: str) -> "Level":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown level {text!r} (use {', '.join(LEVELS)})") from None


for _level in Level:
    _level.label = _level.name.lower()

LEVELS = ("emergency", "high", "medium", "low")

CATEGORIES = (
    "suicide_self_harm", "violence_to_others", "domestic_abuse", "child_safeguarding",
    "substance_misuse", "reoffending_risk", "accommodation", "finance", "emotional_distress",
    "employment",
)


class Match(NamedTuple):
    """One phrase that mattered: what it was, what it counts as, where it came from.

    A named tuple rather than a dataclass: a message makes a dozen, and this is the hot path.
    """

    phrase: str
    kind: str  # a category, "marker:<name>", or a modifier ("negation", "past", ...)
    level: str | None
    source: str  # "en.lex:42"
    lowered_by: str | None = None  # "negation" | "past" | "quote" | "idiom"
    from_context: bool = False

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"phrase": self.phrase, "kind": self.kind, "source": self.source}
        if self.level:
            data["level"] = self.level
        if self.lowered_by:
            data["lowered_by"] = self.lowered_by
        if self.from_context:
            data["from_context"] = True
        return data


class TriageResult(NamedTuple):
    """A named tuple, like Match: immutable, and cheap to build once per message."""

    level: Level
    categories: tuple[str, ...]
    lang: str
    matched: tuple[Match, ...] = ()
    lowered: bool = False
    third_party: bool = False
    rules: tuple[str, ...] = ()

    @property
    def urgent(self) -> bool:
        return self.level >= Level.HIGH

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level.label,
            "categories": list(self.categories),
            "lang": self.lang,
            "matched": [m.as_dict() for m in self.matched],
            "lowered": self.lowered,
            "third_party": self.third_party,
            "rules": list(self.rules),
        }
