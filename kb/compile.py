"""Turn a validated dataset into table rows (plain dicts). Pure: no database, no I/O."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from kb.evidence import assess, source_level
from kb.quantities import Quantity, digits, extract, from_value
from kb.schema import Claim, ClaimsFile, PagesFile, Source, SourcesFile
from kb.textnorm import words
from kb.vocab import STOPWORDS

Rows = dict[str, list[dict[str, Any]]]


def head_text(claim: Claim, subject_text: str) -> str:
    """What the claim itself says: statement, subject (label, aliases, terms) and approved wording, folded."""
    return digits(" ".join(part for part in (claim.statement, subject_text, claim.approved_wording or "") if part))


def search_text(claim: Claim, head: str) -> str:
    """The head plus every page quote and attribution: the whole text a search can match."""
    quotes = [mention.quote for mention in claim.mentions] + [m.attribution or "" for m in claim.mentions]
    return head + " | " + digits(" ".join(part for part in quotes if part))


def claim_quantities(claim: Claim) -> list[tuple[Quantity, bool]]:
    """The figures a claim states, each flagged True when it is the claim's own structured value."""
    found: list[tuple[Quantity, bool]] = []
    value = claim.value
    if value is not None and value.unit is not None:
        low = value.low if value.low is not None else value.value
        high = value.high if value.high is not None else value.value
        if low is not None and high is not None:
            found.append((from_value(low, high, value.unit, value.qualifier.value), True))
    for text in (claim.statement, claim.approved_wording or "", *(m.quote for m in claim.mentions)):
        found.extend((quantity, False) for quantity in extract(text))
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


def _terms(texts: Iterable[tuple[int, str]], total: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    postings: dict[str, set[int]] = {}
    for rowid, text in texts:
        for word in set(words(text)) - STOPWORDS:
            postings.setdefault(word, set()).add(rowid)
    term_rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for term_id, (word, rowids) in enumerate(sorted(postings.items()), start=1):
        term_rows.append({"id": term_id, "text": word, "df": len(rowids), "idf": math.log(1 + total / len(rowids))})
        links.extend({"term_id": term_id, "claim_rowid": rowid} for rowid in sorted(rowids))
    return term_rows, links


def compile_rows(sources_file: SourcesFile, claims_file: ClaimsFile, pages_file: PagesFile) -> Rows:
    sources = {source.id: source for source in sources_file.sources}
    subjects = {s.id: s for s in claims_file.subjects}
    rows: Rows = {name: [] for name in ("subject", "source", "claim", "claim_source", "page", "mention", "number")}
    rows["subject"] = [
        {
            "id": s.id,
            "label": s.label,
            "kind": s.kind.value,
            "dimension": s.dimension,
            "aliases": json.dumps(s.aliases),
            "terms": json.dumps(s.terms),
        }
        for s in claims_file.subjects
    ]
    rows["source"] = [_source_row(source, sources) for source in sources_file.sources]
    rows["page"] = [page.model_dump(exclude={"notes"}) for page in pages_file.pages]
    texts: list[tuple[int, str]] = []
    for rowid, claim in enumerate(claims_file.claims, start=1):
        subject = subjects[claim.subject]
        head = head_text(claim, " ".join([subject.label, *subject.aliases, *subject.terms]))
        text = search_text(claim, head)
        texts.append((rowid, text))
        rows["claim"].append(_claim_row(rowid, claim, sources, head, text))
        rows["claim_source"] += [
            {
                "claim_rowid": rowid,
                "source_id": link.source,
                "relation": link.relation.value,
                "finding": link.finding,
                "locator": link.locator,
                "quote": link.quote,
            }
            for link in claim.sources
        ]
        rows["mention"] += [
            {
                "claim_rowid": rowid,
                "page_id": m.page,
                "quote": m.quote,
                "attribution": m.attribution,
                "verdict": m.verdict.value,
                "note": m.note,
            }
            for m in claim.mentions
        ]
        rows["number"] += [
            {
                "claim_rowid": rowid,
                "dimension": q.dimension,
                "low": q.low,
                "high": q.high,
                "value": q.value,
                "text": q.text,
                "is_value": is_value,
            }
            for q, is_value in claim_quantities(claim)
        ]
    rows["term"], rows["claim_term"] = _terms(texts, len(texts))
    return rows
