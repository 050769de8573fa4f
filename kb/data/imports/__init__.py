"""Bibliographic records from BibTeX, RIS, CSL-JSON and PubMed files, as `sources.yaml` entries.

Each reader (`bibtex`, `ris`, `csljson`, `pubmed`) turns a file into `Record`s (`record`) holding the fields of the
source schema (`kb.data.schema.Source`) the record states, nothing guessed: a design only from a publication type
that names one (PubMed's "Randomized Controlled Trial"), never from a title. `kb.data.authoring` then decides which
fields may enter (identifiers only with the record they were verified against).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kb.data.imports.record import Record
from kb.data.yamlload import decode, read_regular
from kb.errors import DataError

FORMATS = ("bibtex", "ris", "csl-json", "pubmed")


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
