"""Ranked, number-aware fuzzy search over the compiled index.

Candidates come from two cheap lookups, never a scan of every claim: an inverted index of words (misspelt
query words are corrected against the vocabulary with rapidfuzz) and a table of every figure in base units.
Only those candidates are scored with rapidfuzz, so the cost grows with the matches, not the knowledge base.

Writers come first: a hit ranks by its score less its status's margin (`STATUS_MARGIN`), so at equal or
near-equal relevance an approved claim ranks above one to use with a caveat, and both above a do-not-use one; a
do-not-use claim that matches clearly better (by more than the margins' difference) still ranks first. The score
shown stays the relevance; nothing is hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import snowballstemmer  # type: ignore[import-untyped]
from rapidfuzz import fuzz, process

from kb.query.cards import known_id
from kb.records import SearchHit
from kb.store.db import Database, placeholder_chunks, placeholders
from kb.store.lookups import figures_near, summed_idf
from kb.text.levels import LEVEL_RANK, LEVELS, STATUSES, STOPWORDS
from kb.text.normalise import words
from kb.text.quantities import Quantity, digits, extract

MAX_CANDIDATES = 200
COMMON_SHARE = 0.05  # words in more than 5% of claims rank candidates but do not select them
MAX_QUERY_WORDS = 1000  # distinct query words looked up; a pasted page must not cost one query (and fuzzy pass) each
# Points (of 100) taken off a hit's score to rank it, never shown: "near-equal" relevance is within these margins.
STATUS_MARGIN = {"approved": 0.0, "use-with-caveat": 2.0, "do-not-use": 6.0}
OTHER_MARGIN = 4.0  # a status kb does not know yet: after the usable ones, before do-not-use
_STEMMER = snowballstemmer.stemmer("english")
_STEMS: dict[str, str] = {}


@dataclass(frozen=True)
class Filters:
    levels: Sequence[str] = ()
    min_level: str | None = None
    statuses: Sequence[str] = ()
    source: str | None = None
    page: str | None = None
    subject: str | None = None

    def clauses(self) -> tuple[list[str], dict[str, object]]:
        where: list[str] = []
        params: dict[str, object] = {}
        levels = list(self.levels)
        if self.min_level:
            allowed = [level for level in LEVELS if LEVEL_RANK[level] >= LEVEL_RANK[self.min_level]]
            levels = [lv for lv in levels if lv in allowed] if levels else allowed
        if levels or self.min_level:
            sql, extra = placeholders("lv", list(dict.fromkeys(levels)) or ["-"])
            where.append(f"c.level IN ({sql})")
            params |= extra
        if self.statuses:  # both lists are short: values outside LEVELS / STATUSES are refused by check_filters
            sql, extra = placeholders("st", list(dict.fromkeys(self.statuses)))
            where.append(f"c.status IN ({sql})")
            params |= extra
        if self.subject:
            where.append("c.subject_id = :subject")
            params["subject"] = self.subject
        if self.source:
            where.append("c.rowid IN (SELECT claim_rowid FROM kb_claim_source WHERE source_id = :source)")
            params["source"] = self.source
        if self.page:
            where.append("c.rowid IN (SELECT claim_rowid FROM kb_mention WHERE page_id = :page)")
            params["page"] = self.page
        return where, params


@dataclass
class _Query:
    text: str
    terms: dict[str, float] = field(default_factory=dict)  # known word -> idf
    quantities: list[Quantity] = field(default_factory=list)


def _vocabulary_terms(db: Database, query_words: list[str]) -> tuple[dict[str, tuple[int, int, float]], int]:
    """Known words (id, df, idf), correcting unknown ones to their nearest vocabulary word."""
    total = int(db.rows("SELECT COUNT(*) FROM kb_claim")[0][0]) or 1
    if not query_words:
        return {}, total
    known: dict[str, tuple[int, int, float]] = {}
    for sql, params in placeholder_chunks("w", query_words):
        for row in db.rows(f"SELECT text, id, df, idf FROM kb_term WHERE text IN ({sql})", params):
            known[row[0]] = (row[1], row[2], row[3])
    missing = [word for word in query_words if word not in known and len(word) > 3 and not word.isdigit()]
    if missing:
        vocabulary = {
            row[0]: (row[1], row[2], row[3]) for row in db.rows("SELECT text, id, df, idf FROM kb_term ORDER BY text")
        }
        choices = list(vocabulary)
        for word in missing:
            best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=80)
            if best:
                known[best[0]] = vocabulary[best[0]]
    return known, total


def _term_candidates(db: Database, terms: dict[str, tuple[int, int, float]], total: int) -> set[int]:
    selective = [term_id for term_id, df, _ in terms.values() if df <= max(50, COMMON_SHARE * total)]
    chosen = selective or [term_id for term_id, _, _ in terms.values()]
    if not chosen:
        return set()
    return {rowid for rowid, _ in summed_idf(db, chosen, MAX_CANDIDATES)}


Number = tuple[str | None, float, float, str, bool]  # dimension, low, high, text, is the claim's own value


def _number_candidates(db: Database, quantities: list[Quantity]) -> dict[int, list[Number]]:
    found: dict[int, list[Number]] = {}
    dimensions: list[str | None] = [row[0] for row in db.rows("SELECT DISTINCT dimension FROM kb_claim_number")]
    for quantity in quantities:
        # A unit-less query figure ("sixty-one") may be any dimension; one with a unit only its own or none.
        wanted = [quantity.dimension, None] if quantity.dimension else dimensions
        for rowid, dim, low, high, text, is_value in figures_near(db, quantity, wanted, MAX_CANDIDATES):
            found.setdefault(rowid, []).append((dim, low, high, text, is_value))
    return found


def _number_score(query: list[Quantity], numbers: list[Number]) -> tuple[float, str]:
    """1.0 for the claim's own value in the same dimension; less for a figure only quoted, or unit-less."""
    best, matched = 0.0, ""
    for quantity in query:
        for dim, low, high, text, is_value in numbers:
            if quantity.dimension and dim and quantity.dimension != dim:
                continue
            same_unit = 1.0 if quantity.dimension and dim else 0.8
            centre = (low + high) / 2 if high != float("inf") else low
            closeness = 1 - min(1.0, abs(centre - quantity.value) / max(abs(quantity.value), 1e-9))
            score = same_unit * (0.75 + 0.15 * closeness + (0.1 if is_value else 0.0))
            if score > best:
                best, matched = score, text
    return best, matched


def _stem(word: str) -> str:
    stem = _STEMS.get(word)
    if stem is None:
        stem = _STEMS[word] = _STEMMER.stemWord(word)
    return stem


def _text_score(folded: str, terms: dict[str, tuple[int, int, float]], idf_total: float, head: str, text: str) -> float:
    """Share of the query's weight found, plus fuzzy similarity to what the claim says and to its quotes. A query
    word counts when the claim has it or a word of the same stem ("last" and a subject that "lasts"), so claims
    on one subject match a question about it about equally, and their status can decide."""
    doc_words = set(words(text))
    doc_stems = {_stem(word) for word in doc_words}
    found = [idf for word, (_, _, idf) in terms.items() if word in doc_words or _stem(word) in doc_stems]
    coverage = sum(found) / idf_total if idf_total else 0.0
    head_score = 0.5 * fuzz.token_set_ratio(folded, head) + 0.5 * fuzz.partial_ratio(folded, head)
    return 0.4 * coverage + 0.4 * head_score / 100 + 0.2 * fuzz.partial_ratio(folded, text) / 100


Row = tuple[int, str, str, str, str, str, str | None, str, str]


def _candidate_rows(db: Database, filters: Filters, candidates: set[int] | None) -> list[Row]:
    where, params = filters.clauses()
    select = (
        "SELECT c.rowid, c.id, c.statement, s.label, c.level, c.status, c.approved_wording, c.head_text, "
        "c.search_text FROM kb_claim c JOIN kb_subject s ON s.id = c.subject_id WHERE "
    )
    if candidates is None:
        return db.rows(select + (" AND ".join(where) or "1=1"), params)
    rows = []  # the candidates a chunk at a time; callers rank the rows, so their order does not matter
    for sql, extra in placeholder_chunks("r", sorted(candidates)):
        rows += db.rows(select + " AND ".join([*where, f"c.rowid IN ({sql})"]), params | extra)
    return rows


def rank(hit: SearchHit) -> tuple[float, float, str]:
    """How hits are ordered: score less the status margin, then the margin (approved first), then id."""
    margin = STATUS_MARGIN.get(hit.status, OTHER_MARGIN)
    return (round(margin - hit.score, 6), margin, hit.claim_id)


def _hit(row: Row, score: float, matched: str, numbers: tuple[str, ...] = ()) -> SearchHit:
    _, claim_id, statement, subject, level, status, wording = row[:7]
    return SearchHit(claim_id, score, statement, subject, level, status, matched, numbers, wording)


def search(db: Database, query: str, filters: Filters | None = None, limit: int = 10) -> list[SearchHit]:
    """The best `limit` claims for `query` among those the filters allow, usable ones first at near-equal
    relevance (`rank`). An empty query lists them, usable ones first. An unknown subject, source or page id in the
    filters is a `NotFound` naming the closest id."""
    filters = filters or Filters()
    check_ids(db, filters)
    folded = digits(query)
    query_words = [w for w in dict.fromkeys(words(folded)) if w not in STOPWORDS][:MAX_QUERY_WORDS]
    quantities = extract(query)
    if not query_words and not quantities:
        return sorted((_hit(row, 100.0, "") for row in _candidate_rows(db, filters, None)), key=rank)[:limit]
    terms, total = _vocabulary_terms(db, query_words)
    numbers = _number_candidates(db, quantities)
    candidates = _term_candidates(db, terms, total) | set(numbers)
    if not candidates:
        return []
    idf_total = sum(idf for _, _, idf in terms.values()) + 3.0 * (len(query_words) - len(terms))
    weight = 0.5 if quantities else 0.0
    hits = []
    for row in _candidate_rows(db, filters, candidates):
        head, text = row[7], row[8]
        similarity = _text_score(folded, terms, idf_total, head, text)
        number, matched = _number_score(quantities, numbers.get(row[0], []))
        score = 100 * ((1 - weight) * similarity + weight * number)
        shown = matched or " ".join(word for word in terms if word in text)
        hits.append(_hit(row, round(score, 1), shown, (matched,) if matched else ()))
    hits.sort(key=rank)
    return hits[:limit]


ID_FILTERS = (("subject", "kb_subject"), ("source", "kb_source"), ("page", "kb_page"))


def check_ids(db: Database, filters: Filters) -> None:
    """An id filter that names nothing is a mistake, not an empty result: `NotFound` with the closest id."""
    for kind, table in ID_FILTERS:
        ident = getattr(filters, kind)
        if ident is not None:
            known_id(db, kind, ident, table)


def check_filters(filters: Filters) -> None:
    """Reject filter values that can never match, naming the allowed ones."""
    from kb.errors import UsageError

    for value in [*filters.levels, *([filters.min_level] if filters.min_level else [])]:
        if value not in LEVELS:
            raise UsageError(f"unknown evidence level {value!r}", hint=f"use one of {', '.join(LEVELS)}")
    for value in filters.statuses:
        if value not in STATUSES:
            raise UsageError(f"unknown status {value!r}", hint=f"use one of {', '.join(STATUSES)}")
