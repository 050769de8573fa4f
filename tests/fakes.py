"""An in-memory `Knowledge` for unit tests, and a `Context` for one sentence.

`FakeKnowledge` holds claim records (the dicts `claim_info` takes) and sources, and answers the protocol the way the
index does, without SQL: a word's idf is log(1 + claims / claims with the word), a claim's weight is the summed idf
of its distinct words, and a sentence's candidates are the claims sharing a word with it (summed idf of the shared
words) plus the claims with a figure whose interval overlaps one of the sentence's, in the same dimension.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from kb.check.config import DEFAULT_LEXICON
from kb.check.context import Context, Span
from kb.check.known import KnownPages
from kb.check.runner import MIN_WORDS
from kb.language.knowledge import ClaimInfo, SourceInfo, SourceRecord, claim_info
from kb.language.matching import analyse, match
from kb.language.scope import ScopeTerms
from kb.language.statements import sentence_statements
from kb.language.values import Statement
from kb.language.vocabulary import SubjectRow, compile_vocabulary
from kb.text.levels import STOPWORDS
from kb.text.normalise import fold, words
from kb.text.quantities import Quantity, digits, extract_digits, from_value
from kb.text.units import GENERIC, UnitTable

TODAY = date(2025, 6, 1)  # recency is measured from here, never from the clock
COMMON_SHARE = 0.02  # as the index: words in more than 2% of the claims (and more than 20) do not select


def claim_record(ident: str, statement: str, subject: str, **fields: Any) -> dict[str, Any]:
    """A claim record as claims.yaml and the index hold it; approved, moderate evidence, unsourced unless told."""
    record: dict[str, Any] = {"id": ident, "statement": statement, "subject": subject, "status": "approved"}
    record["evidence"] = {"level": fields.pop("level", "moderate")}
    quote = fields.pop("quote", "")
    record["sources"] = [{"source": s, "relation": "supports", "quote": quote} for s in fields.pop("supported_by", [])]
    return record | fields


class FakeKnowledge:
    """`kb.language.knowledge.Knowledge` over lists: claims get rowids 1, 2, … in the order given."""

    def __init__(
        self,
        claims: Sequence[dict[str, Any]],
        sources: Sequence[SourceInfo] = (),
        records: Sequence[SourceRecord] = (),
        statements: Sequence[Statement] = (),
        pages: Sequence[tuple[str, str]] = (),
        scope: ScopeTerms | None = None,
        subject_words: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self._scope = scope or ScopeTerms()
        self._subject_words: dict[str, tuple[str, ...]] = dict(subject_words or {})
        self.sources: dict[str, SourceInfo] = {s.id: s for s in sources}
        self._records = list(records)
        self._statements = list(statements)
        self._pages = list(pages)
        texts: dict[int, str] = {}
        figures: dict[int, list[Quantity]] = {}
        for rowid, record in enumerate(claims, start=1):
            mentions = record.get("mentions", [])
            parts = [record["statement"], record.get("approved_wording") or ""] + [m["quote"] for m in mentions]
            converted = [digits(part) for part in parts]
            attributions = [digits(m["attribution"]) for m in mentions if m.get("attribution")]
            texts[rowid] = " ".join(converted + attributions)
            figures[rowid] = [q for part in converted for q in extract_digits(part)]
        postings: dict[str, set[int]] = {}
        for rowid, text in texts.items():
            for word in set(words(text)) - STOPWORDS:
                postings.setdefault(word, set()).add(rowid)
        total = len(texts) or 1
        limit = max(20.0, COMMON_SHARE * total)
        # word -> (term id, idf, claim rowids), term ids in word order as the index numbers them
        self._terms = {
            word: (term_id, math.log(1 + total / len(rowids)), rowids)
            for term_id, (word, rowids) in enumerate(sorted(postings.items()), start=1)
            if len(rowids) <= limit
        }
        idf = {word: term[1] for word, term in self._terms.items()}
        self._claims: dict[int, ClaimInfo] = {}
        for rowid, record in enumerate(claims, start=1):
            weight = sum(idf.get(word, 0.0) for word in set(words(texts[rowid])) - STOPWORDS)
            info = claim_info(rowid, digits(record["statement"]), record, weight)
            self._claims[rowid] = info
            if info.quantity is not None:
                figures[rowid].insert(0, info.quantity)
        self._figures = figures

    @cached_property
    def entities(self) -> dict[str, dict[str, str]]:
        names: dict[str, dict[str, str]] = {"city": {}, "journal": {}, "institution": {}}
        for source in self.sources.values():
            for kind, name in (("city", source.city), ("journal", source.journal), ("institution", source.institution)):
                if name:
                    names[kind][fold(name)] = name
        for claim in self._claims.values():
            entity, entity_type = claim.value.get("entity"), claim.value.get("entity_type")
            if claim.value.get("kind") == "entity" and entity_type in names and entity:
                names[entity_type][fold(entity)] = entity
        return names

    def named_entities(self, folded: str) -> dict[str, list[str]]:
        return {kind: [name for name in names if name in folded] for kind, names in self.entities.items()}

    def selective_terms(self, words: list[str]) -> dict[int, float]:
        return {self._terms[w][0]: self._terms[w][1] for w in dict.fromkeys(words) if w in self._terms}

    def candidates(self, quantities: list[Quantity], term_ids: list[int]) -> tuple[dict[int, float], set[int]]:
        wanted = set(term_ids)
        scores: dict[int, float] = {}
        by_number = {
            rowid
            for rowid, found in self._figures.items()
            for q in quantities
            if q.dimension is not None and any(f.dimension == q.dimension and f.overlaps(q) for f in found)
        }
        for rowid in by_number:
            scores[rowid] = 0.0
        for term_id, idf, rowids in self._terms.values():
            if term_id in wanted:
                for rowid in rowids:
                    scores[rowid] = scores.get(rowid, 0.0) + idf
        return scores, by_number

    def claims(self, rowids: list[int]) -> list[ClaimInfo]:
        return [self._claims[rowid] for rowid in rowids if rowid in self._claims]

    def subject_claims(self, subject: str) -> list[ClaimInfo]:
        return [claim for claim in self._claims.values() if claim.subject == subject]

    def source_records(self) -> Sequence[SourceRecord]:
        return self._records

    def claims_supported_by(self, source_ids: Sequence[str]) -> list[ClaimInfo]:
        return [claim for claim in self._claims.values() if set(claim.supporting) & set(source_ids)]

    def stored_statements(self, subject: str) -> list[Statement]:
        return [statement for statement in self._statements if statement.subject == subject]

    def figures_like(self, quantity: Quantity) -> list[tuple[ClaimInfo, Quantity]]:
        return [
            (claim, claim.quantity)
            for claim in self._claims.values()
            if claim.quantity is not None and claim.quantity.overlaps(quantity)
        ]

    @property
    def source_figures(self) -> dict[str | None, tuple[Quantity, ...]]:
        return {"count": tuple(from_value(float(r.n), float(r.n), "count", "exact") for r in self._records if r.n)}

    def figure_sources(self, dimension: str) -> tuple[tuple[str, Quantity], ...]:
        if dimension != "count":
            return ()
        return tuple((r.id, from_value(float(r.n), float(r.n), "count", "exact")) for r in self._records if r.n)

    def subject_words(self, subject: str) -> tuple[str, ...]:
        return self._subject_words.get(subject, ())

    @property
    def risky_wording(self) -> dict[str, str]:
        return {}

    @property
    def units(self) -> UnitTable:
        return GENERIC

    @property
    def scope(self) -> ScopeTerms:
        return self._scope

    def page_files(self) -> list[tuple[str, str]]:
        return list(self._pages)


def known_pages(knowledge: FakeKnowledge, subjects: Sequence[SubjectRow], data_dir: Path) -> KnownPages:
    """What the contradiction rule compares with: the subjects' vocabulary and the fake's stored statements."""
    return KnownPages(compile_vocabulary(subjects, {}, knowledge), data_dir)


def context(
    text: str,
    knowledge: FakeKnowledge,
    *,
    threshold: float = 70.0,
    min_level: str = "low",
    recency_years: float = 3.0,
    lexicon: tuple[str, ...] = DEFAULT_LEXICON,
    today: date = TODAY,
    known: KnownPages | None = None,
    path: str = "page.md",
) -> Context:
    """The context `kb check` builds for `text` as the only sentence (line 1) of the file `path`."""
    facts = analyse(text)
    matches = match(facts, knowledge, threshold) if len(facts.words) >= MIN_WORDS else []
    span = Span(1, 1, 1, len(text) + 1, text)
    statements: tuple[Statement, ...] = ()
    if known is not None:
        page = known.page_of(path) or path
        found, _ = sentence_statements(text, known.vocabulary)
        statements = tuple(Statement(s, page, path, 1, 1, 1, len(text) + 1, text, v) for s, v in found)
    return Context(
        path,
        span,
        facts,
        matches,
        knowledge,
        min_level,
        recency_years,
        lexicon,
        _locator(text),
        today,
        statements,
        known,
        same_site=known is not None and known.page_of(path) is not None,
    )


def _locator(text: str) -> Callable[[str], Span | None]:
    def locate(quote: str) -> Span | None:
        at = text.find(quote)
        return Span(1, at + 1, 1, at + len(quote) + 1, quote) if at >= 0 else None

    return locate
