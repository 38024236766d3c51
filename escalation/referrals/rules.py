"""What proposes a share: the risk rules, run on every triaged message.

Pure: the intake's transaction gives the message's level and categories and what is known of
the person, and acts on the proposals."""

from __future__ import annotations

from dataclasses import dataclass

from escalation.triage import Level

IOM_RISKS = frozenset({"reoffending_risk", "violence_to_others", "substance_misuse"})


@dataclass(frozen=True)
class Proposal:
    kind: str  # the share: marac | iom | safeguarding_children | emergency
    reason: str  # the rule, kept on the referral and shown to whoever completes it


def proposals(level: Level, categories: tuple[str, ...] | list[str], *, iom_cohort: bool) -> list[Proposal]:
    """Every share this message calls for. An emergency is told to the safeguarding lead at once;
    the others are proposed, for a mentor to complete and a coordinator to approve."""
    found: list[Proposal] = []
    cats = set(categories)
    if level >= Level.EMERGENCY:
        found.append(Proposal("emergency", "emergency"))
    if level >= Level.HIGH and "domestic_abuse" in cats:
        found.append(Proposal("marac", "domestic_abuse_high"))
    if level >= Level.HIGH and "child_safeguarding" in cats:
        found.append(Proposal("safeguarding_children", "child_at_risk_high"))
    if level >= Level.HIGH and iom_cohort and cats & IOM_RISKS:
        found.append(Proposal("iom", "iom_cohort_risk_high"))
    return found
