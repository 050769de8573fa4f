"""Article titles in each style's case, checked by hand against AMA 11 (3.9.1: sentence case; a journal article's
subtitle begins in lower case) and APA 7 (sentence case; the subtitle's first word capitalised)."""

from __future__ import annotations

import pytest

from kb.query.cite import format_citations
from kb.query.titles import sentence_case
from tests.query.test_cite import SCHWENK

# The Schwenk record of test_cite with one author and no identifiers, so each style's whole reference is short
ARTICLE = {key: value for key, value in SCHWENK.items() if key not in ("authors_incomplete", "doi", "pmid")}
ARTICLE["authors"] = SCHWENK["authors"][:1]


@pytest.mark.parametrize(
    ("title", "names", "ama", "apa"),
    [
        (
            "Ketamine for Refractory Headache: A Retrospective Analysis",
            [],
            "Ketamine for refractory headache: a retrospective analysis",
            "Ketamine for refractory headache: A retrospective analysis",
        ),
        (  # abbreviations keep their capitals
            "Trends in Use of Melatonin Supplements Among US Adults, 1999-2018",
            [],
            "Trends in use of melatonin supplements among US adults, 1999-2018",
            "Trends in use of melatonin supplements among US adults, 1999-2018",
        ),
        (  # a name the source records keeps its capitals; hyphenated parts are words of their own
            "Low-Dose Ketamine in Adults: An American Academy of Sleep Medicine Placebo-Controlled Trial",
            ["American Academy of Sleep Medicine"],
            "Low-dose ketamine in adults: an American Academy of Sleep Medicine placebo-controlled trial",
            "Low-dose ketamine in adults: An American Academy of Sleep Medicine placebo-controlled trial",
        ),
        (  # a title already in sentence case is the source's choice
            "Intravenous ketamine for subacute treatment of refractory chronic migraine: a case series",
            [],
            "Intravenous ketamine for subacute treatment of refractory chronic migraine: a case series",
            "Intravenous ketamine for subacute treatment of refractory chronic migraine: a case series",
        ),
        (
            "Pediatric Melatonin Ingestions — United States, 2012–2021",
            ["United States"],
            "Pediatric melatonin ingestions — United States, 2012–2021",
            "Pediatric melatonin ingestions — United States, 2012–2021",
        ),
    ],
)
def test_sentence_case_keeps_first_words_abbreviations_and_recorded_names(
    title: str, names: list[str], ama: str, apa: str
) -> None:
    assert sentence_case(title, names) == ama
    assert sentence_case(title, names, capitalise_subtitle=True) == apa


def test_each_style_prints_an_article_title_in_its_case_and_exports_keep_it_as_recorded() -> None:
    assert format_citations([ARTICLE], "ama") == (
        "1. Schwenk ES. Ketamine for refractory headache: a retrospective analysis. Reg Anesth Pain Med. "
        "2018;43(8):875-879."
    )
    assert "(2018). Ketamine for refractory headache: A retrospective analysis. Regional Anesthesia" in (
        format_citations([ARTICLE], "apa")
    )
    assert "Ketamine for refractory headache: a retrospective analysis. Reg Anesth Pain Med. 2018 Nov" in (
        format_citations([ARTICLE], "vancouver")
    )
    for export in ("bibtex", "csl-json", "ris"):
        assert "Ketamine for Refractory Headache" in format_citations([ARTICLE], export)
