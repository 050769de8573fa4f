"""What the review report (`--format html`, `--format markdown`) shows beyond the findings: the run (knowledge base,
date, fail-on), each page as `kb check` read it, and for every claim a finding names, its evidence level, approved
wording and sources with their AMA citations, quotes and links. Gathered once by the CLI from the index it already
opened (`gather`), then rendered by `kb.formats.html` and `kb.formats.markdown`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from kb.errors import KBError
from kb.pages.read import Document, read_bytes, read_path
from kb.records import Finding
from kb.store.db import Database

SAFE_SCHEMES = ("https://", "http://")


@dataclass(frozen=True)
class Link:
    """A source's identifier or address; `href` only when it is an http(s) URL, else None (shown as text)."""

    label: str
    text: str
    href: str | None


@dataclass(frozen=True)
class SourceNote:
    id: str
    relation: str  # supports, contradicts, context
    citation: str  # AMA, from the CSL style `kb cite` uses
    quote: str | None
    locator: str | None
    links: tuple[Link, ...]


@dataclass(frozen=True)
class ClaimNote:
    id: str
    statement: str
    level: str
    status: str
    approved_wording: str | None
    caveats: tuple[str, ...]
    sources: tuple[SourceNote, ...]


@dataclass(frozen=True)
class Review:
    """The run and the knowledge base as the report shows them. `pages` maps every page checked (display path) to
    its document, or None when it was not read again (clean pages, or a page that cannot be read)."""

    data_dir: str
    fail_on: str
    run_date: date
    pages: Mapping[str, Document | None] = field(default_factory=dict)
    claims: Mapping[str, ClaimNote] = field(default_factory=dict)


def run_date() -> date:
    """Today, or the day `SOURCE_DATE_EPOCH` names (the reproducible-builds convention), so a report can be pinned."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


def safe_href(url: str) -> str | None:
    """Only an absolute http or https address becomes a link: `javascript:`, `data:` and relative ones stay text."""
    stripped = url.strip()
    if stripped.lower().startswith(SAFE_SCHEMES) and not any(ch.isspace() or ord(ch) < 32 for ch in stripped):
        return stripped
    return None


def links_of(source: Mapping[str, Any]) -> tuple[Link, ...]:
    links = []
    if doi := source.get("doi"):
        links.append(Link("DOI", str(doi), safe_href(f"https://doi.org/{doi}")))
    if pmid := source.get("pmid"):
        links.append(Link("PMID", str(pmid), safe_href(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")))
    if url := source.get("url"):
        links.append(Link("URL", str(url), safe_href(str(url))))
    return tuple(links)


def _claim_notes(db: Database, claim_ids: Iterable[str]) -> dict[str, ClaimNote]:
    from kb.query.cards import claim_record, source_record
    from kb.query.cite import format_citations

    citations: dict[str, tuple[str, tuple[Link, ...]]] = {}
    notes = {}
    for ident in sorted(set(claim_ids)):
        claim = claim_record(db, ident)
        if claim is None:
            continue
        sources = []
        for link in claim.get("sources", []):
            source_id = link["source"]
            if source_id not in citations:
                record = source_record(db, source_id)
                citation = format_citations([record], "ama").removeprefix("1. ") if record else source_id
                citations[source_id] = (citation, links_of(record or {}))
            citation, links = citations[source_id]
            relation = link.get("relation", "supports")
            sources.append(SourceNote(source_id, relation, citation, link.get("quote"), link.get("locator"), links))
        sources.sort(key=lambda note: note.relation != "supports")  # what backs the claim first
        notes[ident] = ClaimNote(
            ident,
            claim["statement"],
            claim["evidence"]["level"],
            claim["status"],
            claim.get("approved_wording"),
            tuple(claim.get("caveats") or ()),
            tuple(sources),
        )
    return notes


def _read_again(path: str, stdin: bytes | None, stdin_name: str, limit: int | None) -> Document | None:
    """The page as `kb check` read it (the same reader, so the text and positions are the same)."""
    try:
        if path == stdin_name and stdin is not None:
            return read_bytes(stdin, path)
        return read_path(Path(path), path, limit)
    except KBError:
        return None  # it was an input error in the run, and is listed as one


def gather(
    findings: Sequence[Finding],
    checked: Sequence[str],
    db: Database,
    data_dir: str,
    fail_on: str,
    stdin: bytes | None = None,
    stdin_name: str = "-",
    limit: int | None = None,
    details: bool = True,
) -> Review:
    """Everything the report needs from the pages and the index: pages with findings are read again and the claims'
    sources looked up, unless `details` is False (the Markdown report shows neither)."""
    flagged = {finding.path for finding in findings} if details else set()
    names = list(dict.fromkeys([*checked, *([stdin_name] if stdin is not None else []), *sorted(flagged)]))
    pages = {name: _read_again(name, stdin, stdin_name, limit) if name in flagged else None for name in names}
    wanted = (finding.claim_id for finding in findings if finding.claim_id) if details else ()
    claims = _claim_notes(db, wanted)
    return Review(data_dir, fail_on, run_date(), pages, claims)


Counts = dict[str, int]  # severity label -> number of findings


def add_counts(total: Counts, counts: Counts) -> None:
    """Add one row's counts into a running total (a page's, or all pages')."""
    for severity, number in counts.items():
        total[severity] = total.get(severity, 0) + number


def tally(findings: Sequence[Finding], shown: Sequence[str]) -> list[tuple[str, list[tuple[str, Counts]]]]:
    """Counts by page and rule, pages in `shown` order (each finding's `path` is one of them), rules by name."""
    table: dict[str, dict[str, Counts]] = {page: {} for page in shown}
    for finding in findings:
        rules = table.setdefault(finding.path, {})
        counts = rules.setdefault(finding.rule, {})
        counts[finding.severity.label] = counts.get(finding.severity.label, 0) + 1
    return [(page, sorted(rules.items())) for page, rules in table.items()]
