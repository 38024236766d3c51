"""Finding lexicon phrases in a token list quickly.

Each entry is indexed by the words (and word prefixes) it can start with, so a message is
checked only against entries whose first word is in it: thousands of phrases cost a few dict
look-ups per token instead of a scan per phrase. A word of seven letters or more that is not
in any lexicon is also looked up with one letter dropped or replaced, so "sucidal" and
"overdosd" still count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from escalation.triage.lexicon import Element, Entry

MIN_PREFIX = 3
FUZZY_MIN_LENGTH = 7
KEEP_ENDING = 2


class Found(NamedTuple):
    entry: Entry
    start: int
    end: int  # exclusive


class Matcher:
    """Two steps per message: which entries can match at all (their rarest required word is
    in it: ``anchored``, asked once per distinct word and cached by the caller), then where
    they match (``find``, by each entry's compiled regex)."""

    def __init__(self, entries: list[Entry], common_words: frozenset[str] | set[str] = frozenset()) -> None:
        self._anchor_words: dict[str, list[Entry]] = defaultdict(list)
        self._anchor_prefixes: dict[str, list[Entry]] = defaultdict(list)
        self._anchor_numbers: list[Entry] = []
        for entry in entries:
            anchor = _anchor(entry.elements, common_words)
            if anchor.number:
                self._anchor_numbers.append(entry)
            for word in anchor.words:
                self._anchor_words[word].append(entry)
            for phrase in anchor.phrases:
                self._anchor_words[_rarest(phrase, common_words)].append(entry)
            for prefix in anchor.prefixes:
                self._anchor_prefixes[prefix].append(entry)
        self._vocabulary = {w for e in entries for w in e.words}
        self._near = _near_index(w for w in self._vocabulary if len(w) >= FUZZY_MIN_LENGTH)
        self._max_prefix = max((len(p) for p in self._anchor_prefixes), default=0)
        self._all_prefixes = {p for e in entries for el in e.elements for p in el.prefixes}
        self._max_any_prefix = max((len(p) for p in self._all_prefixes), default=0)
        self.entry_count = len(entries)
        self._single = {id(e): one for e in entries if (one := _single_word(e)) is not None}
        self._needed = {id(e): _needed_words(e) for e in entries}
        self._any_of = {id(e): _needed_alternatives(e) for e in entries}
        for entry in entries:
            entry.regex  # compile now: a bad pattern fails at start-up, not on a message

    def find(self, tokens: list[str], candidates: Iterable[Entry]) -> list[Found]:
        """Every match of the candidate entries in the (corrected) tokens.

        A pattern of one word or prefix ("zopiclone", "(valium|vallies)", "impicc*"), most of the
        gazetteers, matches wherever one of its tokens is: no regex needed."""
        text = ""
        found: list[Found] = []
        spans: list[tuple[int, int, Entry]] = []
        present = set(tokens)
        needed = self._needed
        any_of = self._any_of
        positions: dict[str, list[int]] | None = None
        for entry in candidates:
            key = id(entry)
            if not needed[key] <= present:
                continue  # a word the pattern cannot do without is missing: no regex search
            groups = any_of[key]
            if groups and any(present.isdisjoint(group) for group in groups):
                continue  # none of the words of a needed "(a|b|c)" is there
            single = self._single.get(key)
            if single is not None:
                words, prefixes = single
                if prefixes:
                    found.extend(Found(entry, i, i + 1) for i, token in enumerate(tokens)
                                 if token in words or token.startswith(prefixes))
                else:
                    if positions is None:
                        positions = _positions(tokens)
                    found.extend(Found(entry, i, i + 1) for word in words & present for i in positions[word])
                continue
            if not text:
                text = " " + " ".join(tokens) + " "
            # every token starts just after a space: the regex's leading space anchors it there
            search, position = entry.regex.search, 0
            while (match := search(text, position)) is not None:
                position = match.start()
                spans.append((position, match.end(), entry))
                position += 1
        count = text.count  # a token's index is the number of spaces before it, less one
        found += [Found(entry, count(" ", 0, start), count(" ", 0, end)) for start, end, entry in spans]
        found.sort(key=lambda f: (f.start, f.end, f.entry.lang, f.entry.order))
        return found

    def anchored(self, token: str) -> dict[int, Entry]:
        """Entries whose anchor this token is, by identity."""
        entries = list(self._anchor_words.get(token, ()))
        for length in range(MIN_PREFIX, min(len(token), self._max_prefix) + 1):
            entries.extend(self._anchor_prefixes.get(token[:length], ()))
        if token.isdigit():
            entries.extend(self._anchor_numbers)
        return {id(entry): entry for entry in entries}

    def corrected(self, token: str) -> str:
        """The lexicon word one typo away from ``token``, if exactly one is; else ``token``."""
        if token in self._vocabulary:
            return token
        clipped = _clipped_ending(token, self._vocabulary)
        if clipped is not None:
            return clipped
        if len(token) < FUZZY_MIN_LENGTH or self._has_prefix_entry(token):
            return token
        # Typos are mended only before the last two letters: at the end of a word, one letter
        # more or less or different is grammar ("rispondo", "risponde"), not a typo.
        stem = len(token) - KEEP_ENDING
        candidates = {w for w, p in self._near.get(token, ()) if p < len(w) - KEEP_ENDING}
        for position, form in enumerate(_deletions(token)[:stem]):
            if form in self._vocabulary:  # a letter too many
                candidates.add(form)
            candidates.update(w for w, p in self._near.get(form, ()) if p == position)  # one wrong letter
        return candidates.pop() if len(candidates) == 1 else token

    def _has_prefix_entry(self, token: str) -> bool:
        top = min(len(token), self._max_any_prefix)
        return any(token[:n] in self._all_prefixes for n in range(MIN_PREFIX, top + 1))


def _needed_words(entry: Entry) -> frozenset[str]:
    """The words every match of the pattern contains: those of required elements with a single
    alternative ("in the (car|van)" needs "in" and "the"). A message without one of them cannot
    match, which a set comparison says faster than a regex search."""
    needed: set[str] = set()
    for element in entry.elements:
        if element.optional or element.gap or element.number or element.prefixes:
            continue
        alternatives = [(w,) for w in element.words] + list(element.phrases)
        if len(alternatives) == 1:
            needed.update(alternatives[0])
    return frozenset(needed)


def _positions(tokens: list[str]) -> dict[str, list[int]]:
    """Where each token is: one pass, for every one-word pattern of the message."""
    where: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        where.setdefault(token, []).append(i)
    return where


def _needed_alternatives(entry: Entry) -> tuple[frozenset[str], ...]:
    """The one-word alternatives of each needed element that has several and nothing else
    ("(car|van)"): a match contains one of each."""
    return tuple(e.words for e in entry.elements
                 if not (e.optional or e.gap or e.number or e.prefixes or e.phrases) and len(e.words) > 1)


def _single_word(entry: Entry) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """The words and prefixes of a pattern that is one required word element, else None."""
    if len(entry.elements) != 1:
        return None
    element = entry.elements[0]
    if element.phrases or element.optional or element.gap or element.number:
        return None
    return element.words, element.prefixes


def _anchor(elements: tuple[Element, ...], common_words: frozenset[str] | set[str]) -> Element:
    """The required element least likely to be in an ordinary message. Each entry is tried
    on every message that has its anchor, so an anchor of "now" or "not" costs a regex
    search on most messages; "paracetamol" on few."""
    required = [e for e in elements if not e.optional and not e.gap]

    def frequency(element: Element) -> int:
        score = sum(_rarity(w, common_words) for w in element.words)
        score += sum(_rarity(_rarest(phrase, common_words), common_words) for phrase in element.phrases)
        score += sum(10 if len(p) <= 4 else 3 for p in element.prefixes)
        return score + 50 * element.number

    return min(required, key=frequency)


def _rarity(word: str, common_words: frozenset[str] | set[str]) -> int:
    """A rough guess at how often a word turns up in a message: lower is rarer. Short words
    are mostly function words ("on", "the", "now"), the shorter the likelier ("in a bit" is
    anchored on "bit", not on "in")."""
    if word in common_words:
        return 100
    return 20 + 20 * (3 - len(word)) if len(word) <= 3 else 8 if len(word) == 4 else 1


def _rarest(phrase: tuple[str, ...], common_words: frozenset[str] | set[str]) -> str:
    return min(phrase, key=lambda word: _rarity(word, common_words))


def _clipped_ending(token: str, vocabulary: set[str]) -> str | None:
    """Text-speak clips English endings the way it speaks them: "breathin", "smokin" for
    -ing, "relapsd", "recalld" for -ed. Mended only into a word a lexicon uses, so other
    languages' words ending in -in or -d are left alone."""
    if len(token) >= 4 and token.endswith("in") and token + "g" in vocabulary:
        return token + "g"
    if len(token) >= 5 and token.endswith("d") and token[-2] not in "aeiou" and token[:-1] + "ed" in vocabulary:
        return token[:-1] + "ed"
    return None


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1:] for i in range(len(word))]


def _near_index(words: object) -> dict[str, list[tuple[str, int]]]:
    """Each long lexicon word under every form with one letter deleted, and where.

    Knowing the position keeps look-ups to one edit: "relapsed" and "released" share the form
    "relased", but from different positions, so one is not taken for the other.
    """
    index: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for word in words:  # type: ignore[attr-defined]
        for position, form in enumerate(_deletions(word)):
            index[form].append((word, position))
    return dict(index)
