"""Turn a validated dataset into table rows (plain dicts). Pure: no database, no I/O."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from kb.data.evidence import assess, source_level
from kb.data.schema import Claim, ClaimsFile, PagesFile, Source, SourcesFile
from kb.text.levels import STOPWORDS
from kb.text.normalise import words
from kb.text.quantities import Quantity, digits, extract_digits, from_value, is_wide

Rows = dict[str, list[Any]]  # a table's rows by column name; kb_claim_term's as (term id, claim rowid) pairs
Compiled = tuple[Rows, list[str]]  # a claim's rows, and the words of its search text the vocabulary indexes, sorted
Each = Callable[[Callable[[int], Compiled], int], list[Compiled]]


@dataclass(frozen=True)
class ClaimText:
    """A claim's texts passed once through `digits`: what search matches and figures are read from."""

    head: str  # statement, subject (label, aliases, terms) and approved wording
    full: str  # the head plus page quotes and attributions
    figures: tuple[str, ...]  # statement, approved wording and each quote, one by one


def claim_text(claim: Claim, subject_text: str) -> ClaimText:
    statement, wording = digits(claim.statement), digits(claim.approved_wording or "")
    quotes = [digits(mention.quote) for mention in claim.mentions]
    attributions = [digits(m.attribution) for m in claim.mentions if m.attribution]
    head = " ".join(part for part in (statement, subject_text, wording) if part)
    return ClaimText(head, head + " | " + " ".join(quotes + attributions), (statement, wording, *quotes))


def claim_quantities(claim: Claim, text: ClaimText) -> list[tuple[Quantity, bool]]:
    """The figures a claim states, each flagged True when it is the claim's own structured value."""
    found: list[tuple[Quantity, bool]] = []
    value = claim.value
    if value is not None and value.unit is not None:
        low = value.low if value.low is not None else value.value
        high = value.high if value.high is not None else value.value
        if low is not None and high is not None:
            found.append((from_value(low, high, value.unit, value.qualifier.value), True))
    for converted in text.figures:
        found.extend((quantity, False) for quantity in extract_digits(converted))
    unique: dict[tuple[str | None, float, float], tuple[Quantity, bool]] = {}
    for quantity, is_value in found:
        key = (quantity.dimension, round(quantity.low, 6), round(quantity.high, 6))
        unique.setdefault(key, (quantity, is_value))
    return list(unique.values())


def _authors(source: Source) -> str:
    names = [f"{a.family} {a.given or ''}".strip() for a in source.authors]
    return "; ".join(names) or (source.organisation or "")


def _source_row(source: Source, sources: dict[str, Source]) -> dict[str, Any]:
    level = source_level(source, sources)[0].value
    year = int(source.issued[:4]) if source.issued else None
    return {
        "id": source.id,
        "type": source.type,
        "design": source.design.value,
        "title": source.title,
        "authors": _authors(source),
        "container_title": source.container_title,
        "year": year,
        "volume": source.volume,
        "issue": source.issue,
        "pages": source.pages,
        "doi": source.doi,
        "pmid": source.pmid,
        "pmcid": source.pmcid,
        "nct": source.nct,
        "url": source.url,
        "n": source.n,
        "institution": source.institution,
        "city": source.city,
        "level": level,
        "record": source.model_dump_json(exclude_defaults=True),
    }


def _claim_row(rowid: int, claim: Claim, sources: dict[str, Source], head: str, text: str) -> dict[str, Any]:
    assessment = assess(claim, sources)
    value = claim.value
    record = claim.model_dump(mode="json", exclude_defaults=True)
    record["evidence"] = {
        "level": assessment.level.value,
        "derived": assessment.derived.value,
        "reasons": list(assessment.reasons),
        "cebm": assessment.cebm,
        "override_rationale": assessment.override_rationale,
    }
    return {
        "rowid": rowid,
        "id": claim.id,
        "statement": claim.statement,
        "subject_id": claim.subject,
        "value_kind": value.kind.value if value else None,
        "value_low": (value.low if value.low is not None else value.value) if value else None,
        "value_high": (value.high if value.high is not None else value.value) if value else None,
        "unit": value.unit if value else None,
        "qualifier": value.qualifier.value if value else None,
        "stance": value.stance if value else None,
        "entity": value.entity if value else None,
        "level": assessment.level.value,
        "derived_level": assessment.derived.value,
        "status": claim.status.value,
        "approved_wording": claim.approved_wording,
        "head_text": head,
        "search_text": text,
        "record": json.dumps(record),
    }


def claim_words(text: str) -> set[str]:
    """The words of a claim's search text that the vocabulary indexes."""
    return set(words(text)) - STOPWORDS


def term_row(term_id: int, word: str, df: int, total: int) -> dict[str, Any]:
    return {"id": term_id, "text": word, "df": df, "idf": math.log(1 + total / df)}


def _terms(texts: Iterable[tuple[int, list[str]]], total: int) -> tuple[list[dict[str, Any]], list[tuple[int, int]]]:
    """Term ids number the words in order of first appearance (claim by claim, each claim's words in sorted order):
    a claim added at the end brings its new words in after every other, so an update renumbers nothing.
    `texts`: each claim's rowid and its sorted words (`claim_words`). The links are (term id, claim rowid) pairs,
    not dicts: there are millions."""
    postings: dict[str, list[int]] = {}
    for rowid, found in texts:  # in rowid order: each word's claims come in ascending order
        for word in found:
            postings.setdefault(word, []).append(rowid)
    vocabulary: list[dict[str, Any]] = []
    links: list[tuple[int, int]] = []
    for term_id, (word, rowids) in enumerate(postings.items(), start=1):
        vocabulary.append(term_row(term_id, word, len(rowids), total))
        links.extend(zip(repeat(term_id), rowids))
    return vocabulary, links


def first_seen_order(first: dict[str, int]) -> list[str]:
    """The words in term id order, given the first claim (rowid) each appears in: as `_terms` numbers them."""
    return sorted(first, key=lambda word: (first[word], word))


def _in_turn(function: Callable[[int], Compiled], count: int) -> list[Compiled]:
    return [function(index) for index in range(count)]


def compile_rows(
    sources_file: SourcesFile, claims_file: ClaimsFile, pages_file: PagesFile, each: Each = _in_turn
) -> Rows:
    """Every table's rows. `each(function, n)` is `[function(i) for i in range(n)]`, however it is computed
    (kb.index.parallel: in two processes, while the data is validated): each claim compiles on its own. Nothing
    before it needs valid data; the rest of the rows are made after it."""
    sources = {source.id: source for source in sources_file.sources}
    rows: Rows = {name: [] for name in ("subject", "source", "claim", "claim_source", "page", "mention", "number")}
    texts: list[tuple[int, list[str]]] = []
    subject_texts = subject_search_texts(claims_file)
    claims = claims_file.claims

    def one(index: int) -> Compiled:  # the words too: splitting search texts is per-claim work, done in parallel
        claim = claims[index]
        compiled = claim_rows(index + 1, claim, sources, subject_texts[claim.subject])
        return compiled, sorted(claim_words(compiled["claim"][0]["search_text"]))

    for rowid, (compiled, found) in enumerate(each(one, len(claims)), start=1):
        texts.append((rowid, found))
        for name, part in compiled.items():
            rows[name] += part
    rows["subject"] = [
        {
            "id": s.id,
            "label": s.label,
            "kind": s.kind.value,
            "dimension": s.dimension,
            "aliases": json.dumps(s.aliases),
            "terms": json.dumps(s.terms),
            "vocabulary": json.dumps(
                {
                    "cues": s.cues,
                    "exclude": s.exclude,
                    "stances": s.stances,
                    "about": s.about,
                    "entity_type": s.entity_type,
                    "source": s.source,
                    "relative_to": s.relative_to,
                    "detectable": s.detectable,
                }
            ),
        }
        for s in claims_file.subjects
    ]
    rows["meta"] = [
        {"key": "treatment_names", "value": json.dumps(claims_file.treatment_names)},
        {"key": "other_treatments", "value": json.dumps(claims_file.other_treatments)},
        {"key": "scope", "value": json.dumps(claims_file.scope.model_dump())},
        {"key": "units", "value": json.dumps(claims_file.units.model_dump())},
        {"key": "risky_wording", "value": json.dumps(claims_file.risky_wording)},
    ]
    rows["source"] = [_source_row(source, sources) for source in sources_file.sources]
    rows["page"] = [page.model_dump(exclude={"notes"}) for page in pages_file.pages]
    rows["term"], rows["claim_term"], weights = term_rows(texts)
    for claim_row in rows["claim"]:
        claim_row["weight"] = weights.get(claim_row["rowid"], 0.0)
    return rows


def term_rows(
    texts: list[tuple[int, list[str]]],
) -> tuple[list[dict[str, Any]], list[tuple[int, int]], dict[int, float]]:
    """The vocabulary, its links to claims (kb.index.terms.LINK_COLUMNS) and each claim's weight: derived across
    all claims (document frequencies, idf), so an incremental update recomputes them (kb.index.terms, from the
    links it holds)."""
    terms, links = _terms(texts, len(texts))
    idf = {term["id"]: term["idf"] for term in terms}
    weights: dict[int, float] = {}
    for term_id, rowid in links:
        weights[rowid] = weights.get(rowid, 0.0) + idf[term_id]
    return terms, links, weights


def subject_search_texts(claims_file: ClaimsFile) -> dict[str, str]:
    return {s.id: digits(" ".join([s.label, *s.aliases, *s.terms])) for s in claims_file.subjects}


def claim_rows(rowid: int, claim: Claim, sources: dict[str, Source], subject_text: str) -> Rows:
    """The rows one claim compiles to (its weight is set later, from the whole vocabulary)."""
    text = claim_text(claim, subject_text)
    return {
        "claim": [_claim_row(rowid, claim, sources, text.head, text.full)],
        "claim_source": [
            {
                "claim_rowid": rowid,
                "source_id": link.source,
                "relation": link.relation.value,
                "finding": link.finding,
                "locator": link.locator,
                "quote": link.quote,
            }
            for link in claim.sources
        ],
        "mention": [
            {
                "claim_rowid": rowid,
                "page_id": m.page,
                "quote": m.quote,
                "attribution": m.attribution,
                "verdict": m.verdict.value,
                "note": m.note,
            }
            for m in claim.mentions
        ],
        "number": [
            {
                "claim_rowid": rowid,
                "dimension": q.dimension,
                "low": q.low,
                "high": q.high,
                "value": q.value,
                "text": q.text,
                "is_value": is_value,
                "wide": is_wide(q),
            }
            for q, is_value in claim_quantities(claim, text)
        ],
    }
