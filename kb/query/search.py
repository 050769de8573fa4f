"""Ranked, number-aware fuzzy search over the compiled index.

Candidates come from two cheap lookups, never a scan of every claim: an inverted index of words (misspelt
query words are corrected against the vocabulary with rapidfuzz) and a table of every figure in base units.
Only those candidates are scored with rapidfuzz, so the cost grows with the matches, not the knowledge base.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from kb.records import SearchHit
from kb.store.db import Database, placeholder_chunks, placeholders
from kb.store.lookups import figures_near, summed_idf
from kb.text.levels import LEVEL_RANK, LEVELS, STATUSES, STOPWORDS
from kb.text.normalise import words
from kb.text.quantities import Quantity, digits, extract

MAX_CANDIDATES = 200
COMMON_SHARE = 0.05  # words in more than 5% of claims rank candidates but do not select them
MAX_QUERY_WORDS = 1000  # distinct query words looked up; a pasted page must not cost one query (and fuzzy pass) each


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
        vocabulary = {row[0]: (row[1], row[2], row[3]) for row in db.rows("SELECT text, id, df, idf FROM kb_term")}
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


def _text_score(folded: str, terms: dict[str, tuple[int, int, float]], idf_total: float, head: str, text: str) -> float:
    """Share of the query's weight found, plus fuzzy similarity to what the claim says and to its quotes."""
    doc_words = set(words(text))
    coverage = sum(idf for word, (_, _, idf) in terms.items() if word in doc_words) / idf_total if idf_total else 0.0
    head_score = 0.5 * fuzz.token_set_ratio(folded, head) + 0.5 * fuzz.partial_ratio(folded, head)
    return 0.4 * coverage + 0.4 * head_score / 100 + 0.2 * fuzz.partial_ratio(folded, text) / 100


def _candidate_rows(
    db: Database, filters: Filters, candidates: set[int] | None
) -> list[tuple[int, str, str, str, str, str, str, str]]:
    where, params = filters.clauses()
    select = (
        "SELECT c.rowid, c.id, c.statement, s.label, c.level, c.status, c.head_text, c.search_text "
        "FROM kb_claim c JOIN kb_subject s ON s.id = c.subject_id WHERE "
    )
    if candidates is None:
        return db.rows(select + (" AND ".join(where) or "1=1"), params)
    rows = []  # the candidates a chunk at a time; callers rank the rows, so their order does not matter
    for sql, extra in placeholder_chunks("r", sorted(candidates)):
        rows += db.rows(select + " AND ".join([*where, f"c.rowid IN ({sql})"]), params | extra)
    return rows


def search(db: Database, query: str, filters: Filters | None = None, limit: int = 10) -> list[SearchHit]:
    """The best `limit` claims for `query` among those the filters allow. An empty query lists them."""
    filters = filters or Filters()
    folded = digits(query)
    query_words = [w for w in dict.fromkeys(words(folded)) if w not in STOPWORDS][:MAX_QUERY_WORDS]
    quantities = extract(query)
    if not query_words and not quantities:
        rows = _candidate_rows(db, filters, None)
        return [SearchHit(r[1], 100.0, r[2], r[3], r[4], r[5], "") for r in sorted(rows, key=lambda r: r[1])][:limit]
    terms, total = _vocabulary_terms(db, query_words)
    numbers = _number_candidates(db, quantities)
    candidates = _term_candidates(db, terms, total) | set(numbers)
    if not candidates:
        return []
    idf_total = sum(idf for _, _, idf in terms.values()) + 3.0 * (len(query_words) - len(terms))
    weight = 0.5 if quantities else 0.0
    hits = []
    for rowid, claim_id, statement, subject, level, status, head, text in _candidate_rows(db, filters, candidates):
        similarity = _text_score(folded, terms, idf_total, head, text)
        number, matched = _number_score(quantities, numbers.get(rowid, []))
        score = 100 * ((1 - weight) * similarity + weight * number)
        shown = matched or " ".join(word for word in terms if word in text)
        hits.append(
            SearchHit(
                claim_id, round(score, 1), statement, subject, level, status, shown, (matched,) if matched else ()
            )
        )
    hits.sort(key=lambda hit: (-hit.score, hit.claim_id))
    return hits[:limit]


def check_filters(filters: Filters) -> None:
    """Reject filter values that can never match, naming the allowed ones."""
    from kb.errors import UsageError

    for value in [*filters.levels, *([filters.min_level] if filters.min_level else [])]:
        if value not in LEVELS:
            raise UsageError(f"unknown evidence level {value!r}", hint=f"use one of {', '.join(LEVELS)}")
    for value in filters.statuses:
        if value not in STATUSES:
            raise UsageError(f"unknown status {value!r}", hint=f"use one of {', '.join(STATUSES)}")
