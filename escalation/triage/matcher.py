"""Finding lexicon phrases in a token list quickly.

Each entry is indexed by the words (and word prefixes) it can start with, so a message is
checked only against entries whose first word is in it: thousands of phrases cost a few dict
look-ups per token instead of a scan per phrase. A word of seven letters or more that is not
in any lexicon is also looked up with one letter dropped or replaced, so "sucidal" and
"overdosd" still count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from escalation.triage.lexicon import Element, Entry
from escalation.triage.normalise import HARD, SOFT

MIN_PREFIX = 3
FUZZY_MIN_LENGTH = 7


@dataclass(frozen=True)
class Found:
    entry: Entry
    start: int
    end: int  # exclusive


class Matcher:
    def __init__(self, entries: list[Entry]) -> None:
        self._by_word: dict[str, list[tuple[Entry, int]]] = defaultdict(list)
        self._by_prefix: dict[str, list[tuple[Entry, int]]] = defaultdict(list)
        self._numbers: list[tuple[Entry, int]] = []
        for entry in entries:
            for offset in _start_offsets(entry.elements):
                first = entry.elements[offset]
                if first.number:
                    self._numbers.append((entry, offset))
                for word in first.first_words():
                    self._by_word[word].append((entry, offset))
                for prefix in first.prefixes:
                    self._by_prefix[prefix].append((entry, offset))
        self._vocabulary = {w for e in entries for el in e.elements for w in el.words}
        self._vocabulary |= {w for e in entries for el in e.elements for p in el.phrases for w in p}
        self._near = _near_index(w for w in self._vocabulary if len(w) >= FUZZY_MIN_LENGTH)
        self._max_prefix = max((len(p) for p in self._by_prefix), default=0)

    def find(self, tokens: list[str]) -> list[Found]:
        tokens = [self._corrected(t) for t in tokens]
        found: list[Found] = []
        for i, token in enumerate(tokens):
            if token in (HARD, SOFT):
                continue
            for entry, offset in self._candidates(token):
                end = _match(entry.elements, offset, tokens, i)
                if end >= 0:
                    found.append(Found(entry, i, end))
        return found

    def _candidates(self, token: str) -> list[tuple[Entry, int]]:
        candidates = list(self._by_word.get(token, ()))
        for length in range(MIN_PREFIX, min(len(token), self._max_prefix) + 1):
            candidates.extend(self._by_prefix.get(token[:length], ()))
        if token.isdigit():
            candidates.extend(self._numbers)
        return candidates

    def _corrected(self, token: str) -> str:
        """The lexicon word one typo away from ``token``, if exactly one is; else ``token``."""
        if len(token) < FUZZY_MIN_LENGTH or token in self._vocabulary or self._has_prefix_entry(token):
            return token
        candidates = {word for word, _ in self._near.get(token, ())}  # a letter left out
        for position, form in enumerate(_deletions(token)):
            if form in self._vocabulary:  # a letter too many
                candidates.add(form)
            candidates.update(w for w, p in self._near.get(form, ()) if p == position)  # one wrong letter
        return candidates.pop() if len(candidates) == 1 else token

    def _has_prefix_entry(self, token: str) -> bool:
        return any(token[:n] in self._by_prefix for n in range(MIN_PREFIX, min(len(token), self._max_prefix) + 1))


def _start_offsets(elements: tuple[Element, ...]) -> list[int]:
    """Where a match can begin: the first element, or a later one if all before it are optional."""
    offsets = []
    for index, element in enumerate(elements):
        if element.gap:
            break
        offsets.append(index)
        if not element.optional:
            break
    return offsets


def _match(elements: tuple[Element, ...], k: int, tokens: list[str], i: int) -> int:
    """End of a match of elements[k:] at tokens[i:], or -1; small backtracking for [ ] and ~."""
    if k == len(elements):
        return i
    element = elements[k]
    if element.gap:
        for skip in range(element.gap + 1):
            if skip and (i + skip - 1 >= len(tokens) or tokens[i + skip - 1] == HARD):
                break
            end = _match(elements, k + 1, tokens, i + skip)
            if end >= 0:
                return end
        return -1
    if i < len(tokens) and tokens[i] not in (HARD, SOFT):
        for after in element.ends(tokens, i):
            end = _match(elements, k + 1, tokens, after)
            if end >= 0:
                return end
    return _match(elements, k + 1, tokens, i) if element.optional else -1


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
