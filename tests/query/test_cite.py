"""Citations rendered for real by citeproc-py (AMA, APA, Vancouver) and bibtexparser (BibTeX)."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from bibtexparser.entrypoint import parse_string

from kb.query.cite import STYLES, format_citations
from kb.query.csl import to_csl

# S1 in shared/reference/sources.md: the author list there is cut off after the eighth author.
SCHWENK: dict[str, Any] = {
    "id": "schwenk-2018",
    "type": "article-journal",
    "title": "Ketamine for Refractory Headache: A Retrospective Analysis",
    "authors": [
        {"family": "Schwenk", "given": "Eric S."},
        {"family": "Dayan", "given": "Amir C."},
        {"family": "Rangavajjula", "given": "Ashwin"},
        {"family": "Torjman", "given": "Marc C."},
        {"family": "Hernandez", "given": "Mauricio G."},
        {"family": "Lauritsen", "given": "Clinton G."},
        {"family": "Silberstein", "given": "Stephen D."},
        {"family": "Young", "given": "William B."},
    ],
    "authors_incomplete": True,
    "container_title": "Regional Anesthesia and Pain Medicine",
    "container_title_short": "Reg Anesth Pain Med",
    "issued": "2018-11",
    "volume": "43",
    "issue": "8",
    "pages": "875-879",
    "doi": "10.1097/AAP.0000000000000827",
    "pmid": "29923953",
}

REGISTRY: dict[str, Any] = {
    "id": "nct03896256",
    "type": "report",
    "design": "registry-entry",
    "title": "Ketamine for Refractory Chronic Migraine: a Pilot Study",
    "organisation": "ClinicalTrials.gov",
    "nct": "NCT03896256",
    "url": "https://clinicaltrials.gov/ct2/show/NCT03896256",
    "issued": "2019-03-29",
    "verified_at": {"nct": "registry record"},
}

FACT_SHEET: dict[str, Any] = {
    "id": "who-headache-fact-sheet",
    "type": "webpage",
    "design": "organisation-fact-sheet",
    "title": "Migraine and other headache disorders",
    "authors": [],
    "organisation": "World Health Organization",
    "issued": "2024-03-06",
    "url": "https://www.who.int/news-room/fact-sheets/detail/headache-disorders",
    "pmid": None,
}


def test_ama() -> None:
    text = format_citations([SCHWENK], "ama")
    assert text.startswith("1. Schwenk ES, Dayan AC, Rangavajjula A, et al. ")
    for part in (
        "Schwenk ES",
        "et al",
        "Reg Anesth Pain Med",
        "2018;43(8):875-879",
        "doi:10.1097/AAP.0000000000000827",
    ):
        assert part in text
    assert "\n" not in text


def test_apa() -> None:
    text = format_citations([SCHWENK], "apa")
    assert text.startswith("Schwenk, E. S., Dayan, A. C.")
    assert "(2018)" in text
    assert "https://doi.org/10.1097/AAP.0000000000000827" in text


def test_vancouver() -> None:
    text = format_citations([SCHWENK], "vancouver")
    assert text.startswith("1. Schwenk ES, Dayan AC, Rangavajjula A, Torjman MC, Hernandez MG, Lauritsen CG, et al. ")
    assert "Reg Anesth Pain Med. 2018 Nov;43(8)" in text
    assert "PMID: 29923953" in text


def test_bibtex_parses_back() -> None:
    library = parse_string(format_citations([SCHWENK], "bibtex"))
    assert not library.failed_blocks
    assert len(library.entries) == 1
    entry = library.entries[0]
    assert entry.entry_type == "article"
    assert entry.key == "schwenk2018"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["doi"] == "10.1097/AAP.0000000000000827"
    assert fields["volume"] == "43"
    assert fields["number"] == "8"
    assert fields["pages"] == "875-879"
    assert fields["year"] == "2018"
    assert fields["journal"] == "Regional Anesthesia and Pain Medicine"
    assert fields["author"].startswith("Schwenk, Eric S. and Dayan, Amir C.")
    assert fields["author"].endswith("Young, William B. and others")


def test_bibtex_keys_are_unique_and_text_is_latex_encoded() -> None:
    odd = {
        "type": "article-journal",
        "title": "Dose & 50% response",
        "authors": [{"family": "Müller"}],
        "issued": "2020",
    }
    library = parse_string(format_citations([odd, odd, FACT_SHEET], "bibtex"))
    assert [entry.key for entry in library.entries] == ["muller2020a", "muller2020b", "world2024"]
    fields = {field.key: field.value for field in library.entries[0].fields}
    assert fields["title"] == r"Dose \& 50\% response"
    assert fields["author"] == r"M\"uller"
    assert library.entries[2]["author"] == "{World Health Organization}"


def test_csl_json_round_trips() -> None:
    items = json.loads(format_citations([SCHWENK, REGISTRY], "csl-json"))
    assert items == [to_csl(SCHWENK), to_csl(REGISTRY)]


def test_to_csl() -> None:
    item = to_csl(SCHWENK)
    assert item["id"] == "schwenk-2018"
    assert item["type"] == "article-journal"
    assert item["author"][0] == {"family": "Schwenk", "given": "Eric S."}
    assert len(item["author"]) == 8  # no made-up "et al." author
    assert "incomplete" in item["note"]
    assert item["container-title"] == "Regional Anesthesia and Pain Medicine"
    assert item["container-title-short"] == item["journalAbbreviation"] == "Reg Anesth Pain Med"
    assert item["issued"] == {"date-parts": [[2018, 11]]}
    assert (item["volume"], item["issue"], item["page"]) == ("43", "8", "875-879")
    assert (item["DOI"], item["PMID"]) == ("10.1097/AAP.0000000000000827", "29923953")
    assert "URL" not in item and "number" not in item


def test_to_csl_registry_record() -> None:
    item = to_csl(REGISTRY)
    assert item["author"] == [{"literal": "ClinicalTrials.gov"}]
    assert item["number"] == "NCT03896256"
    assert item["URL"] == "https://clinicaltrials.gov/ct2/show/NCT03896256"
    assert item["issued"] == {"date-parts": [[2019, 3, 29]]}
    assert "note" not in item


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("source", [REGISTRY, FACT_SHEET, {}], ids=["registry", "fact-sheet", "empty"])
def test_every_style_formats_without_warnings(style: str, source: dict[str, Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        text = format_citations([source], style)
    assert text
    if source:
        assert source["title"].split(":")[0].lower() in text.lower()  # a style may sentence-case it


@pytest.mark.parametrize("style", ["ama", "apa", "vancouver"])
def test_one_line_per_reference(style: str) -> None:
    lines = format_citations([SCHWENK, REGISTRY, FACT_SHEET], style).splitlines()
    assert len(lines) == 3
    assert all(line.strip() == line and line for line in lines)
    numbered = style != "apa"
    assert [line.startswith(f"{n}. ") for n, line in enumerate(lines, start=1)] == [numbered] * 3


def test_registry_number_is_printed() -> None:
    assert "NCT03896256" in format_citations([REGISTRY], "apa")
    library = parse_string(format_citations([REGISTRY], "bibtex"))
    assert library.entries[0].entry_type == "techreport"
    assert library.entries[0]["number"] == "NCT03896256"


def test_unknown_style() -> None:
    with pytest.raises(ValueError, match="ama, apa, vancouver, bibtex, csl-json"):
        format_citations([SCHWENK], "mla")


def test_no_sources() -> None:
    assert format_citations([], "ama") == ""
    assert json.loads(format_citations([], "csl-json")) == []


def test_import_is_lazy() -> None:
    code = (
        "import sys, kb.query.cite; print(sorted(m for m in sys.modules if m.startswith(('citeproc', 'bibtexparser'))))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


UNDATED_PAGE: dict[str, Any] = {
    "id": "clinic-page",
    "type": "webpage",
    "title": "Can melatonin help you sleep",
    "organisation": "Example Health",
    "url": "https://example.org/melatonin",
}


def test_web_references_give_the_day_the_page_was_read_in_each_styles_words() -> None:
    """Checked by hand against APA 7 (undated page: "Retrieved Month D, YYYY, from URL") and AMA 11 ("Accessed
    Month D, YYYY. URL"); with no access date recorded APA gives the URL alone, never a bare "Retrieved URL"."""
    read = dict(UNDATED_PAGE, accessed="2026-12-01")
    assert format_citations([read], "apa") == (
        "Example Health. (n.d.). Can melatonin help you sleep. Retrieved December 1, 2026, from "
        "https://example.org/melatonin"
    )
    assert format_citations([read], "ama") == (
        "1. Example Health. Can melatonin help you sleep. Accessed December 1, 2026. https://example.org/melatonin"
    )
    assert format_citations([UNDATED_PAGE], "apa") == (
        "Example Health. (n.d.). Can melatonin help you sleep. https://example.org/melatonin"
    )
    assert "Retrieved" not in format_citations([dict(FACT_SHEET)], "apa")  # a dated page needs no retrieval date
