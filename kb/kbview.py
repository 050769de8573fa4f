"""What `kb check` needs from the index, fetched lazily and cached: candidates by figure and word, claim cards,
sources, the entity vocabulary (cities, journals, institutions). Nothing here loads every claim, so checking a page
costs the same against 1,000 claims as against 100,000, apart from the SQL look-ups themselves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from kb.db import Database, placeholders
from kb.quantities import Quantity, from_value
from kb.textnorm import fold
from kb.vocab import LEVEL_RANK

CANDIDATES = 25
COMMON_SHARE = 0.02  # words in more than 2% of claims do not select candidates


@dataclass(frozen=True)
class MentionInfo:
    page: str
    quote: str  # folded
    raw_quote: str
    verdict: str
    note: str
    attribution: str | None


@dataclass(frozen=True)
class ClaimInfo:
    rowid: int
    id: str
    subject: str
    statement: str
    head: str
    status: str
    level: str
    value: dict[str, Any]
    approved_wording: str | None
    caveats: tuple[str, ...]
    supporting: tuple[str, ...]  # source ids with relation "supports"
    mentions: tuple[MentionInfo, ...]
    weight: float  # summed idf of the claim's distinct words

    @property
    def quantity(self) -> Quantity | None:
        value = self.value
        if value.get("kind") != "quantity" or not value.get("unit"):
            return None
        low = value.get("low", value.get("value"))
        high = value.get("high", value.get("value"))
        if low is None or high is None:
            return None
        return from_value(float(low), float(high), value["unit"], value.get("qualifier", "exact"))

    @property
    def sourced(self) -> bool:
        return bool(self.supporting) and LEVEL_RANK[self.level] > 0


@dataclass(frozen=True)
class SourceInfo:
    id: str
    year: int | None
    city: str | None
    institution: str | None
    journal: str | None
    short: str  # "Schwenk 2018, Reg Anesth Pain Med"


class KnowledgeView:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._claims: dict[int, ClaimInfo] = {}
        self._subject_claims: dict[str, list[ClaimInfo]] = {}

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
            short = ", ".join(
                p for p in (f"{first} {year or ''}".strip(), data.get("container_title_short") or journal) if p
            )
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

    def candidates(self, quantities: list[Quantity], term_ids: list[int]) -> tuple[dict[int, float], set[int]]:
        """Claims sharing a selective word (with the summed idf of the shared words) or a figure with the sentence."""
        scores: dict[int, float] = {}
        by_number: set[int] = set()
        for quantity in quantities:
            if quantity.dimension is None:
                continue
            pad = 0.03 * max(abs(quantity.value), 1e-9)
            rows = self.db.rows(
                "SELECT claim_rowid FROM kb_claim_number WHERE dimension = :dim AND low <= :hi AND high >= :lo "
                f"ORDER BY is_value DESC, abs(value - :v) LIMIT {CANDIDATES}",
                {"dim": quantity.dimension, "lo": quantity.low - pad, "hi": quantity.high + pad, "v": quantity.value},
            )
            for (rowid,) in rows:
                by_number.add(rowid)
                scores.setdefault(rowid, 0.0)
        if term_ids:
            sql, params = placeholders("t", term_ids)
            rows = self.db.rows(
                f"SELECT ct.claim_rowid, SUM(t.idf) FROM kb_claim_term ct JOIN kb_term t ON t.id = ct.term_id "
                f"WHERE ct.term_id IN ({sql}) GROUP BY ct.claim_rowid ORDER BY 2 DESC LIMIT {CANDIDATES * 2}",
                params,
            )
            for rowid, weight in rows:
                scores[rowid] = scores.get(rowid, 0.0) + float(weight)
        return scores, by_number

    def selective_terms(self, words: list[str]) -> dict[int, float]:
        """Term id -> idf for the sentence's words that are rare enough in the knowledge base to select claims."""
        if not words:
            return {}
        sql, params = placeholders("w", words)
        limit = max(20.0, COMMON_SHARE * self.total)
        rows = self.db.rows(f"SELECT id, df, idf FROM kb_term WHERE text IN ({sql})", params)
        return {term_id: idf for term_id, df, idf in rows if df <= limit}

    def claims(self, rowids: list[int]) -> list[ClaimInfo]:
        missing = [rowid for rowid in rowids if rowid not in self._claims]
        if missing:
            sql, params = placeholders("r", missing)
            rows = self.db.rows(f"SELECT rowid, head_text, record, weight FROM kb_claim WHERE rowid IN ({sql})", params)
            for row in rows:
                self._claims[row[0]] = _claim_info(row[0], row[1], json.loads(row[2]), row[3])
        return [self._claims[rowid] for rowid in rowids if rowid in self._claims]

    def subject_claims(self, subject: str) -> list[ClaimInfo]:
        if subject not in self._subject_claims:
            rows = self.db.rows("SELECT rowid FROM kb_claim WHERE subject_id = :s ORDER BY rowid", {"s": subject})
            self._subject_claims[subject] = self.claims([row[0] for row in rows])
        return self._subject_claims[subject]


def _claim_info(rowid: int, head: str, record: dict[str, Any], weight: float) -> ClaimInfo:
    mentions = tuple(
        MentionInfo(m["page"], fold(m["quote"]), m["quote"], m["verdict"], m["note"], m.get("attribution"))
        for m in record.get("mentions", [])
    )
    supporting = tuple(
        dict.fromkeys(
            link["source"] for link in record.get("sources", []) if link.get("relation", "supports") == "supports"
        )
    )
    return ClaimInfo(
        rowid,
        record["id"],
        record["subject"],
        record["statement"],
        head,
        record["status"],
        record["evidence"]["level"],
        record.get("value") or {},
        record.get("approved_wording"),
        tuple(record.get("caveats", [])),
        supporting,
        mentions,
        weight,
    )
