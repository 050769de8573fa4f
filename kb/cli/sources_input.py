"""Turning `kb add` options and input files into entries: which records of a file, a claim from options, the
claims and subjects of a YAML or JSON document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kb.data.imports import read_records
from kb.data.imports.record import Record, author, split_name
from kb.errors import UsageError


def _selected(records: list[Record], select: Sequence[str]) -> list[Record]:
    if not select:
        return records
    chosen = []
    for wanted in select:
        found = [r for n, r in enumerate(records, start=1) if wanted in (r.key, str(n))]
        if not found:
            keys = ", ".join(r.key or str(n) for n, r in enumerate(records, start=1))
            raise UsageError(f"no record {wanted!r} in the file", hint=f"--select one of: {keys}")
        chosen.extend(found)
    return chosen


def records_from(files: Mapping[str, str | None], fields: Mapping[str, Any], select: Sequence[str]) -> list[Record]:
    """The records of the one file given, or one record from the field options."""
    given = [(kind, path) for kind, path in files.items() if path]
    if len(given) > 1:
        raise UsageError("give one input file at a time", hint="run `kb add source` once per file")
    if given:
        kind, path = given[0]
        return _selected(read_records(Path(str(path)), kind), select)
    if not fields.get("title"):
        raise UsageError(
            "nothing to add", hint="pass --bibtex, --ris, --csl-json or --pubmed FILE, or at least --title"
        )
    values = {key: value for key, value in fields.items() if value}
    names = [split_name(name) or author(name) for name in values.pop("authors", [])]
    values["authors"] = [name for name in names if name]
    return [Record(None, {k: v for k, v in values.items() if v}, where="the options")]


def claim_from_options(
    ident: str | None,
    subject: str | None,
    statement: str | None,
    status: str,
    wording: str | None,
    caveats: Sequence[str],
    links: Sequence[tuple[str, str]],
    quote: str | None,
    tags: Sequence[str],
) -> dict[str, Any]:
    missing = [
        name for name, value in (("--id", ident), ("--subject", subject), ("--statement", statement)) if not value
    ]
    if missing:
        raise UsageError(f"missing {', '.join(missing)}", hint="kb add claim needs --id, --subject and --statement")
    if quote is not None and len(links) != 1:
        raise UsageError("--quote needs exactly one source", hint="use --from-yaml for several quoted sources")
    sources = [{"source": source, "relation": relation} for relation, source in links]
    if quote is not None:
        sources[0] = {"source": sources[0]["source"], "quote": quote, "relation": sources[0]["relation"]}
    claim: dict[str, Any] = {"id": ident, "statement": statement, "subject": subject, "sources": sources}
    claim["status"] = status
    if wording:
        claim["approved_wording"] = wording
    if caveats:
        claim["caveats"] = list(caveats)
    claim["mentions"] = []
    if tags:
        claim["tags"] = list(tags)
    return claim


def entries_from_document(document: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(subjects, claims) from a mapping with `subjects:`/`claims:`, a list of claims, or one claim."""
    if isinstance(document, Mapping) and ("claims" in document or "subjects" in document):
        subjects, claims = document.get("subjects") or [], document.get("claims") or []
    elif isinstance(document, list):
        subjects, claims = [], document
    else:
        subjects, claims = [], [document]
    for entry in [*subjects, *claims]:
        if not isinstance(entry, Mapping):
            raise UsageError("each claim and subject must be a mapping", hint="see docs/data-format.md (claims.yaml)")
    if not claims and not subjects:
        raise UsageError("no claims or subjects in the input", hint="give `claims:` (and `subjects:`) entries")
    return [dict(s) for s in subjects], [dict(c) for c in claims]
