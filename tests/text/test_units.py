"""Figures with their units: counted nouns a word or two away, a knowledge base's own units, and what is no figure."""

from __future__ import annotations

import pytest

from kb.language.matching import analyse
from kb.text.quantities import extract
from kb.text.units import GENERIC, unit_table


def _figures(text: str, units: object = GENERIC) -> list[tuple[str, str | None]]:
    return [(q.text, q.dimension) for q in extract(text, units)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("242 people were prescribed it.", [("242 people", "count")]),
        ("seven randomized controlled trials", [("7 randomized controlled trials", "count")]),
        ("take 3 mg 30 minutes before bed", [("3 mg", "mass"), ("30 minutes", "time")]),
        ("doses of 300 micrograms", [("300 micrograms", "mass")]),
    ],
)
def test_counts_masses_and_times(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert _figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In 2014 researchers reported that patients slept better.",  # a year a few words before a noun
        "The top 5 melatonin gummies.",  # a list's size
        "It affects millions of people.",  # a vague scale word
    ],
)
def test_what_is_not_a_statistic(text: str) -> None:
    assert all(dimension != "count" for _, dimension in _figures(text))


def test_a_knowledge_base_declares_its_own_units_and_counted_nouns() -> None:
    units = unit_table({"counted": ["gummies"], "words": [{"word": "U", "dimension": "toxin-units"}]})
    assert _figures("a child ate 24 gummies", units) == [("24 gummies", "count")]
    assert _figures("a child ate 24 gummies") == [("24", None)]
    assert _figures("155 U in total", units) == [("155 u", "toxin-units")]  # figures are read in folded text
    assert units.by_word["gummy"] == ("count", 1.0)  # a counted noun is also a claim value's unit


def test_numbers_in_a_web_address_are_no_figures() -> None:
    assert analyse("See https://example.org/2024/64-tips-for-sleep now.").quantities == ()
