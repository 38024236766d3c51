"""Triage: urgency level and risk categories for a message, with the reasons.

Rule- and lexicon-based on purpose: every decision names the phrase and the lexicon line
that caused it, coordinators can review and edit the lexicons, and nothing is sent off the
machine. A statistical safety net (``safety_net.py``) can only raise what the lexicons left
below high, and says so. ``load_triage()`` compiles the data files once.
"""

from escalation.triage.classifier import Triage, load_triage
from escalation.triage.model import CATEGORIES, LEVELS, Level, Match, TriageResult

__all__ = ["CATEGORIES", "LEVELS", "Level", "Match", "Triage", "TriageResult", "load_triage"]
