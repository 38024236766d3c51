"""Finding lexicon phrases in a token list quickly.

Each entry is indexed by its rarest required word (or word prefix), so a message is checked
only against entries whose anchor is in it: thousands of phrases cost a few dict look-ups per
token instead of a scan per phrase. A word of seven letters or more that is not
in any lexicon is also looked up with one letter dropped or replaced, so "sucidal" and
"overdosd" still count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from operator import attrgetter
from typing import NamedTuple

from escalation.triage.lexicon import Element, Entry

MIN_PREFIX = 3
FUZZY_MIN_LENGTH = 7
KEEP_ENDING = 2
HEAD = 4  # a prefix is looked for by its first letters: one set comparison, not a loop over tokens
SORT_KEY = attrgetter("start", "end", "entry.lang", "entry.order")  # the same order every run
PREFIX_KEY, NUMBER_KEY = "\0", "\0#"  # keys no token can be


class Found(NamedTuple):
    entry: Entry
    start: int
    end: int  # exclusive


class Plan:
    """How to look for one entry, worked out once: what a message must contain for the pattern
    to match at all, and whether one token is the whole pattern. Hashed by identity, so a
    message's candidates are a union of per-word sets, done in C."""

    __slots__ = ("entry", "requires", "single", "regex")

    def __init__(self, entry: Entry, requires: frozenset[int]) -> None:
        self.entry = entry
        self.requires = requires  # ids of the needs (``_needs``) a message must meet, order aside
        self.single = _single_word(entry)
        self.regex = entry.regex  # compiled now: a bad pattern fails at start-up, not on a message


class Matcher:
    """Three steps per message: which entries can match at all (their rarest required word is
    in it: ``anchored``, asked once per distinct word and cached by the caller), whether the
    message has everything each of them needs (one set comparison, with what each word
    ``meets``, also cached), then where they match (``find``, by each entry's compiled regex).

    Each distinct need (a set of keys, of which a message must have one) has a number, and each
    key the numbers of the needs it meets: a message meets the union of its words' numbers, and
    a pattern is possible when all its numbers are in it. Comparing a few small ints costs far
    less than comparing word sets, and most candidates fail there."""

    def __init__(self, entries: list[Entry], common_words: frozenset[str] | set[str] = frozenset()) -> None:
        self._meets, requires = _number_needs(entries, common_words)
        plans = {id(entry): Plan(entry, needs) for entry, needs in zip(entries, requires)}
        self._anchor_words: dict[str, list[Plan]] = defaultdict(list)
        self._anchor_prefixes: dict[str, list[Plan]] = defaultdict(list)
        self._anchor_numbers: list[Plan] = []
        for entry in entries:
            anchor, plan = _anchor(entry.elements, common_words), plans[id(entry)]
            if anchor.number:
                self._anchor_numbers.append(plan)
            for word in anchor.words:
                self._anchor_words[word].append(plan)
            for phrase in anchor.phrases:
                self._anchor_words[_rarest(phrase, common_words)].append(plan)
            for prefix in anchor.prefixes:
                self._anchor_prefixes[prefix].append(plan)
        self._vocabulary = {w for e in entries for w in e.words}
        self._near = _near_index(w for w in self._vocabulary if len(w) >= FUZZY_MIN_LENGTH)
        self._max_prefix = max((len(p) for p in self._anchor_prefixes), default=0)
        self._all_prefixes = {p for e in entries for el in e.elements for p in el.prefixes}
        self._max_any_prefix = max((len(p) for p in self._all_prefixes), default=0)
        self.entry_count = len(entries)

    def find(self, tokens: list[str], candidates: Iterable[Plan], met: set[int] | frozenset[int]) -> list[Found]:
        """Every match of the candidate entries in the (corrected) tokens, which meet the needs
        ``met`` (the union of ``meets`` of each token).

        A pattern of one word or prefix ("zopiclone", "(valium|vallies)", "impicc*"), most of the
        gazetteers, matches wherever one of its tokens is: no regex needed."""
        text = ""
        found: list[Found] = []
        spans: list[tuple[int, int, Entry]] = []
        positions: dict[str, list[int]] | None = None
        for plan in candidates:
            if not plan.requires <= met:
                continue  # a word the pattern needs, or any of a required "(a|b|c)", is missing
            entry, single = plan.entry, plan.single
            if single is not None:
                words, prefixes = single
                if prefixes:
                    found += [Found(entry, i, i + 1) for i, token in enumerate(tokens)
                              if token in words or token.startswith(prefixes)]
                else:
                    if positions is None:
                        positions = _positions(tokens)
                    for word in words & positions.keys():
                        found += [Found(entry, i, i + 1) for i in positions[word]]
                continue
            if not text:
                text = " " + " ".join(tokens) + " "
            # every token starts just after a space: the regex's leading space anchors it there
            search, position = plan.regex.search, 0
            while (match := search(text, position)) is not None:
                position = match.start()
                spans.append((position, match.end(), entry))
                position += 1
        count = text.count  # a token's index is the number of spaces before it, less one
        found += [Found(entry, count(" ", 0, start), count(" ", 0, end)) for start, end, entry in spans]
        found.sort(key=SORT_KEY)
        return found

    def meets(self, token: str) -> frozenset[int]:
        """The needs a token meets, as itself, as the start of a prefix ("tachi" for
        "tachipirin*") or as a number."""
        keys = [token]
        if len(token) >= HEAD:
            keys.append(PREFIX_KEY + token[:HEAD])
        if token.isdigit():
            keys.append(NUMBER_KEY)
        return frozenset().union(*(self._meets.get(key, ()) for key in keys))

    def anchored(self, token: str) -> frozenset[Plan]:
        """The plans of the entries whose anchor this token is."""
        plans = list(self._anchor_words.get(token, ()))
        for length in range(MIN_PREFIX, min(len(token), self._max_prefix) + 1):
            plans.extend(self._anchor_prefixes.get(token[:length], ()))
        if token.isdigit():
            plans.extend(self._anchor_numbers)
        return frozenset(plans)

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


def _positions(tokens: list[str]) -> dict[str, list[int]]:
    """Where each token is: one pass, for every one-word pattern of the message."""
    where: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        where.setdefault(token, []).append(i)
    return where


def _number_needs(entries: list[Entry], common_words: frozenset[str] | set[str]
                  ) -> tuple[dict[str, set[int]], list[frozenset[int]]]:
    """The numbers of the needs each key meets, and of the needs of each entry."""
    ids: dict[frozenset[str], int] = {}
    meets: dict[str, set[int]] = defaultdict(set)
    requires = []
    for entry in entries:
        needs = _needs(entry, common_words)
        for need in needs:
            if need not in ids:
                ids[need] = len(ids)
                for key in need:
                    meets[key].add(ids[need])
        requires.append(frozenset(ids[need] for need in needs))
    return dict(meets), requires


def _needs(entry: Entry, common_words: frozenset[str] | set[str]) -> set[frozenset[str]]:
    """What a message must contain for the pattern to match, order aside, as sets of keys of
    which it must have one: each word of a required element with a single alternative ("in the
    (car|van)" needs "in" and "the"), and for each element of several alternatives, a prefix or
    a number, its keys (``_keys``)."""
    needs: set[frozenset[str]] = set()
    for element in entry.elements:
        if element.optional or element.gap:
            continue
        alternatives = _alternatives(element)
        if len(alternatives) == 1 and not (element.number or element.prefixes):
            needs.update(frozenset((word,)) for word in alternatives[0])
        elif (keys := _keys(element, common_words)) is not None and keys.isdisjoint(common_words):
            needs.add(keys)  # one with a common word ("(he|she|they)") is met by most messages
    return needs


def _keys(element: Element, common_words: frozenset[str] | set[str]) -> frozenset[str] | None:
    """The keys of which a message must have one for the element to match (``Matcher.meets``): its
    words, the rarest word of each phrase, the starts of its prefixes, a number. None when a
    prefix is too short to have a start."""
    if any(len(p) < HEAD for p in element.prefixes):
        return None
    keys = set(element.words) | {_rarest(phrase, common_words) for phrase in element.phrases}
    keys.update(PREFIX_KEY + p[:HEAD] for p in element.prefixes)
    if element.number:
        keys.add(NUMBER_KEY)
    return frozenset(keys)


def _alternatives(element: Element) -> list[frozenset[str]]:
    """The words of each alternative of an element: {"car"}, {"in", "a", "bit"}."""
    return [frozenset((w,)) for w in element.words] + [frozenset(p) for p in element.phrases]


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
