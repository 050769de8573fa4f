"""Sources as RIS records, the format reference managers (Zotero, EndNote, Mendeley) import, written by rispy
(imported when used, like citeproc-py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# RIS reference types for the CSL types a source can have
RIS_TYPES = {"article-journal": "JOUR", "paper-conference": "CONF", "report": "RPRT", "webpage": "ELEC",
             "dataset": "DATA", "entry-encyclopedia": "ENCYC", "article": "GEN"}  # fmt: skip


def ris_entry(source: Mapping[str, Any]) -> dict[str, Any]:
    """One source in rispy's field names; missing fields are left out."""
    entry: dict[str, Any] = {"type_of_reference": RIS_TYPES.get(str(source.get("type")), "GEN")}
    authors = [f"{a['family']}, {a['given']}" if a.get("given") else a["family"] for a in source.get("authors") or []]
    if not authors and source.get("organisation"):
        authors = [str(source["organisation"])]
    if authors:
        entry["authors"] = authors
    for key, field in (("title", "primary_title"), ("container_title", "secondary_title"),
                       ("container_title_short", "alternate_title1"), ("volume", "volume"), ("issue", "number"),
                       ("doi", "doi"), ("pmid", "accession_number")):  # fmt: skip
        if source.get(key):
            entry[field] = str(source[key])
    if source.get("issued"):
        entry["year"] = str(source["issued"])[:4]
        entry["date"] = str(source["issued"]).replace("-", "/")
    first, _, last = str(source.get("pages") or "").partition("-")
    if first:
        entry["start_page"] = first
    if last:
        entry["end_page"] = last
    if source.get("url"):
        entry["urls"] = [str(source["url"])]
    entry["id"] = str(source.get("id"))
    return entry


def format_ris(sources: Sequence[Mapping[str, Any]]) -> str:
    """The sources as RIS records, each closed by `ER  -`, with no record counter between them."""
    import rispy  # type: ignore[import-untyped,unused-ignore]

    class Writer(rispy.RisWriter):  # type: ignore[misc,unused-ignore]
        def set_header(self, count: int) -> None:
            return None  # rispy numbers records ("1."); reference managers read plain RIS

    if not sources:
        return ""
    text: str = rispy.dumps([ris_entry(source) for source in sources], implementation=Writer)
    return text
