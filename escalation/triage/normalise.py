"""Text to tokens the lexicons can match, whatever the spelling habits of a text at 3 a.m.

Lower case, accents folded ("è" -> "e"), English-style contractions joined ("don't" -> "dont",
which the lexicons expand) and other apostrophes split ("l'ho" -> "l ho"), letters repeated
three or more times cut to two ("pleeease" -> "pleease"), emoji kept as tokens. Sentence ends
become the hard boundary token ``.``; commas the soft boundary ``,``.
"""

from __future__ import annotations

import re
import unicodedata

HARD = "."
SOFT = ","
_CONTRACTION = re.compile(r"(?<=[a-z])['’`´](?=(t|m|s|re|ve|ll|d)\b)")
_APOSTROPHE = re.compile(r"['’`´]")
_REPEATS = re.compile(r"(.)\1{2,}")
_HARD_RUN = re.compile(r"[.!?;\n]+")
_OTHER = re.compile(r"[^\w\s.,]|_")
# ASCII punctuation becomes a space, except sentence ends (kept for _HARD_RUN) and commas;
# one character for one keeps str.translate on its fast path.
_ASCII_PUNCTUATION = str.maketrans("\"#$%&'()*+-/:<=>@[\\]^_`{|}~", " " * 27)
# combining accents, variation selectors and the zero-width joiner of emoji sequences
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\ufe0e\ufe0f\u200d]")


def fold(text: str) -> str:
    """Lower case without accents; keeps emoji and other symbols as they are."""
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text.lower()))


def _is_symbol(char: str) -> bool:
    return unicodedata.category(char) in ("So", "Sk", "Sc") and not ("\U0001f3fb" <= char <= "\U0001f3ff")


def tokenise(text: str) -> list[str]:
    """Words, emoji and the boundary tokens, by C-level passes over the string."""
    folded = fold(text)
    if "'" in folded or not folded.isascii():
        folded = _APOSTROPHE.sub(" ", _CONTRACTION.sub("", folded))
    if _REPEATS.search(folded):
        folded = _REPEATS.sub(r"\1\1", folded)
    folded = _HARD_RUN.sub(" . ", folded.replace(",", " , ").translate(_ASCII_PUNCTUATION))
    if not folded.isascii():
        folded = _OTHER.sub(_keep_symbols, folded)
    return folded.split()


def _keep_symbols(match: re.Match[str]) -> str:
    char = match.group()
    return f" {char} " if _is_symbol(char) else " "
