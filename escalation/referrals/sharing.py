"""The reviewed data of what may be shared and on what basis (``data/sharing.json``), and the
lawful basis a share records. Nothing leaves without a basis."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("data") / "sharing.json"
CONSENT, NO_CONSENT = "consent", "no_consent"


class BasisError(ValueError):
    """A lawful basis is missing something; the message says what, for the person deciding."""


@cache
def sharing_data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def share_kinds() -> dict[str, dict[str, Any]]:
    return sharing_data()["shares"]


def share_label(kind: str) -> str:
    return share_kinds().get(kind, {}).get("label", kind)


def needs_approval(kind: str) -> bool:
    return bool(share_kinds().get(kind, {}).get("approval", True))


def conditions() -> dict[str, str]:
    return sharing_data()["conditions"]


def consent_ways() -> dict[str, str]:
    return sharing_data()["consent_how"]


def reasons() -> dict[str, str]:
    """The usual reasons to share without consent, as buttons offer them."""
    return {key: r["text"] for key, r in sharing_data()["reasons"].items()}


def condition_for(reason: str) -> str | None:
    """The condition a usual reason relies on; a reason in the decider's own words has none."""
    return sharing_data()["reasons"].get(reason, {}).get("condition")


@dataclass(frozen=True)
class LawfulBasis:
    """Why this share is lawful: the person's consent (how and when), or sharing without it for
    a stated reason under a stated condition; who decided, when, under which agreement."""

    kind: str  # consent | no_consent
    decided_by: str
    decided_at: datetime
    agreement: str
    how: str | None = None  # consent: a key of consent_how
    given_at: datetime | None = None  # consent: when the person gave it
    reason: str | None = None  # no consent: why (a key of reasons, or the decider's words)
    condition: str | None = None  # no consent: a key of conditions

    def check(self, now: datetime | None = None) -> "LawfulBasis":
        if self.kind == CONSENT:
            if self.how not in consent_ways():
                raise BasisError("say how the person gave consent")
            if self.given_at is None:
                raise BasisError("say when the person gave consent")
            if now is not None and self.given_at > now + timedelta(minutes=5):
                raise BasisError("consent cannot have been given in the future: check the date")
        elif self.kind == NO_CONSENT:
            if not (self.reason or "").strip():
                raise BasisError("sharing without consent needs a reason")
            if self.condition not in conditions():
                raise BasisError("sharing without consent needs the condition relied on")
        else:
            raise BasisError("choose consent given, or shared without consent")
        if not self.agreement.strip():
            raise BasisError("no information sharing agreement is configured (HELPLINE_SHARING_AGREEMENT)")
        return self

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "how": self.how, "given_at": _iso(self.given_at), "reason": self.reason,
                "condition": self.condition, "decided_by": self.decided_by, "decided_at": _iso(self.decided_at),
                "agreement": self.agreement}


def describe(basis: dict[str, Any] | None) -> str:
    """One line for a document, a card or a page."""
    if not basis:
        return "no lawful basis recorded"
    if basis.get("kind") == CONSENT:
        return f"consent: the person {consent_ways().get(basis.get('how') or '', basis.get('how'))} ({basis.get('given_at', '')[:16].replace('T', ' ')})"
    reason = reasons().get(basis.get("reason") or "", basis.get("reason"))
    return f"shared without consent: {reason}. Condition: {conditions().get(basis.get('condition') or '', '?')}"


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None
