"""CSL-JSON (what Zotero, citation.js and `kb cite --style csl-json` write): a list of items, or one item."""

from __future__ import annotations

import json
from typing import Any

from kb.data.imports.record import Record, author, clean, compact, issued, page_range
from kb.data.schema import Source
from kb.errors import DataError

TYPES = set(Source.model_fields["type"].annotation.__args__)  # type: ignore[union-attr]


def _date(value: Any) -> str | None:
    parts = value.get("date-parts") if isinstance(value, dict) else None
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return issued(*[str(part) for part in parts[0][:3]])
    return None


def read(text: str, shown: str) -> list[Record]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"invalid JSON: {exc.msg}", shown, exc.lineno, exc.colno, "check the CSL-JSON file") from None
    items = document if isinstance(document, list) else [document]
    records = []
    for item in items:
        if not isinstance(item, dict):
            raise DataError("a CSL-JSON item must be an object", shown, 1, 1, "export CSL-JSON again")
        kind = item.get("type")
        names: list[Any] = item["author"] if isinstance(item.get("author"), list) else []
        fields = {
            "type": kind if kind in TYPES else "article",
            "title": clean(item.get("title")),
            "authors": [
                a for a in (author(n.get("family"), n.get("given")) for n in names if isinstance(n, dict)) if a
            ],
            "container_title": clean(item.get("container-title")),
            "container_title_short": clean(item.get("container-title-short") or item.get("journalAbbreviation")),
            "issued": _date(item.get("issued")),
            "volume": clean(item.get("volume")),
            "issue": clean(item.get("issue")),
            "pages": page_range(item.get("page")),
            "doi": clean(item.get("DOI")),
            "pmid": clean(item.get("PMID")),
            "pmcid": clean(item.get("PMCID")),
            "url": clean(item.get("URL")),
        }
        records.append(Record(clean(item.get("id")), compact(fields)))
    return records
