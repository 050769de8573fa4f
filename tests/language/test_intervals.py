"""How a normalised value is written in a message: natural units, never an exponent."""

from __future__ import annotations

import pytest

from kb.language.intervals import interval_text


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
