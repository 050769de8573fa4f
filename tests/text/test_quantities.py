"""Number-awareness: figures in prose become quantities with a dimension, a hedge and an interval."""

from __future__ import annotations

import math

import pytest

from kb.text.normalise import fold, normalise, unescape, words
from kb.text.quantities import Quantity, digits, extract, from_value, interval


def only(text: str, dimension: str | None = None) -> Quantity:
    """The single quantity of `dimension` in `text` (or the single quantity when dimension is None)."""
    found = [q for q in extract(text) if dimension is None or q.dimension == dimension]
    assert len(found) == 1, f"{text!r} -> {extract(text)}"
    return found[0]


@pytest.mark.parametrize(
    "text",
    [
        "three out of four",
        "3 of 4",
        "three quarters",
        "three-quarters",
        "almost 75 percent",
        "~75%",
        "three in four",
        "about 75%",
        "75 per cent",
        "Three out of four patients improved.",
    ],
)
def test_three_quarters_in_any_wording_is_a_percent_containing_75(text: str) -> None:
    quantity = only(text, "percent")
    assert quantity.low <= 75 <= quantity.high
    assert quantity.value == pytest.approx(75)


def test_ratio_and_fraction_wordings_are_hedged_not_exact() -> None:
    for text in ("three out of four", "3 of 4", "three quarters"):
        quantity = only(text, "percent")
        assert quantity.qualifier == "about"
        assert quantity.low < 75 < quantity.high


def test_almost_stays_at_or_below_the_figure() -> None:
    quantity = only("almost 75 percent", "percent")
    assert quantity.qualifier == "almost"
    assert quantity.high <= 75
    assert quantity.low < 75
    assert not quantity.overlaps(only("80%"))
    assert quantity.overlaps(only("74%"))


def test_nearly_and_just_under_are_almost() -> None:
    assert only("nearly 75%").qualifier == "almost"
    assert only("just under 75%").high <= 75


def test_exact_percent_is_a_point() -> None:
    quantity = only("77%")
    assert (quantity.low, quantity.high, quantity.qualifier, quantity.dimension) == (77, 77, "exact", "percent")


def test_sixty_one_becomes_61() -> None:
    assert digits("sixty-one") == "61"
    assert only("sixty-one").value == 61
    patients = only("sixty-one patients")
    assert (patients.value, patients.dimension) == (61, "count")


@pytest.mark.parametrize(
    "text",
    ["30\u2013100 days", "30 to 100 days", "30-100 days", "thirty to one hundred days", "between 30 and 100 days"],
)
def test_day_ranges(text: str) -> None:
    quantity = only(text, "time")
    assert (quantity.low, quantity.high) == pytest.approx((30, 100))
    assert quantity.value == pytest.approx(65)


def test_three_months_is_about_91_days() -> None:
    quantity = only("3 months", "time")
    assert quantity.value == pytest.approx(91, abs=1)
    assert quantity.low == quantity.high


def test_up_to_three_months_starts_at_zero() -> None:
    quantity = only("up to 3 months", "time")
    assert quantity.qualifier == "up-to"
    assert quantity.low == 0
    assert quantity.high == pytest.approx(91, abs=1)


def test_minutes_to_a_full_hour_is_a_time_range() -> None:
    quantity = only("45 minutes to a full hour", "time")
    assert quantity.low == pytest.approx(45 / 1440)
    assert quantity.high == pytest.approx(1 / 24)
    assert quantity.low < quantity.high


def test_hours_and_weeks_convert_to_days() -> None:
    assert only("about an hour", "time").value == pytest.approx(1 / 24)
    assert only("12 weeks", "time").value == pytest.approx(84)
    assert only("1 to 2 hours", "time").high == pytest.approx(2 / 24)


def test_dollars_are_money() -> None:
    quantity = only("$600")
    assert (quantity.dimension, quantity.value) == ("money", 600)
    spread = only("$500 to $1,000")
    assert (spread.dimension, spread.low, spread.high) == ("money", 500, 1000)


def test_more_than_is_open_above() -> None:
    quantity = only("more than 10%", "percent")
    assert quantity.qualifier == "more-than"
    assert quantity.low == 10
    assert math.isinf(quantity.high)


def test_less_than_and_at_least_bounds() -> None:
    less = only("fewer than 10 patients", "count")
    assert (less.low, less.high) == (0, 10)
    least = only("at least 5 days", "time")
    assert least.low == 5 and math.isinf(least.high)


def test_thousands_separator() -> None:
    assert only("1,200 patients").value == 1200


def test_several_figures_in_order() -> None:
    found = extract("48 of 61 patients (77%) were immediate responders.")
    assert [q.dimension for q in found] == ["percent", "percent"]
    assert found[0].value == pytest.approx(48 / 61 * 100)
    assert found[1].value == 77


def test_no_figures() -> None:
    assert extract("Ketamine is not addictive.") == []


def test_interval_rules() -> None:
    assert interval(75, 75, "exact") == (75, 75)
    assert interval(75, 75, "about") == pytest.approx((67.5, 82.5))
    low, high = interval(75, 75, "almost")
    assert low < 75 and high == 75
    assert interval(3, 3, "up-to") == (0, 3)
    assert interval(3, 3, "less-than") == (0, 3)
    assert interval(3, 3, "at-least")[1] == math.inf


def test_from_value_uses_base_units() -> None:
    hour = from_value(1, 1, "hour", "about")
    assert hour.dimension == "time"
    assert hour.value == pytest.approx(1 / 24)
    assert hour.low < 1 / 24 < hour.high
    assert from_value(77, 77, "percent", "exact").overlaps(only("about 75%"))


def test_overlap_respects_dimension() -> None:
    assert not only("75 days").overlaps(only("75%"))
    assert only("75 days").overlaps(only("75 days"))


def test_digit_with_scale_word_is_one_quantity() -> None:
    quantity = only("1.5 million people")
    assert quantity.value == pytest.approx(1.5e6)
    assert quantity.dimension == "count"


def test_two_thirds_is_a_percent() -> None:
    quantity = only("two-thirds of patients", "percent")
    assert quantity.low <= 66.7 <= quantity.high


def test_a_quarter_at_the_start() -> None:
    quantity = only("A quarter of patients", "percent")
    assert quantity.low <= 25 <= quantity.high


def test_one_and_a_half_hours_is_a_time() -> None:
    found = extract("The infusion takes one and a half hours.")
    assert [q.dimension for q in found] == ["time"]
    assert found[0].low <= 1.5 / 24 <= found[0].high


def test_an_hour_and_a_half_is_not_a_percent() -> None:
    found = extract("Each session lasts an hour and a half.")
    assert "percent" not in {q.dimension for q in found}
    assert any(q.dimension == "time" and q.low <= 1.5 / 24 <= q.high for q in found)


def test_a_half_hour_is_a_time() -> None:
    found = extract("a half-hour infusion")
    assert [q.dimension for q in found] == ["time"]
    assert found[0].value == pytest.approx(0.5 / 24)


def test_about_half_is_fifty_percent() -> None:
    quantity = only("about half of patients", "percent")
    assert quantity.low <= 50 <= quantity.high


# ------------------------------------------------------------------ text normalisation


def test_entity_without_semicolon_decodes() -> None:
    text = normalise("don&rsquo t stop")
    assert "&" not in text and "rsquo" not in text
    assert text.startswith("don'")


def test_ldquo_without_semicolon_decodes() -> None:
    assert normalise("&ldquo hello") == '" hello'
    assert normalise("&ldquo;hello&rdquo;") == '"hello"'


def test_numeric_entities_and_nbsp() -> None:
    assert unescape("&#8217;") == "\u2019"
    assert normalise("it&#x2019;s") == "it's"
    assert normalise("a&nbsp;b") == "a b"


def test_unknown_entities_and_bare_ampersands_stay() -> None:
    assert normalise("R&D and AT&T") == "R&D and AT&T"
    assert normalise("&notanentity;") == "&notanentity;"


def test_curly_quotes_and_dashes_fold_to_straight() -> None:
    assert normalise("\u201cnot addictive\u201d \u2018x\u2019") == "\"not addictive\" 'x'"
    assert normalise("30\u2013100") == "30-100"
    assert fold("It\u2019s  \u201cSAFE\u201d\n") == 'it\'s "safe"'


def test_words_keep_decimals_and_apostrophes() -> None:
    assert words(fold("It\u2019s 1.5 mg, isn't it?")) == ["it's", "1.5", "mg", "isn't", "it"]


def test_a_summary_age_before_its_number_is_an_age_and_a_defining_age_is_no_figure() -> None:
    assert [(q.text, q.dimension, q.low) for q in extract("169 agreed (80% women; average age 44)")][-1] == (
        "average age 44",
        "age",
        44.0,
    )
    assert [q.dimension for q in extract("a mean age of 38 years")] == ["age"]
    assert [q.dimension for q in extract("calls about children under the age of 13")] == [None]


def test_a_range_may_restate_its_first_unit_in_brackets() -> None:
    (dose,) = extract("doses between 300 micrograms (μg) and 5 mg have been shown to work")
    assert (dose.dimension, dose.low, dose.high) == ("mass", 0.3, 5.0)
    # a bracket that is not a unit still ends the figure
    assert [q.text for q in extract("take 3 mg (or less) to 5 mg")] == ["3 mg", "5 mg"]


def test_and_a_half_times_is_a_ratio_not_a_share() -> None:
    (found,) = extract("Calls rose two and a half times in four years.")[:1]
    assert (found.value, found.dimension, found.text) == (2.5, "ratio", "2.5 times")


def test_a_bare_number_listed_after_a_figure_takes_its_unit_and_others_do_not() -> None:
    listed = extract("Pain fell by 2.7 days with the spray, 2.2 with the tablet, and 1.1 for placebo.")
    assert [q.dimension for q in listed] == ["time", "time", "time"]
    assert listed[2].value == pytest.approx(1.1)  # days are the base unit of time
    assert [q.text for q in listed] == ["2.7 days", "2.2", "1.1"]
    assert extract("Take 3 mg at night, 2 nights a week.")[1].dimension is None  # "2 nights" names what it counts
    assert extract("In 2019, 5 mg, and 2021 saw more")[2].dimension is None  # a year is not a dose


def test_a_hedged_number_without_a_noun_is_a_count() -> None:
    (found,) = extract("Last year we had over 1,800.")
    assert (found.dimension, found.qualifier) == ("count", "more-than")
    assert extract("In 2021 we moved.")[0].dimension is None


@pytest.mark.parametrize(
    ("text", "converted"),
    [
        ("One and a half hours later", "1.5 hours later"),
        ("an hour and a half", "1.5 hour"),
        ("a half-hour", "0.5 hour"),
        ("half an hour", "0.5 hour"),
        ("two-thirds of patients", "2 out of 3 of patients"),
        ("half of the patients", "1 out of 2 of the patients"),
        ("sixty-one percent", "61 percent"),
        ("within a day", "within 1 day"),
        ("millions of people", "millions of people"),
        ("1.5 million doses", "1500000 doses"),
        ("three out of four", "3 out of 4"),
        ("thousands of d_ozens", "thousands of dozens"),
        ("No figure here.", "no figure here."),
    ],
)
def test_digits_each_pass(text: str, converted: str) -> None:
    """Every pass of `digits`, each now tried only when its words are present (outputs as before that change)."""
    assert digits(text) == converted


@pytest.mark.parametrize(
    "text",
    ["A 2022 study of adults found it.", "The 2021 review was small.", "In 2019 patients were asked.", "a 2020 trial"],
)
def test_a_year_before_a_document_or_after_a_preposition_is_no_count(text: str) -> None:
    assert [q for q in extract(text) if q.dimension is not None] == []


def test_a_year_like_number_with_a_plural_noun_is_still_a_count() -> None:
    assert only("It was tested on 1999 volunteers.", "count").value == 1999


def test_n_in_a_year_is_no_share_but_one_in_five_is() -> None:
    assert all(q.dimension is None for q in extract("up from 1.3 million in 2007."))
    assert only("1 in 5 adults", "percent").value == pytest.approx(20)
    assert only("1 in 2000 births", "percent").value == pytest.approx(0.05)


def test_none_of_them_is_a_zero_share() -> None:
    assert only("0 of 61 patients", "percent").value == 0


def test_one_of_several_things_is_which_not_how_many() -> None:
    assert all(q.dimension is None for q in extract("Participants are randomized to one of three treatments."))
    assert only("one of three patients", "percent").value == pytest.approx(100 / 3)  # of people: a share
    assert only("48 of 61 patients", "percent").value == pytest.approx(48 / 61 * 100)
