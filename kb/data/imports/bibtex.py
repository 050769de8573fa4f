"""BibTeX through bibtexparser (LaTeX decoded, co-authors split into name parts)."""

from __future__ import annotations

from bibtexparser import middlewares
from bibtexparser.entrypoint import parse_string

from kb.data.imports.record import Record, author, clean, compact, issued, page_range
from kb.errors import DataError

TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "dataset": "dataset",
}


def _authors(value: object) -> list[dict[str, str]]:
    found = []
    for name in value if isinstance(value, list) else []:
        family = " ".join([*getattr(name, "von", []), *getattr(name, "last", [])])
        given = " ".join([*getattr(name, "first", []), *getattr(name, "jr", [])])
        entry = author(family, given)
        if entry:
            found.append(entry)
    return found


def read(text: str, shown: str) -> list[Record]:
    library = parse_string(
        text,
        append_middleware=[
            middlewares.LatexDecodingMiddleware(),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    if library.failed_blocks and not library.entries:
        block = library.failed_blocks[0]
        line = getattr(block, "start_line", 0) + 1
        raise DataError("malformed BibTeX entry", shown, line, 1, "fix the entry's braces and commas")
    records = []
    for entry in library.entries:
        values = {name.lower(): field.value for name, field in entry.fields_dict.items()}
        fields = {
            "type": TYPES.get(entry.entry_type.lower(), "article"),
            "title": clean(values.get("title")),
            "authors": _authors(values.get("author")),
            "container_title": clean(values.get("journal") or values.get("journaltitle") or values.get("booktitle")),
            "issued": issued(values.get("year") or values.get("date"), values.get("month")),
            "volume": clean(values.get("volume")),
            "issue": clean(values.get("number") or values.get("issue")),
            "pages": page_range(values.get("pages")),
            "doi": clean(values.get("doi")),
            "pmid": clean(values.get("pmid")),
            "pmcid": clean(values.get("pmcid")),
            "url": clean(values.get("url")),
        }
        records.append(Record(entry.key, compact(fields)))
    return records
