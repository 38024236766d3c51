"""What the triage model sees of a message: one definition for training and for scoring.

Three kinds of feature. The words as the lexicons see them (folded, text-speak expanded, typos
mended), and their 3- to 5-letter pieces, so that "overdosed", "overdosis" and "overdose" share
evidence across three languages and a misspelling keeps most of it; pairs of neighbouring words
("took 30", "not going"), which carry negation and time; and the signals of the rest of the
triage: which lexicon phrases were found and at what level, which were lowered and why (negation,
past, quotation, idiom), which markers and rules fired, which gazetteers matched. Signals let the
model weigh what people reviewed; the pieces let it recognise what nobody wrote down.

Word and pair features are scaled by one over the square root of their number, so a long message
is not urgent for being long; signals count once whatever the length.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from escalation.triage.normalise import HARD, SOFT

PAIR = "b:"  # the prefix of pair features ("b:took 30")
PIECE_SIZES = (3, 4, 5)
MIN_PIECE_WORD = 4  # shorter words are whole features already


def word_features(tokens: Iterable[str], stop: frozenset[str]) -> list[str]:
    """Features of some words: each word that is not a common one, and its letter pieces.

    Computed per space-separated chunk of a message (the triage caches them), so nothing here
    may look at a neighbouring chunk."""
    out: list[str] = []
    for token in tokens:
        if token == HARD or token == SOFT or token in stop:
            continue
        out.append("w:" + token)
        if len(token) >= MIN_PIECE_WORD and token.isalpha():
            padded = f"<{token}>"
            for size in PIECE_SIZES:
                out.extend("c:" + padded[i:i + size] for i in range(len(padded) - size + 1))
    return out


def pair_features(tokens: Sequence[str]) -> list[str]:
    """Neighbouring words within a clause: punctuation ends a pair as it ends a clause."""
    out: list[str] = []
    previous: str | None = None
    for token in tokens:
        if token == HARD or token == SOFT:
            previous = None
            continue
        if previous is not None:
            out.append(f"{PAIR}{previous} {token}")
        previous = token
    return out


def signal_features(active: Iterable[tuple[str, str]], lowered: Iterable[tuple[str, str]],
                    markers: Iterable[str], gazetteers: Iterable[str], rules: Iterable[tuple[str, str]],
                    modifiers: Iterable[str], lexicon_level: str, quantity: bool = False) -> tuple[str, ...]:
    """The rest of the triage's findings, each named once.

    ``active``: (category, level) of current lexicon phrases; ``lowered``: (category, reason);
    ``rules``: (category, level) each fired rule gives; ``modifiers``: the kinds of modifier
    present anywhere ("negation", "past", "idiom", "third_party", ...), which tell the model how
    the message speaks even where no risk phrase was found; ``quantity``: a number that could
    count tablets. Named things and markers also count in pairs ("x:gaz:medicine&num": a
    medicine and a number): a linear model cannot see that two findings together mean more
    than each alone, and "30" with "Tachipirine" does."""
    out = {f"lex:{category}:{level}" for category, level in active}
    out.update(f"lowered:{category}:{reason}" for category, reason in lowered)
    out.update(f"mark:{name}" for name in markers)
    out.update(f"gaz:{name}" for name in gazetteers)
    out.update(f"rule:{category}:{level}" for category, level in rules)
    out.update(f"mod:{kind}" for kind in modifiers)
    named = sorted(f for f in out if f.startswith(("gaz:", "mark:"))) + (["num"] if quantity else [])
    out.update(f"x:{a}&{b}" for i, a in enumerate(named) for b in named[i + 1:])
    out.add(f"lexicon:{lexicon_level}")
    return tuple(sorted(out))


READABLE_SIGNALS = {
    "lex": "lexicon {0} {1}", "lowered": "lexicon {0} lowered ({1})", "mark": "marker {0}",
    "gaz": "names {0}", "rule": "rule {0} {1}", "lexicon": "lexicons alone: {0}", "mod": "{0}",
    "x": "{0} with {1}",
}
GAZETTEER_WORDS = {
    "medicine": "a medicine", "drug": "a drug", "method": "a method", "place": "a place or height",
    "weapon": "a weapon", "body": "a body in danger", "finality": "a goodbye or things settled",
    "time": "a time", "slang": "local slang",
}


def readable(feature: str) -> str:
    """A feature in words a mentor can read: "names a medicine", "took 30", "lexicon
    suicide_self_harm high"."""
    kind, _, rest = feature.partition(":")
    if kind in ("w", "b"):
        return rest
    if kind == "c":
        return f"…{rest.strip('<>')}…"
    template = READABLE_SIGNALS.get(kind)
    if template is None:
        return feature.replace("_", " ")
    if kind == "x":
        return template.format(*(_named(part) for part in rest.split("&")))
    parts = [GAZETTEER_WORDS.get(rest, rest)] if kind == "gaz" else rest.split(":")
    return template.format(*(p.replace("_", " ") for p in parts), "")


def _named(feature: str) -> str:
    """A gazetteer or marker inside a pair: "a medicine", "means"."""
    kind, _, name = feature.partition(":")
    if kind == "gaz":
        return GAZETTEER_WORDS.get(name, name)
    return "a number" if feature == "num" else name.replace("_", " ")
