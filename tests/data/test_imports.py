"""Each bibliographic format maps to the source schema; designs only from a publication type that names one."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.data.authoring import prepare_source
from kb.data.imports import read_records
from kb.errors import DataError, UsageError
from tests.records import bibtex, bundled, csl_json, medline, pubmed_xml, ris, write

FIELDS = ("title", "container_title", "volume", "issue", "pages", "doi")


@pytest.mark.parametrize(
    ("kind", "render", "suffix"),
    [("bibtex", bibtex, "bib"), ("ris", ris, "ris"), ("csl-json", csl_json, "json")],
)
def test_each_format_reads_several_records_as_the_source_schema(kind, render, suffix, tmp_path: Path) -> None:
    schwenk, niesters = bundled("schwenk-2018"), bundled("niesters-2014")
    records = read_records(write(tmp_path / f"refs.{suffix}", render(schwenk, niesters)), kind)
    assert len(records) == 2
    for record, source in zip(records, (schwenk, niesters), strict=True):
        for name in FIELDS:
            assert record.fields[name] == getattr(source, name), name
        assert record.fields["authors"] == [a.model_dump(exclude_none=True) for a in source.authors]
        assert record.fields["issued"][:4] == (source.issued or "")[:4]
        assert record.design is None  # none of these formats states a design


@pytest.mark.parametrize("render", [pubmed_xml, medline])
def test_pubmed_xml_and_medline_text(render, tmp_path: Path) -> None:
    source = bundled("schwenk-2018")
    (record,) = read_records(write(tmp_path / "pubmed.txt", render(source)), "pubmed")
    assert record.key == source.pmid
    for name in (*FIELDS, "pmid", "issued", "container_title_short"):
        assert record.fields[name] == getattr(source, name), name
    assert record.fields["title"] == source.title  # PubMed's closing full stop dropped


def test_pubmed_publication_type_names_a_design_only_when_it_is_one(tmp_path: Path) -> None:
    source = bundled("schwenk-2018")
    path = write(tmp_path / "rct.xml", pubmed_xml(source, "Randomized Controlled Trial"))
    assert read_records(path, "pubmed")[0].design == "rct"
    path = write(tmp_path / "review.xml", pubmed_xml(source, "Review"))
    assert read_records(path, "pubmed")[0].design is None
    assert read_records(write(tmp_path / "a.xml", pubmed_xml(source)), "pubmed")[0].fields["authors_incomplete"]


def test_identifiers_enter_only_with_verified_at(tmp_path: Path) -> None:
    (record,) = read_records(write(tmp_path / "p.xml", pubmed_xml(bundled("schwenk-2018"))), "pubmed")
    without = prepare_source(record, "x-2018", "retrospective-cohort", None)
    assert set(without.dropped) == {"doi", "pmid", "volume", "issue", "pages", "issued"}
    assert not any(name in without.entry for name in without.dropped)
    assert without.entry["unverified"] == list(without.dropped)
    checked = prepare_source(record, "x-2018", "retrospective-cohort", "PubMed record, 2026-12-01")
    assert checked.dropped == () and checked.entry["pmid"] == record.fields["pmid"]
    assert checked.entry["verified_at"]["doi"] == "PubMed record, 2026-12-01"


def test_no_design_and_no_title_are_refused(tmp_path: Path) -> None:
    (record,) = read_records(write(tmp_path / "p.bib", bibtex(bundled("niesters-2014"))), "bibtex")
    with pytest.raises(UsageError, match="states no publication type"):
        prepare_source(record, "n", None, None)
    record.fields.pop("title")
    with pytest.raises(UsageError, match="has no title"):
        prepare_source(record, "n", "narrative-review", None)


def test_unreadable_files_are_located_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no bibtex records"):
        read_records(write(tmp_path / "empty.bib", "% nothing here\n"), "bibtex")
    with pytest.raises(DataError, match="malformed XML") as caught:
        read_records(write(tmp_path / "bad.xml", "<PubmedArticleSet><PubmedArticle>"), "pubmed")
    assert caught.value.line == 1
    with pytest.raises(DataError, match="invalid JSON"):
        read_records(write(tmp_path / "bad.json", "[{"), "csl-json")
    with pytest.raises(DataError, match="file not found"):
        read_records(tmp_path / "missing.bib", "bibtex")
