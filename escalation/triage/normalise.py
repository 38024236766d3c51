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
_TOKEN = re.compile(r"[^\W_]+|[.!?;\n]+|,|[^\w\s]", re.UNICODE)
_IGNORED = {"\u200d", "\ufe0f", "\ufe0e"}


def fold(text: str) -> str:
    """Lower case without accents; keeps emoji and other symbols as they are."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in _IGNORED)


def _is_symbol(char: str) -> bool:
    return unicodedata.category(char) in ("So", "Sk", "Sc") and not ("\U0001f3fb" <= char <= "\U0001f3ff")


def tokenise(text: str) -> list[str]:
    folded = fold(text)
    folded = _CONTRACTION.sub("", folded)
    folded = _APOSTROPHE.sub(" ", folded)
    folded = _REPEATS.sub(r"\1\1", folded)
    tokens: list[str] = []
    for token in _TOKEN.findall(folded):
        if token[0] in ".!?;\n":
            if tokens and tokens[-1] != HARD:
                tokens.append(HARD)
        elif token == ",":
            if tokens and tokens[-1] not in (HARD, SOFT):
                tokens.append(SOFT)
        elif token[0].isalnum():
            tokens.append(token)
        elif _is_symbol(token):
            tokens.append(token)
    return tokens


def expand(tokens: list[str], expansions: dict[str, tuple[str, ...]]) -> list[str]:
    """Replace text-speak with the words the lexicons are written in ("u" -> "you")."""
    out: list[str] = []
    for token in tokens:
        replacement = expansions.get(token)
        if replacement is None:
            out.append(token)
        else:
            out.extend(replacement)
    return out
