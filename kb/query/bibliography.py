"""What `kb cite` may hand a writer: the sources that support a claim, and never the ones that contradict it.

A claim marked do-not-use, or one whose sources only contradict it or give context, is refused: pasting those
sources under the claim would cite evidence against it. A source named by its own id is always cited (the writer
asked for that source). Bibliographies for a page (the sourced claims its mentions rest on) and for a subject
(its sourced claims) are built the same way, sources in order of first use, each once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kb.errors import CiteRefused, KBError, NotFound, UsageError
from kb.query.cards import claim_record, known_id, source_record
from kb.query.cite import PROSE_STYLES, copy_block
from kb.store.db import Database
from kb.text.suggest import did_you_mean

RELATIONS = {"contradicts": "contradict it", "context": "give context for it"}  # a source link's relation, said


@dataclass(frozen=True)
class CitedClaim:
    """A claim with the sources that support it, in the order the claim lists them."""

    id: str
    status: str
    approved_wording: str | None
    sources: tuple[str, ...]


def cited_claim(db: Database, ident: str) -> CitedClaim:
    """The claim and its supporting sources; `CiteRefused` when citing them would misrepresent the evidence."""
    record = claim_record(db, ident)
    if record is None:
        ids = [row[0] for row in db.rows("SELECT id FROM kb_claim UNION SELECT id FROM kb_source")]
        raise NotFound(f"no claim or source with id {ident!r}", hint=did_you_mean(ident, ids))
    links = record.get("sources") or []
    relations = [(link["source"], link.get("relation", "supports")) for link in links]
    supporting = tuple(dict.fromkeys(source for source, relation in relations if relation == "supports"))
    others = sorted({relation for _, relation in relations} - {"supports"})
    said = " and ".join(RELATIONS.get(relation, relation) for relation in others)
    if record.get("status") == "do-not-use":
        against = f" (its sources {said})" if others else ""
        raise CiteRefused(
            f"{ident} is marked do-not-use{against}: its sources cannot be cited in its support",
            hint=f"use the approved wording of a sourced claim on the subject (`kb show {ident}`), or cite a source "
            "by its own id if you mean that source",
        )
    if not supporting:
        why = f"its sources only {said}" if others else "it has no source"
        raise CiteRefused(
            f"{ident} cannot be cited: {why}",
            hint="cite a source by its own id if you mean that source, or add the source that supports the claim",
        )
    return CitedClaim(ident, str(record.get("status")), record.get("approved_wording"), supporting)


def sources_to_cite(db: Database, ident: str) -> list[dict[str, Any]]:
    """The records to cite for a source id (that source) or a claim id (its supporting sources)."""
    record = source_record(db, ident)
    if record is not None:
        return [record]
    return _records(db, cited_claim(db, ident).sources)


def _records(db: Database, ids: Iterable[str]) -> list[dict[str, Any]]:
    found = (source_record(db, ident) for ident in dict.fromkeys(ids))
    return [record for record in found if record is not None]


def _citable(db: Database, claim_ids: Iterable[str]) -> list[CitedClaim]:
    """The claims among `claim_ids` that can be cited; the others are left out of a bibliography, not refused."""
    found = []
    for ident in dict.fromkeys(claim_ids):
        try:
            found.append(cited_claim(db, ident))
        except CiteRefused:
            continue
    return found


def page_claims(db: Database, page: str) -> list[CitedClaim]:
    """The citable claims a registered page's mentions rest on, in the order the page's mentions were recorded."""
    known_id(db, "page", page, "kb_page")
    rows = db.rows(
        "SELECT c.id FROM kb_mention m JOIN kb_claim c ON c.rowid = m.claim_rowid WHERE m.page_id = :p ORDER BY m.id",
        {"p": page},
    )
    return _citable(db, (row[0] for row in rows))


def subject_claims(db: Database, subject: str) -> list[CitedClaim]:
    """The citable claims on a subject, in the knowledge base's order."""
    known_id(db, "subject", subject, "kb_subject")
    rows = db.rows("SELECT id FROM kb_claim WHERE subject_id = :s ORDER BY rowid", {"s": subject})
    return _citable(db, (row[0] for row in rows))


def bibliography(
    db: Database, ids: Sequence[str] = (), page: str | None = None, subject: str | None = None
) -> list[dict[str, Any]]:
    """Every source to cite for `ids` (claims or sources), a page's claims and a subject's claims, each once, in
    order of first use. A refused id raises `CiteRefused`; a page's or subject's uncitable claims are left out;
    nothing at all to cite is a `KBError`."""
    records: list[dict[str, Any]] = []
    for ident in ids:
        records += sources_to_cite(db, ident)
    groups = [page_claims(db, page) if page else [], subject_claims(db, subject) if subject else []]
    for claims in groups:
        records += _records(db, (source for claim in claims for source in claim.sources))
    unique: dict[str, dict[str, Any]] = {}
    for record in records:
        unique.setdefault(str(record["id"]), record)
    if not unique:
        raise KBError("nothing to cite", hint="the page or subject has no claim that a source supports")
    return list(unique.values())


def wording_block(
    db: Database, ids: Sequence[str] = (), page: str | None = None, subject: str | None = None, style: str = "ama"
) -> str:
    """Each claim's approved wording with its in-text citation, then the references (`kb cite --with-wording`): the
    claims named by `ids` (refused as `kb cite` refuses them, or for want of a wording), then a page's and a
    subject's citable claims that have a wording."""
    if style not in PROSE_STYLES:
        raise UsageError(f"--with-wording comes in {', '.join(PROSE_STYLES)}, not {style}")
    named = [cited_claim(db, ident) for ident in ids]
    wordless = sorted({claim.id for claim in named if not claim.approved_wording})
    if wordless:
        raise CiteRefused(
            f"{', '.join(wordless)} has no approved wording",
            hint="write the claim's approved_wording first, or cite its sources without --with-wording",
        )
    found = [*named, *(page_claims(db, page) if page else []), *(subject_claims(db, subject) if subject else [])]
    claims = [claim for claim in {c.id: c for c in found}.values() if claim.approved_wording]
    if not claims:
        raise KBError("nothing to cite", hint="no claim here has an approved wording and a supporting source")
    sources = _records(db, (source for claim in claims for source in claim.sources))
    return copy_block([(str(claim.approved_wording), claim.sources) for claim in claims], sources, style)
