"""RIS through rispy."""

from __future__ import annotations

from typing import Any

import rispy  # type: ignore[import-untyped,unused-ignore]

from kb.data.imports.record import Record, clean, compact, issued, page_range, split_name
from kb.errors import DataError

TYPES = {
    "JOUR": "article-journal",
    "EJOUR": "article-journal",
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "RPRT": "report",
    "ELEC": "webpage",
    "WEB": "webpage",
    "DATA": "dataset",
    "ENCYC": "entry-encyclopedia",
}
DESIGNS = {"NEWS": "news-article", "ABST": "conference-abstract"}  # RIS types that say what the source is


def _first(entry: dict[str, Any], *names: str) -> Any:
    for name in names:
        value = entry.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        if clean(value):
            return value
    return None


def read(text: str, shown: str) -> list[Record]:
    try:
        entries = rispy.loads(text)
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise DataError(
            f"malformed RIS: {exc}", shown, 1, 1, "each record starts with `TY  - ` and ends with `ER  - `"
        ) from None
    records = []
    for entry in entries:
        kind = clean(entry.get("type_of_reference")) or ""
        date = clean(_first(entry, "year", "publication_year", "date")) or ""
        parts = [*date.split("/"), "", ""]
        start, end = clean(entry.get("start_page")), clean(entry.get("end_page"))
        names = [*entry.get("authors", []), *entry.get("first_authors", [])]
        fields = {
            "type": TYPES.get(kind, "article"),
            "title": clean(_first(entry, "title", "primary_title")),
            "authors": [name for name in (split_name(str(n)) for n in names) if name],
            "container_title": clean(_first(entry, "journal_name", "secondary_title", "alternate_title3")),
            "issued": issued(parts[0], parts[1], parts[2]),
            "volume": clean(entry.get("volume")),
            "issue": clean(entry.get("number")),
            "pages": page_range(f"{start}-{end}" if start and end else start),
            "doi": clean(entry.get("doi")),
            "url": clean(_first(entry, "urls", "url")),
        }
        records.append(Record(clean(entry.get("id")), compact(fields), DESIGNS.get(kind)))
    return records
