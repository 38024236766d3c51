"""From a message to a level, categories and the reasons for them.

The lexicons and rules find the phrases people reviewed and what they mean (negated, past,
quoted, an idiom; a means with an intent and a time); the gazetteers find named things. All of it
becomes features of the model (``learned.py``), which decides the level and categories. The rules
are also hard guards: a rule that fires sets a floor the model cannot go below, and a phrase the
rules judged not current (negated, past, quoted, an idiom) takes the model's urgent reading down
only when, without that phrase's words, the model no longer reads the message as urgent.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate, chain, repeat
from operator import attrgetter, itemgetter, mul
from pathlib import Path
from typing import NamedTuple

from escalation.triage.features import PAIR, pair_features, readable, signal_features, word_features
from escalation.triage.gazetteer import FOLDER as GAZETTEER_FOLDER, load_gazetteers
from escalation.triage.learned import EXPLAIN_TOP, FILE_NAME as MODEL_FILE, ZERO, Reading, TriageModel, load_model, total
from escalation.triage.lexicon import MODIFIERS, Entry, Lexicon, load_lexicon
from escalation.triage.matcher import Found, Matcher, Plan
from escalation.triage.model import CATEGORIES, Level, Match, TriageResult
from escalation.triage.normalise import HARD, SOFT, tokenise
from escalation.triage.rules import Rule, load_rules

DATA = Path(__file__).with_name("data")
WORD_CACHE_LIMIT = 200_000  # distinct words remembered; bounds memory on hostile input
NEGATION_WINDOW = 3  # words between "not" and the phrase it negates
HABIT_WINDOW = 1  # "used to" speaks of the very next words: "used to cut", not "used to run with"
DEFAULT_LANGUAGE = "en"
LISTED = ("lex:", "lexicon:", "rule:", "mod:")
RISKS, MODIFIER_KINDS = frozenset(CATEGORIES), frozenset(MODIFIERS)  # asked of every phrase found
_NOT_A_BREAK = {HARD: 0, SOFT: 0}
# Lexicon phrases at this level are floors. Making high phrases floors too changed no figure in
# cross-validation with the first model, and with the shipped one it raises only non-urgent
# messages (6 of 4,080 training messages), so high phrases stay features the model weighs.
PHRASE_FLOOR = Level.EMERGENCY


class _Word(NamedTuple):
    """What the triage knows of one space-separated chunk as typed ("Don't", "tonight!!"): its
    tokens after folding, expansion and typo correction, which of them start a clause, the
    lexicon entries it anchors, and the model's weights of its word features summed. Chunks
    repeat far more than messages do, so all the per-word work is done once per distinct chunk."""

    tokens: tuple[str, ...]
    starts: tuple[int, ...]
    anchored: frozenset[Plan]
    meets: frozenset[int]  # the patterns' needs its words meet (Matcher.meets)
    weights: Sequence[float]
    feature_count: int
    pushes: tuple[float, ...]  # how much the words push towards each level: for the explanation
    label: str  # the words as the explanation names them
    quantity: bool  # a number that could count tablets


_TOKENS, _STARTS, _ANCHORED, _MEETS, _WEIGHTS, _FEATURE_COUNT = map(
    attrgetter, ("tokens", "starts", "anchored", "meets", "weights", "feature_count"))


class _Scan(NamedTuple):
    """What one message contains, before rules are applied."""

    tokens: list[str]
    found: list[Found]
    segments: list[int]
    words: list[_Word]


class _Pairs(NamedTuple):
    pairs: list[tuple[str, str]]  # every pair of neighbouring tokens
    vectors: list[Sequence[float]]  # the weights of those the model knows
    count: int  # the pairs without a clause break: the scale depends on every feature, known or not


def _feature_count(scan: _Scan, pairs: _Pairs) -> int:
    return pairs.count + sum(map(_FEATURE_COUNT, scan.words))


class Findings(NamedTuple):
    """What the lexicons, rules and gazetteers make of a message: the model's signals, and the
    floor its level may not go below."""

    levels: dict[str, Level]  # category -> level, from current phrases and fired rules
    matched: list[Match]
    fired: list[Rule]
    lowered: list[tuple[Found, str]]
    signals: tuple[str, ...]
    floor: Level
    explained_away: bool  # a risk phrase was judged not current: the model may be taken down

    @property
    def level(self) -> Level:
        return max(self.levels.values(), default=Level.LOW)


def _clause_kinds(scan: _Scan) -> dict[int, set[str]]:
    """What each clause contains ("past", "present", ...)."""
    kinds: dict[int, set[str]] = {}
    for found in scan.found:
        kinds.setdefault(scan.segments[found.start], set()).add(found.entry.kind)
    return kinds


class Triage:
    def __init__(self, lexicons: Sequence[Lexicon], rules: Sequence[Rule], model: TriageModel | None = None,
                 gazetteers: Sequence[Entry] = ()) -> None:
        common = set().union(*(lexicon.detect for lexicon in lexicons))
        entries = [e for lexicon in lexicons for e in lexicon.entries] + list(gazetteers)
        self._matcher = Matcher(entries, common)
        self._expansions = {k: v for lexicon in lexicons for k, v in lexicon.expansions.items()}
        self._detect = {lexicon.lang: lexicon.detect for lexicon in lexicons}
        self._boundary = set().union(*(lexicon.boundary for lexicon in lexicons))
        self._rules = list(rules)
        self.model = model
        # the languages' common words and clause breaks: the model counts them only in pairs
        self.stop_words = frozenset(common | self._boundary)
        self._words: dict[str, _Word] = {}
        # the signals of a message in which the lexicons found nothing, with a number or not
        self._plain = {quantity: signal_features((), (), (), (), (), (), Level.LOW.label, quantity)
                       for quantity in (False, True)}

    def with_model(self, model: TriageModel | None) -> Triage:
        """This triage with another model (the training script's folds and its check of the
        written weights). The word cache starts empty: it holds the model's weights."""
        other = copy.copy(self)
        other.model, other._words = model, {}
        return other

    @property
    def entry_count(self) -> int:
        return self._matcher.entry_count

    @property
    def languages(self) -> list[str]:
        return sorted(self._detect)

    def classify(self, text: str, context: Sequence[str] = ()) -> TriageResult:
        """Triage ``text``; ``context`` holds the contact's recent messages, oldest first."""
        scan = self._scan(text)
        findings = self._findings(scan, context)
        level, categories, matched = findings.level, set(findings.levels), list(findings.matched)
        if self.model is not None:
            pairs = self._pairs(scan.tokens)
            reading = self._reading(scan, findings, pairs)
            level = max(reading.level, findings.floor)
            categories.update(self.model.categories_of(reading))
            if level >= Level.MEDIUM and not categories:
                categories.add(max(reading.categories, key=reading.categories.__getitem__))
            if reading.level >= Level.MEDIUM:  # first when the model decided: cards show the first few
                position = 0 if reading.level > findings.level else len(matched)
                matched.insert(position, self._explain(scan, findings, reading, pairs))
        unique: dict[tuple[str, str, str | None], Match] = {}
        for m in matched:  # the same phrase found by two entries (two languages) is explained once
            unique.setdefault((m.kind, m.phrase, m.lowered_by), m)
        return TriageResult(
            level=level,
            categories=tuple(filter(categories.__contains__, CATEGORIES)),
            lang=self._language(scan.tokens),
            matched=tuple(unique.values()),
            lowered=any(f.entry.level > level for f, _ in findings.lowered),
            third_party=bool(findings.levels) and any(f.entry.kind == "third_party" for f in scan.found),
            rules=tuple(r.source for r in findings.fired),
        )

    def read(self, text: str, context: Sequence[str] = ()) -> tuple[Reading | None, Findings]:
        """The model's reading (None without a model) and the findings: what ``classify``
        decides from, for the training script to pick thresholds on."""
        scan = self._scan(text)
        findings = self._findings(scan, context)
        if self.model is None:
            return None, findings
        return self._reading(scan, findings, self._pairs(scan.tokens)), findings

    def features(self, text: str) -> tuple[list[str], tuple[str, ...]]:
        """The model's word and pair features and its signals, exactly as ``classify`` scores
        them: what the training script learns from."""
        scan = self._scan(text)
        words = [f for word in scan.words for f in word_features(word.tokens, self.stop_words)]
        return words + pair_features(scan.tokens), self._findings(scan, ()).signals

    def tokens(self, text: str) -> list[str]:
        """The words as the lexicons see them (folded, expanded, typos mended)."""
        return self._scan(text).tokens

    def _findings(self, scan: _Scan, context: Sequence[str]) -> Findings:
        if not scan.found:  # nothing the lexicons know: no rule can fire, whatever the context
            return Findings({}, [], [], [], self._plain[any(word.quantity for word in scan.words)], Level.LOW, False)
        active, lowered, markers = _judge(scan)
        levels: dict[str, Level] = {}
        for found in active:
            levels[found.entry.kind] = max(levels.get(found.entry.kind, Level.LOW), found.entry.level)
        lexicon_level = max(levels.values(), default=Level.LOW)
        context_risk = self._context_risk(context)
        fired = self._apply_rules(levels, {m.entry.kind[7:] for m in markers}, context_risk)
        matched = [_as_match(scan, f) for f in active + markers]
        matched += [_as_match(scan, f, lowered_by=why) for f, why in lowered]
        matched += [Match(cat, cat, lvl.label, "context", from_context=True)
                    for cat, lvl in context_risk.items() if any(r.category == cat for r in fired)]
        signals = signal_features(
            ((f.entry.kind, f.entry.level.label) for f in active if f.entry.level is not None),
            ((f.entry.kind, why) for f, why in lowered),
            (m.entry.kind[7:] for m in markers),
            (f.entry.kind[4:] for f in scan.found if f.entry.kind.startswith("gaz:")),
            ((r.category or "markers", r.level.label) for r in fired),
            (f.entry.kind for f in scan.found if f.entry.kind in MODIFIER_KINDS),
            lexicon_level.label,
            any(word.quantity for word in scan.words),
        )
        floor = max([Level.LOW] + [r.level for r in fired]
                    + [f.entry.level for f in active if f.entry.level is not None and f.entry.level >= PHRASE_FLOOR])
        return Findings(levels, matched, fired, lowered, signals, floor, _explained_away(scan, lowered))

    def _pairs(self, tokens: list[str]) -> _Pairs:
        """The message's word pairs (``pair_features``) that the model knows, with their
        weights, and how many pairs there were: reading and explaining both need them. A pair
        with a clause break in it is no pair, and no pair the model knows has one."""
        assert self.model is not None
        pairs = list(zip(tokens, tokens[1:]))
        whole = list(map(_NOT_A_BREAK.get, tokens, repeat(1)))
        return _Pairs(pairs, list(filter(None, map(self.model.pairs.get, pairs))), sum(map(mul, whole, whole[1:])))

    def score(self, text: str) -> Reading:
        """The model's reading of the whole message, before any guard: what the training script
        compares with scikit-learn's."""
        assert self.model is not None
        scan = self._scan(text)
        return self._read(scan, self._findings(scan, ()), self._pairs(scan.tokens))

    def _reading(self, scan: _Scan, findings: Findings, pairs: _Pairs) -> Reading:
        reading = self._read(scan, findings, pairs)
        if reading.level > findings.floor and findings.explained_away:
            reading = self._without_lowered(scan, findings, reading)
        return reading

    def _read(self, scan: _Scan, findings: Findings, pairs: _Pairs) -> Reading:
        assert self.model is not None
        vectors = list(map(_WEIGHTS, scan.words))
        vectors += pairs.vectors
        return self.model.read(total(vectors), _feature_count(scan, pairs), findings.signals)

    def _without_lowered(self, scan: _Scan, findings: Findings, reading: Reading) -> Reading:
        """The model's reading of the message without the words of the phrases the rules judged
        not current ("not going to kill myself", "this job is killing me"): if it is still
        urgent, the urgency rests on other words, and stays."""
        assert self.model is not None
        hidden = {i for f, _ in findings.lowered for i in range(f.start, f.end)}
        hidden.update(i for f in scan.found if f.entry.kind == "idiom" for i in range(f.start, f.end))
        kept = [t for i, t in enumerate(scan.tokens) if i not in hidden]
        vectors, count, start = [], 0, 0
        for word in scan.words:  # a chunk with nothing hidden keeps its summed weights
            end = start + len(word.tokens)
            if hidden.isdisjoint(range(start, end)):
                vectors.append(word.weights)
                count += word.feature_count
            else:
                part, part_count = self.model.sum(word_features(
                    [t for i, t in enumerate(word.tokens, start) if i not in hidden], self.stop_words))
                vectors.append(part)
                count += part_count
            start = end
        pairs = self._pairs(kept)
        words = total(vectors + pairs.vectors)
        count += pairs.count
        masked = self.model.read(words, count, findings.signals)
        return masked if masked.level < reading.level else reading

    def _explain(self, scan: _Scan, findings: Findings, reading: Reading, pairs: _Pairs) -> Match:
        """The model's strongest reasons in words, with its probability."""
        assert self.model is not None
        model, level = self.model, reading.level
        count = _feature_count(scan, pairs)
        scale = 1.0 / math.sqrt(count) if count else 0.0
        pushes: dict[str, float] = {}
        for word in scan.words:
            push = word.pushes[level]
            if push > 0:
                pushes[word.label] = max(pushes.get(word.label, 0.0), push * scale)
        for first, second in filter(model.pairs.__contains__, pairs.pairs):
            feature = f"{PAIR}{first} {second}"
            pushes[feature] = model.pushes(feature)[level] * scale
        for feature, push in model.signals(findings.signals).pushes:
            if not feature.startswith(LISTED):  # the lexicon phrases are listed as matches already
                pushes[feature] = push[level]
        ranked = sorted(pushes.items(), key=itemgetter(1), reverse=True)[:EXPLAIN_TOP]
        words = [readable(k) if ":" in k else k for k, push in ranked if push > 0]
        return Match(" / ".join(words), "model", level.label, f"model p={reading.at_least(level):.2f}")

    def _scan(self, text: str) -> _Scan:
        """Splitting at spaces first is the same as tokenising the whole text (no step of
        ``tokenise`` looks across a space), and lets a cache answer for each chunk."""
        words, learn = self._words, self._learn
        known = [words.get(chunk) or learn(chunk) for chunk in text.split(" ")]
        # map and chain over the cached tuples: each message's assembly runs in C
        tokens = list(chain.from_iterable(map(_TOKENS, known)))
        candidates = set().union(*map(_ANCHORED, known))
        if not candidates:
            return _Scan(tokens, [], [], known)
        segments = list(accumulate(chain.from_iterable(map(_STARTS, known))))
        met = set().union(*map(_MEETS, known))
        return _Scan(tokens, self._matcher.find(tokens, candidates, met), segments, known)

    def _learn(self, chunk: str) -> _Word:
        tokens: list[str] = []
        anchored: set[Plan] = set()
        meets: set[int] = set()
        for word in tokenise(chunk):
            for token in self._expansions.get(word, (word,)):
                token = self._matcher.corrected(token)
                tokens.append(token)
                anchored.update(self._matcher.anchored(token))
                meets.update(self._matcher.meets(token))
        starts = tuple(int(t in (HARD, SOFT) or t in self._boundary) for t in tokens)
        weights, count, pushes = ZERO, 0, (0.0,) * len(Level)
        if self.model is not None:
            weights, count = self.model.sum(word_features(tokens, self.stop_words))
            pushes = self.model.push(weights)
        label = " ".join(t for t in tokens if t != HARD and t != SOFT)
        quantity = any(t.isdigit() and 2 <= int(t) <= 999 for t in tokens)
        known = _Word(tuple(tokens), starts, frozenset(anchored), frozenset(meets), weights, count, pushes, label,
                      quantity)
        if len(self._words) < WORD_CACHE_LIMIT:
            self._words[chunk] = known
        return known

    def _context_risk(self, context: Sequence[str]) -> dict[str, Level]:
        risk: dict[str, Level] = {}
        for earlier in context:
            active, _, _ = _judge(self._scan(earlier))
            for found in active:
                if found.entry.level >= Level.HIGH:
                    risk[found.entry.kind] = max(risk.get(found.entry.kind, Level.LOW), found.entry.level)
        return risk

    def _apply_rules(self, levels: dict[str, Level], markers: set[str],
                     context_risk: dict[str, Level]) -> list[Rule]:
        fired: list[Rule] = []
        if not markers:
            return fired  # every rule needs a marker
        for rule in self._rules:
            if not rule.markers <= markers:
                continue
            if rule.category is not None:
                present = max(levels.get(rule.category, Level.LOW), context_risk.get(rule.category, Level.LOW))
                if present < Level.HIGH:
                    continue
            fired.append(rule)
            for category in filter(None, (rule.category, *rule.adds)):
                levels[category] = max(levels.get(category, Level.LOW), rule.level)
        return fired

    def _language(self, tokens: list[str]) -> str:
        """The language with the most of its common words; English when none or a tie."""
        present = set(tokens)
        best_lang, best = DEFAULT_LANGUAGE, len(self._detect.get(DEFAULT_LANGUAGE, set()) & present)
        for lang, words in self._detect.items():
            if lang != DEFAULT_LANGUAGE and len(words & present) > best:
                best_lang, best = lang, len(words & present)
        return best_lang


def _judge(scan: _Scan) -> tuple[list[Found], list[tuple[Found, str]], list[Found]]:
    """Split risk phrases into current and lowered (negated, past, quoted); keep live markers."""
    by_kind: dict[str, list[Found]] = {}
    for found in scan.found:
        by_kind.setdefault(found.entry.kind, []).append(found)
    idioms = by_kind.get("idiom", [])
    # "no idea" and "can't stop" are not negations at all, and the "not" of "can't go on"
    # belongs to that risk phrase; a "not" that a phrase only skips over ("mezelf niks
    # aandoen") stays a negation of it.
    shields = [f for f in scan.found if f.entry.kind == "affirm"] + idioms
    risks = [f for f in scan.found if f.entry.kind in RISKS]
    by_kind["negation"] = [
        n for n in by_kind.get("negation", [])
        if not any(_overlaps(n, s) for s in shields) and not any(_owns(r, n, scan.tokens) for r in risks)
    ]
    active: list[Found] = []
    lowered: list[tuple[Found, str]] = []
    markers: list[Found] = []
    clauses = _clause_kinds(scan)
    for found in scan.found:
        kind = found.entry.kind
        if kind not in RISKS and not kind.startswith("marker:"):
            continue
        if found.entry.level == Level.LOW:  # a topic (work, debt advice), not a risk to lower
            active.append(found)
            continue
        if _hidden_by_idiom(found, idioms):
            if kind in RISKS:
                lowered.append((found, "idiom"))
            continue
        reason = _lowering(scan, found, by_kind, clauses, strict=kind in RISKS)
        if kind.startswith("marker:"):
            if reason is None:
                markers.append(found)
        elif reason is None:
            active.append(found)
        else:
            lowered.append((found, reason))
    return active, lowered, markers


def _lowering(scan: _Scan, found: Found, by_kind: dict[str, list[Found]], clauses: dict[int, set[str]],
              strict: bool) -> str | None:
    """Why a phrase does not describe risk now, or None.

    A risk phrase is negated only by a negation just before it ("not going to hurt myself");
    a marker ("tonight") by any negation earlier in its clause ("don't think I'll do it again
    tonight"). Past and quotation apply to the whole clause, unless the clause also says now.
    """
    negations, habits = by_kind.get("negation", ()), by_kind.get("habit", ())
    segment = scan.segments[found.start]
    if strict and any(found.start < n.start and n.end <= found.end for n in negations):
        return "negation"  # skipped over inside the phrase: "mezelf niks aandoen"
    for reason, cues, window in (("negation", negations, NEGATION_WINDOW), ("past", habits, HABIT_WINDOW)):
        for cue in cues:
            if cue.end > found.start or _overlaps(cue, found) or scan.segments[cue.start] != segment:
                continue
            if not strict or found.start - cue.end <= window:
                return reason
    clause = clauses.get(segment, frozenset())
    if "present" in clause:
        return None
    for reason in ("past", "quote"):
        if reason in clause:
            return reason
    return None


def _hidden_by_idiom(found: Found, idioms: list[Found]) -> bool:
    """Idioms are words used lightly. One hides any alarm or marker it touches ("this job is
    killing me"), but a lesser need only when it is the wider phrase ("a bit nervous" hides
    "nervous"; "kicked me out" stays homelessness even though it hides "kicked me")."""
    level = found.entry.level
    if level is None or level >= Level.HIGH:
        return any(_overlaps(found, idiom) for idiom in idioms)
    return any(i.start <= found.start and found.end <= i.end and i.end - i.start > found.end - found.start
               for i in idioms)


def _explained_away(scan: _Scan, lowered: list[tuple[Found, str]]) -> bool:
    """The lexicons found risk words and judged them not current (negated, past, quoted, an
    idiom): that judgement names its reason, and may take the model's reading down."""
    return any(f.entry.level is not None and f.entry.level >= Level.HIGH for f, _ in lowered) or any(
        f.entry.kind == "idiom" for f in scan.found)


def _owns(risk: Found, negation: Found, tokens: list[str]) -> bool:
    return _overlaps(risk, negation) and set(tokens[negation.start:negation.end]) <= risk.entry.words


def _overlaps(a: Found, b: Found) -> bool:
    return a.start < b.end and b.start < a.end


def _as_match(scan: _Scan, found: Found, lowered_by: str | None = None) -> Match:
    phrase = " ".join(scan.tokens[found.start:found.end]).replace(" , ", " ")
    level = found.entry.level.label if found.entry.level is not None else None
    return Match(phrase, found.entry.kind, level, found.entry.source, lowered_by)


def load_triage(data_dir: Path = DATA, with_model: bool = True) -> Triage:
    """Read and compile every ``*.lex`` file, ``rules.txt``, the gazetteers and (unless
    ``with_model`` is off) the model's weights if there are any; raises LexiconError naming
    file:line."""
    lexicons = [load_lexicon(path) for path in sorted(data_dir.glob("*.lex"))]
    model = load_model(data_dir / MODEL_FILE) if with_model else None
    gazetteers = load_gazetteers(data_dir / GAZETTEER_FOLDER)
    return Triage(lexicons, load_rules(data_dir / "rules.txt"), model, gazetteers)


@lru_cache(maxsize=4)
def default_triage(data_dir: Path | None = None) -> Triage:
    """The compiled triage, once per process: compiling is the slow part, classifying is not."""
    return load_triage(data_dir or DATA)
