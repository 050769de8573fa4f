"""Effect sizes and 95% confidence intervals read from prose and from a source's quote, compared by size."""

from __future__ import annotations

from kb.language.effects import differ, read_effects


def test_measures_and_intervals_are_read_with_their_sizes_not_their_signs() -> None:
    found = read_effects("Sleep quality improved (SMD = -0.36, 95% CI: -0.52 to -0.20, p < 0.001).")
    assert [(i.measure, i.low, i.high) for i in found] == [("smd", 0.36, 0.36), ("ci", 0.2, 0.52)]
    quote = "weighted mean difference (WMD) = 7.06 minutes [95% CI 4.37 to 9.75], Z = 5.15"
    assert [(i.measure, i.low, i.high) for i in read_effects(quote)] == [("wmd", 7.06, 7.06), ("ci", 4.37, 9.75)]


def test_abbreviations_count_only_in_capitals_and_a_percentage_is_no_ratio() -> None:
    assert read_effects("Take it with water or: 3 times a day.") == []
    assert read_effects("OR: 2.5% of the sample") == []
    assert [i.measure for i in read_effects("odds ratio = 2.1")] == ["or"]


def test_a_rounded_figure_agrees_and_another_size_differs() -> None:
    (page,) = read_effects("95% CI -9.8 to -4.4")
    (paper,) = read_effects("[95% CI 4.37 to 9.75]")
    assert not differ(page, paper)
    (other,) = read_effects("95% CI: -8.81 to -5.30")
    assert differ(other, paper)
