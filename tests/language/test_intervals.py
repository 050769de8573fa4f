"""How a normalised value is written in a message: natural units, never an exponent."""

from __future__ import annotations

import pytest

from kb.language.compare import describe
from kb.language.intervals import interval_text
from kb.language.values import StatedValue


@pytest.mark.parametrize(
    ("low", "high", "dimension", "shown"),
    [
        (55000, 55000, "count", "55,000"),
        (1_800_000, 2_000_000, "count", "1,800,000–2,000,000"),
        (61, 61, "count", "61"),
        (0.4, 2.1, "percent", "0.4–2.1%"),
        (12.345, 12.345, "percent", "12.3%"),
    ],
)
def test_values_are_written_in_full_without_exponents(low: float, high: float, dimension: str, shown: str) -> None:
    assert interval_text(low, high, dimension) == shown


def test_a_short_time_beside_a_long_one_keeps_its_own_unit() -> None:
    hour = StatedValue("about 1 hour", 0.9 / 24, 1.1 / 24, "time", "about")
    stay = StatedValue("5.1 days", 5.1, 5.1, "time")
    assert describe(hour, stay) == "54–66 min"  # not "0.0375–0.0458 days"
    assert describe(stay, hour) == "5.1 days"
    assert describe(StatedValue("45 minutes", 45 / 1440, 45 / 1440, "time"), hour) == "45 min"


def test_a_range_whose_low_end_would_be_a_fraction_is_one_unit_finer() -> None:
    attacks = StatedValue("4 and 72 hours", 4 / 24, 3.0, "time")
    assert describe(attacks, StatedValue("5.1 days", 5.1, 5.1, "time")) == "4–72 h"  # not "0.167–3 days"
    assert describe(StatedValue("30 to 100 days", 30.0, 100.0, "time")) == "30–100 days"


def test_a_conflict_shows_each_side_in_its_own_unit_when_one_would_read_as_a_fraction() -> None:
    from kb.language.compare import conflict_between
    from kb.language.values import StatedValue

    hours = StatedValue("3 to 9 hours", 3 / 24, 9 / 24, "time")
    days = StatedValue("5.1 days", 5.1, 5.1, "time")
    assert conflict_between(hours, days) == "3–9 h vs 5.1 days: the ranges do not overlap"
