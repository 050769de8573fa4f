"""The index as `kb.language.knowledge.Knowledge`, fetched lazily and cached: candidates by figure and word, claims,
sources, the entity vocabulary (cities, journals, institutions), stored statements. Nothing here loads every claim,
so checking a page costs the same against 1,000 claims as against 100,000, apart from the SQL look-ups themselves.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cached_property

from kb.language.knowledge import ClaimInfo, SourceInfo, SourceRecord, claim_info
from kb.language.scope import ScopeTerms
from kb.language.values import Statement
from kb.store.db import Database, placeholder_chunks
from kb.store.lookups import Figure, figures_near, summed_idf
from kb.store.statements import stored_statements
from kb.text.normalise import fold
from kb.text.quantities import BOUNDS, Quantity, digits, extract_digits, from_value
from kb.text.units import UnitTable, unit_table

CANDIDATES = 25
COMMON_SHARE = 0.02  # words in more than 2% of claims do not select candidates
# The most distinct words one sentence looks up. Real sentences have a few dozen; a 260,000-word "sentence" (a page
# with no full stop, a dump) would otherwise cost one look-up per word and grow the per-process word cache without end.
MAX_SENTENCE_WORDS = 1000
MAX_SENTENCE_FIGURES = 100  # likewise for the figures that select candidates: each costs up to three look-ups


class KnowledgeView:
    """`Knowledge` over the compiled index: every look-up is SQL, memoised per process."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._claims: dict[int, ClaimInfo] = {}
        self._subject_claims: dict[str, list[ClaimInfo]] = {}
        self._terms: dict[str, tuple[int, float] | None] = {}
        self._subject_words: dict[str, tuple[str, ...]] = {}
        self._figures: dict[tuple[str | None, float, float, float], list[Figure]] = {}

    @cached_property
    def total(self) -> int:
        return int(self.db.rows("SELECT COUNT(*) FROM kb_claim")[0][0]) or 1

    @cached_property
    def sources(self) -> dict[str, SourceInfo]:
        rows = self.db.rows("SELECT id, year, city, institution, container_title, record FROM kb_source")
        found = {}
        for ident, year, city, institution, journal, record in rows:
            data = json.loads(record)
            people = data.get("authors") or []
            first = people[0]["family"] if people else (data.get("organisation") or ident)
            named = f"{first} {year or ''}".strip()
            container = data.get("container_title_short") or journal
            # "Wikipedia, Wikipedia" says it once: an organisation that is also the container is named once
            repeated = bool(container) and named.startswith(container)
            short = ", ".join(p for p in (named, None if repeated else container) if p)
            found[ident] = SourceInfo(ident, year, city, institution, journal, short)
        return found

    @cached_property
    def entities(self) -> dict[str, dict[str, str]]:
        """Known names by type ("city", "journal", "institution"), folded name -> display name."""
        names: dict[str, dict[str, str]] = {"city": {}, "journal": {}, "institution": {}}
        for source in self.sources.values():
            for kind, name in (("city", source.city), ("journal", source.journal), ("institution", source.institution)):
                if name:
                    names[kind][fold(name)] = name
        rows = self.db.rows("SELECT entity, record FROM kb_claim WHERE value_kind = 'entity'")
        for entity, record in rows:
            kind = json.loads(record).get("value", {}).get("entity_type")
            if kind in names and entity:
                names[kind][fold(entity)] = entity
        return names

    @cached_property
    def _entity_pattern(self) -> re.Pattern[str] | None:
        names = sorted({name for names in self.entities.values() for name in names}, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, names))) if names else None

    def named_entities(self, folded: str) -> dict[str, list[str]]:
        """The known cities, journals and institutions a folded sentence names (one regex pass)."""
        found = {kind: [] for kind in self.entities}  # type: dict[str, list[str]]
        if self._entity_pattern is None:
            return found
        for hit in {m.group(0) for m in self._entity_pattern.finditer(folded)}:
            for kind, names in self.entities.items():
                if hit in names:
                    found[kind].append(hit)
        return found

    def candidates(self, quantities: list[Quantity], term_ids: list[int]) -> tuple[dict[int, float], set[int]]:
        """Claims sharing a selective word (with the summed idf of the shared words) or a figure with the sentence."""
        scores: dict[int, float] = {}
        by_number: set[int] = set()
        for quantity in [q for q in quantities if q.dimension is not None][:MAX_SENTENCE_FIGURES]:
            for row in self._near(quantity):
                by_number.add(row[0])
                scores.setdefault(row[0], 0.0)
        for rowid, weight in summed_idf(self.db, term_ids, CANDIDATES * 2):
            scores[rowid] = scores.get(rowid, 0.0) + weight
        return scores, by_number

    def _near(self, quantity: Quantity) -> list[Figure]:
        """Stored figures near `quantity`, memoised. The value is part of the key: it orders the look-up, so two
        figures with one interval differ."""
        key = (quantity.dimension, round(quantity.low, 9), round(quantity.high, 9), round(quantity.value, 9))
        if key not in self._figures:
            self._figures[key] = figures_near(self.db, quantity, [quantity.dimension], CANDIDATES)
        return self._figures[key]

    def figures_like(self, quantity: Quantity) -> list[tuple[ClaimInfo, Quantity]]:
        """Claims that state a figure overlapping `quantity` (their value or a figure in their wording), with it."""
        rows = self._near(quantity)
        claims = {claim.rowid: claim for claim in self.claims([row[0] for row in rows])}
        return [
            (claims[rowid], Quantity((low + high) / 2, low, high, dimension, "exact", text))
            for rowid, dimension, low, high, text, _ in rows
            if rowid in claims
        ]

    @cached_property
    def _figures_by_source(self) -> dict[str, list[Quantity]]:
        """Each source's own figures: its findings', its title's and its sample size, in base units."""
        out: dict[str, list[Quantity]] = {}
        for source_id, record in self.db.rows("SELECT id, record FROM kb_source"):
            data = json.loads(record)
            found = out.setdefault(source_id, [])
            if data.get("n"):
                found.append(from_value(float(data["n"]), float(data["n"]), "count", "exact", self.units))
            # A title that names its arms ("melatonin 3 mg, amitriptyline 25 mg and placebo") gives their doses.
            found += extract_digits(digits(data.get("title") or ""), self.units)
            for finding in data.get("findings") or []:
                for figure in finding.get("figures") or []:
                    low = figure.get("low", figure.get("value"))
                    high = figure.get("high", figure.get("value"))
                    if low is not None and high is not None and figure.get("unit"):
                        found.append(from_value(float(low), float(high), figure["unit"], "exact", self.units))
        # A share in a source's own quoted words ("in 6 of 6 patients") is a figure that source gives.
        for source_id, quantity in self._quoted_figures:
            if quantity.dimension == "percent":
                out.setdefault(source_id, []).append(quantity)
        return out

    @cached_property
    def _quoted_figures(self) -> list[tuple[str, Quantity]]:
        """(source id, figure) for every figure in the quotes by which sources support usable claims, read once."""
        quoted = self.db.rows(
            "SELECT cs.source_id, cs.quote FROM kb_claim_source cs JOIN kb_claim c ON c.rowid = cs.claim_rowid "
            "WHERE cs.relation = 'supports' AND c.status != 'do-not-use' AND cs.quote IS NOT NULL"
        )
        return [(source_id, q) for source_id, quote in quoted for q in extract_digits(digits(quote), self.units)]

    @cached_property
    def _sourced_by_dimension(self) -> dict[str, tuple[tuple[str, Quantity], ...]]:
        out: dict[str, list[tuple[str, Quantity]]] = {}
        for source_id, figures in self._figures_by_source.items():
            for quantity in figures:
                if quantity.dimension is not None:
                    out.setdefault(quantity.dimension, []).append((source_id, quantity))
        return {dimension: tuple(pairs) for dimension, pairs in out.items()}

    def figure_sources(self, dimension: str) -> tuple[tuple[str, Quantity], ...]:
        return self._sourced_by_dimension.get(dimension, ())

    @cached_property
    def source_figures(self) -> dict[str | None, tuple[Quantity, ...]]:
        """The figures the sources' findings and titles give, and each source's sample size, in base units, by
        dimension."""
        found = [q for figures in self._figures_by_source.values() for q in figures]
        # A bound a source states in its own words ("more than 5 mg/d") backs the same bound on a page (a share's
        # bound is among the source's figures already).
        found += [q for _, q in self._quoted_figures if q.qualifier in BOUNDS and q.dimension != "percent"]
        by_dimension: dict[str | None, list[Quantity]] = {}
        for quantity in found:
            if quantity.dimension is not None:
                by_dimension.setdefault(quantity.dimension, []).append(quantity)
        return {dimension: tuple(figures) for dimension, figures in by_dimension.items()}

    def selective_terms(self, words: list[str]) -> dict[int, float]:
        """Term id -> idf for the sentence's words that are rare enough in the knowledge base to select claims.

        Words are looked up once per process: pages share most of their vocabulary. Only the first
        `MAX_SENTENCE_WORDS` distinct words of a sentence count."""
        words = list(dict.fromkeys(words))[:MAX_SENTENCE_WORDS]
        missing = [word for word in words if word not in self._terms]
        if missing:
            limit = max(20.0, COMMON_SHARE * self.total)
            for sql, params in placeholder_chunks("w", missing):
                for text, term_id, df, idf in self.db.rows(
                    f"SELECT text, id, df, idf FROM kb_term WHERE text IN ({sql})", params
                ):
                    self._terms[text] = (term_id, idf) if df <= limit else None
            for word in missing:
                self._terms.setdefault(word, None)
        return {found[0]: found[1] for word in words if (found := self._terms[word]) is not None}

    def claims(self, rowids: list[int]) -> list[ClaimInfo]:
        missing = list(dict.fromkeys(rowid for rowid in rowids if rowid not in self._claims))
        for sql, params in placeholder_chunks("r", missing):
            rows = self.db.rows(f"SELECT rowid, head_text, record, weight FROM kb_claim WHERE rowid IN ({sql})", params)
            for row in rows:
                self._claims[row[0]] = claim_info(row[0], row[1], json.loads(row[2]), row[3], self.units)
        return [self._claims[rowid] for rowid in rowids if rowid in self._claims]

    def subject_claims(self, subject: str) -> list[ClaimInfo]:
        if subject not in self._subject_claims:
            rows = self.db.rows("SELECT rowid FROM kb_claim WHERE subject_id = :s ORDER BY rowid", {"s": subject})
            self._subject_claims[subject] = self.claims([row[0] for row in rows])
        return self._subject_claims[subject]

    @cached_property
    def _source_records(self) -> list[SourceRecord]:
        found = []
        for ident, size, institution, record in self.db.rows("SELECT id, n, institution, record FROM kb_source"):
            data = json.loads(record)
            authors = data.get("authors") or []
            first = authors[0]["family"] if authors else None
            found.append(SourceRecord(ident, size, institution, first, data.get("reports")))
        return found

    def source_records(self) -> list[SourceRecord]:
        return self._source_records

    def claims_supported_by(self, source_ids: Sequence[str]) -> list[ClaimInfo]:
        sql = ",".join(f":s{i}" for i in range(len(source_ids)))
        params = {f"s{i}": ident for i, ident in enumerate(source_ids)}
        rows = self.db.rows(
            f"SELECT DISTINCT claim_rowid FROM kb_claim_source WHERE relation = 'supports' AND source_id IN ({sql})",
            params,
        )
        return self.claims([row[0] for row in rows])

    def stored_statements(self, subject: str) -> list[Statement]:
        return stored_statements(self.db, subject)

    def subject_words(self, subject: str) -> tuple[str, ...]:
        """A subject's aliases and key terms, folded: what a sentence on it talks about."""
        if subject not in self._subject_words:
            rows = self.db.rows("SELECT aliases, terms FROM kb_subject WHERE id = :id", {"id": subject})
            words = [fold(w) for aliases, terms in rows for w in (*json.loads(aliases), *json.loads(terms))]
            self._subject_words[subject] = tuple(words)
        return self._subject_words[subject]

    @cached_property
    def risky_wording(self) -> dict[str, str]:
        """The knowledge base's own risky phrases, folded, with their categories."""
        rows = self.db.rows("SELECT value FROM kb_meta WHERE key = 'risky_wording'")
        declared: dict[str, list[str]] = json.loads(rows[0][0]) if rows else {}
        return {fold(phrase): category for category, phrases in declared.items() for phrase in phrases}

    @cached_property
    def units(self) -> UnitTable:
        rows = self.db.rows("SELECT value FROM kb_meta WHERE key = 'units'")
        return unit_table(json.loads(rows[0][0]) if rows else {})

    @cached_property
    def scope(self) -> ScopeTerms:
        rows = self.db.rows("SELECT value FROM kb_meta WHERE key = 'scope'")
        raw = json.loads(rows[0][0]) if rows else {}
        return ScopeTerms(tuple(raw.get("terms") or ()), tuple(raw.get("outside") or ()))

    def page_files(self) -> list[tuple[str, str]]:
        return [(ident, file) for ident, file in self.db.rows("SELECT id, file FROM kb_page")]
