"""Whole records for `kb show`, `kb cite`, `kb sources`, `kb pages` and `kb subjects`, read from the index."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kb.errors import NotFound
from kb.store.db import Database
from kb.text.levels import STATUSES
from kb.text.suggest import did_you_mean, suggest


@dataclass(frozen=True)
class ClaimCard:
    claim: dict[str, Any]
    subject: dict[str, Any]
    sources: dict[str, dict[str, Any]]
    pages: dict[str, dict[str, Any]]
    same_subject: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "subject": self.subject,
            "sources": self.sources,
            "pages": self.pages,
            "same_subject": self.same_subject,
        }


def not_found(db: Database, kind: str, ident: str, table: str) -> NotFound:
    ids = [row[0] for row in db.rows(f"SELECT id FROM {table}")]
    return NotFound(f"no {kind} with id {ident!r}", hint=did_you_mean(ident, ids))


LISTINGS = {"kb_subject": "kb subjects", "kb_source": "kb sources", "kb_page": "kb pages"}  # where the ids are


def known_id(db: Database, kind: str, ident: str, table: str) -> None:
    """`NotFound` ("unknown subject 'x'", with the closest id, else the command that lists them) unless `ident`
    is an id in `table`: an option naming nothing is a mistake, not an empty result."""
    if db.rows(f"SELECT 1 FROM {table} WHERE id = :id", {"id": ident}):
        return
    ids = [row[0] for row in db.rows(f"SELECT id FROM {table}")]
    listing = LISTINGS.get(table)
    hint = suggest(ident, ids) or (f"see `{listing}`" if listing else "use an id defined in the data")
    raise NotFound(f"unknown {kind} {ident!r}", hint=hint)


def source_record(db: Database, ident: str) -> dict[str, Any] | None:
    rows = db.rows("SELECT record, level FROM kb_source WHERE id = :id", {"id": ident})
    if not rows:
        return None
    record: dict[str, Any] = json.loads(rows[0][0])
    record["level"] = rows[0][1]
    return record


def claim_record(db: Database, ident: str) -> dict[str, Any] | None:
    rows = db.rows("SELECT record FROM kb_claim WHERE id = :id", {"id": ident})
    return json.loads(rows[0][0]) if rows else None


def claim_card(db: Database, ident: str) -> ClaimCard:
    rows = db.rows("SELECT record, subject_id FROM kb_claim WHERE id = :id", {"id": ident})
    if not rows:
        raise not_found(db, "claim", ident, "kb_claim")
    claim: dict[str, Any] = json.loads(rows[0][0])
    subject_row = db.rows("SELECT id, label, kind, dimension FROM kb_subject WHERE id = :id", {"id": rows[0][1]})[0]
    subject = dict(zip(("id", "label", "kind", "dimension"), subject_row, strict=True))
    sources = {}
    for link in claim.get("sources", []):
        record = source_record(db, link["source"])
        if record is not None:
            sources[link["source"]] = record
    page_ids = {mention["page"] for mention in claim.get("mentions", [])}
    pages = {ident: page for ident, page in all_pages(db).items() if ident in page_ids}
    others = db.rows(
        "SELECT id, statement, level, status FROM kb_claim WHERE subject_id = :s AND id != :id ORDER BY id",
        {"s": subject["id"], "id": ident},
    )
    same = [dict(zip(("id", "statement", "level", "status"), row, strict=True)) for row in others]
    return ClaimCard(claim, subject, sources, pages, same)


def all_sources(db: Database) -> list[dict[str, Any]]:
    rows = db.rows(
        "SELECT s.id, s.design, s.year, s.title, s.container_title, s.doi, s.pmid, s.nct, s.level, "
        "(SELECT COUNT(*) FROM kb_claim_source cs WHERE cs.source_id = s.id) FROM kb_source s ORDER BY s.id"
    )
    keys = ("id", "design", "year", "title", "container_title", "doi", "pmid", "nct", "level", "claims")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def all_pages(db: Database) -> dict[str, dict[str, Any]]:
    rows = db.rows(
        "SELECT p.id, p.publisher, p.title, p.location, p.url, p.seed_file, p.file, "
        "(SELECT COUNT(*) FROM kb_mention m WHERE m.page_id = p.id), "
        "(SELECT COUNT(*) FROM kb_mention m WHERE m.page_id = p.id AND m.verdict != 'accurate') "
        "FROM kb_page p ORDER BY p.seed_file"
    )
    keys = ("id", "publisher", "title", "location", "url", "seed_file", "file", "mentions", "flagged")
    return {row[0]: dict(zip(keys, row, strict=True)) for row in rows}


def all_subjects(db: Database) -> list[dict[str, Any]]:
    """Every subject with its claim counts, total and by writer status; the subjects with the most claims a writer
    may use first, then by total, then by id."""
    rows = db.rows(
        "SELECT s.id, s.label, s.kind, s.dimension, COUNT(c.rowid), "
        + ", ".join(f"SUM(CASE WHEN c.status = :s{i} THEN 1 ELSE 0 END)" for i in range(len(STATUSES)))
        + " FROM kb_subject s LEFT JOIN kb_claim c ON c.subject_id = s.id GROUP BY s.id, s.label, s.kind, s.dimension",
        {f"s{i}": status for i, status in enumerate(STATUSES)},
    )
    subjects = []
    for ident, label, kind, dimension, total, *counts in rows:
        claims = {"total": int(total)} | {status: int(n or 0) for status, n in zip(STATUSES, counts, strict=True)}
        subjects.append({"id": ident, "label": label, "kind": kind, "dimension": dimension, "claims": claims})
    return sorted(subjects, key=_most_usable_first)


def _most_usable_first(subject: dict[str, Any]) -> tuple[int, int, str]:
    claims = subject["claims"]
    return (claims["do-not-use"] - claims["total"], -claims["total"], subject["id"])
