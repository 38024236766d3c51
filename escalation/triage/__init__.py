"""Triage: urgency level and risk categories for a message, with the reasons.

A model decides, lexicons explain and guard. The lexicons, rules and gazetteers (data files
coordinators review) find the phrases and named things that matter and judge them (negated,
past, quoted, an idiom; a means with an intent and a time); a linear model trained on labelled
messages (``learned.py``) weighs those findings with the message's words and decides the level and
categories with calibrated probabilities. A rule that fires is a floor the model cannot go below;
a negation or an idiom the rules found takes the model down only when the model's reading rested
on those words. Every decision names its phrases, lexicon lines, rules and the model's strongest
features. Nothing is sent off the machine. ``load_triage()`` reads the data files once.
"""

from escalation.triage.classifier import Triage, load_triage
from escalation.triage.model import CATEGORIES, LEVELS, Level, Match, TriageResult

__all__ = ["CATEGORIES", "LEVELS", "Level", "Match", "Triage", "TriageResult", "load_triage"]
