"""Bibliographic records from BibTeX, RIS, CSL-JSON and PubMed files, as `sources.yaml` entries.

Each reader (`bibtex`, `ris`, `csljson`, `pubmed`) turns a file into `Record`s holding the fields of the source
schema (`kb.data.schema.Source`) the record states, nothing guessed: a design only from a publication type that
names one (PubMed's "Randomized Controlled Trial"), never from a title. `kb.data.authoring` then decides which
fields may enter (identifiers only with the record they were verified against).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.data.yamlload import decode, read_regular
from kb.errors import DataError

FORMATS = ("bibtex", "ris", "csl-json", "pubmed")


@dataclass
class Record:
    """One bibliographic record: `key` is how the file names it (citation key, PMID), `fields` source fields."""

    key: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    design: str | None = None  # only when the record's publication type names one
    where: str = ""  # "refs.bib, record 2": for messages


def clean(text: object) -> str | None:
    """One line of text, or None for nothing."""
    if text is None:
        return None
    value = " ".join(str(text).split())
    return value or None


def page_range(text: object) -> str | None:
    """`875--879`, `875–879` -> `875-879`, as sources.yaml writes ranges."""
    value = clean(text)
    return re.sub(r"\s*(?:--|[–—-])\s*", "-", value) if value else None


MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}


def issued(year: object, month: object = None, day: object = None) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD from the parts a record gives (a month may be `Nov`, `11` or `November`)."""
    year_text = clean(year)
    if not year_text or not re.fullmatch(r"\d{4}", year_text[:4]):
        return None
    text = year_text[:4]
    month_text = (clean(month) or "").lower()
    number = int(month_text) if month_text.isdigit() else MONTHS.get(month_text[:3])
    if number and 1 <= number <= 12:
        text += f"-{number:02d}"
        day_text = clean(day) or ""
        if day_text.isdigit() and 1 <= int(day_text) <= 31:
            text += f"-{int(day_text):02d}"
    return text


def author(family: object, given: object = None) -> dict[str, str] | None:
    family_text = clean(family)
    if not family_text:
        return None
    given_text = clean(given)
    return {"family": family_text, "given": given_text} if given_text else {"family": family_text}


def split_name(name: str) -> dict[str, str] | None:
    """`Schwenk, Eric S.` (RIS, MEDLINE FAU) or `Schwenk ES` (MEDLINE AU) as an author."""
    if "," in name:
        family, _, given = name.partition(",")
        return author(family, given)
    parts = name.split()
    if len(parts) >= 2 and parts[-1].isupper() and len(parts[-1]) <= 3:
        return author(" ".join(parts[:-1]), " ".join(f"{letter}." for letter in parts[-1]))
    return author(name)


def compact(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in (None, "", [], {})}


def _reader(kind: str) -> Callable[[str, str], list[Record]]:
    if kind == "bibtex":
        from kb.data.imports.bibtex import read
    elif kind == "ris":
        from kb.data.imports.ris import read
    elif kind == "csl-json":
        from kb.data.imports.csljson import read
    else:
        from kb.data.imports.pubmed import read
    return read


def read_records(path: Path, kind: str) -> list[Record]:
    """The records of a bibliographic file; a file with none, or one kb cannot parse, is a located `DataError`."""
    shown = str(path)
    text = decode(read_regular(path, shown, what=f"a {kind} file", missing="check the path"), shown)
    records = _reader(kind)(text, shown)
    if not records:
        raise DataError(f"no {kind} records found", shown, 1, 1, f"check that this is a {kind} file")
    for number, record in enumerate(records, start=1):
        record.where = f"{shown}, record {number}" + (f" ({record.key})" if record.key else "")
    return records
