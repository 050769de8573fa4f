"""Readings from the issue's classes of failure, in sentences written for them (not from the corpus): risky wording
written with choices, another study told apart by its year, sample or population, a study dated by the page itself,
and "recent" judged as of the page's own date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb.cli.app import app
from kb.language.dated import page_date
from kb.text.quantities import digits, extract_digits

ROOT = Path(__file__).resolve().parents[2]
KETAMINE = ROOT / "data"
MELATONIN = ROOT / "examples" / "melatonin"


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("seventh")


def _findings(indexes: Path, tmp_path: Path, text: str, data: Path = KETAMINE) -> list[dict[str, Any]]:
    page = tmp_path / "page.txt"
    page.write_text(text + "\n", encoding="utf-8")
    runner = CliRunner(env={"KB_DATA": None, "KB_DATABASE_URL": None, "NO_COLOR": "1"})
    index = indexes / f"{data.name}.sqlite"
    argv = ["check", str(page), "--data", str(data), "--db", str(index), "--format", "json", "--fail-on", "none"]
    result = runner.invoke(app, argv, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def _rules(found: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(f["rule"], f["text"]) for f in found]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("A 2019 review confirmed that it helps you fall asleep faster.", "review confirmed that"),
        ("The evidence is clear: it works.", "The evidence is clear"),
        ("It kills tumor cells.", "kills tumor cells"),
        ("It prevents breast cancer.", "prevents breast cancer"),
        ("It has helped thousands of people sleep better.", "has helped thousands of"),
        ("It is the best natural sleep aid you can buy.", "the best natural sleep aid"),
        ("It won't make you groggy the next morning.", "won't make you groggy"),
        ("It is a natural hormone, so it is safe.", "so it is safe"),
    ],
)
def test_risky_wording_written_with_choices_is_found(indexes: Path, tmp_path: Path, text: str, words: str) -> None:
    assert ("disallowed-claim", words) in _rules(_findings(indexes, tmp_path, text, MELATONIN))


@pytest.mark.parametrize(
    "text",
    [
        "Studies confirm a modest effect on sleep onset.",  # a proof claim its own clause sizes as modest
        "Research has not confirmed that it works for insomnia.",
        "Evening is the best time to take it.",  # advice on timing, not a product's superiority
        "Migraines are the number one reason patients see a neurologist.",  # a rank, not a boast
    ],
)
def test_hedged_negated_or_advisory_wording_is_not_flagged(indexes: Path, tmp_path: Path, text: str) -> None:
    assert [f for f in _findings(indexes, tmp_path, text, MELATONIN) if f["rule"] == "disallowed-claim"] == []


def test_half_a_unit_and_a_multiplier_in_words_are_figures() -> None:
    (half,) = extract_digits(digits("Give your child half a milligram before bed."))
    assert (half.value, half.dimension) == (0.5, "mass")
    (times,) = extract_digits(digits("Use rose fivefold."))
    assert (times.value, times.dimension) == (5.0, "ratio")
    assert extract_digits(digits("half a dozen studies")) == []  # no figure made up from "half a"


def test_a_study_dated_to_another_year_is_another_study_not_a_misattribution(indexes: Path, tmp_path: Path) -> None:
    """Another year and another share: the page reports a study the knowledge base does not hold, so its figure is
    unverified, not held against the 61-patient study's 77% nor credited to it with the wrong year."""
    found = _findings(indexes, tmp_path, "In a 2022 study, 36% of migraine patients reported relief after ketamine.")
    assert _rules(found) == [("unverified-statistic", "36%")]
    # The same share with the wrong year is still the known study misdated.
    (wrong_year,) = _findings(indexes, tmp_path, "A 2015 study of 61 patients found that almost 75 percent improved.")
    assert wrong_year["rule"] == "misattribution" and "Schwenk 2018" in wrong_year["message"]


def test_a_study_with_another_sample_or_the_pages_own_patients_is_another_study(indexes: Path, tmp_path: Path) -> None:
    survey = _findings(indexes, tmp_path, "A survey of 200 patients found that 40 percent of them improved.")
    assert {f["rule"] for f in survey} == {"unverified-statistic"}
    own = _findings(indexes, tmp_path, "Forty percent of patients in our clinic say their headaches improved.")
    assert _rules(own) == [("unverified-statistic", "Forty percent")]


def test_a_fraction_in_words_is_quoted_as_the_page_wrote_it(indexes: Path, tmp_path: Path) -> None:
    found = _findings(indexes, tmp_path, "One small trial in 2020 found that about a third of patients responded.")
    assert _rules(found) == [("unverified-statistic", "about a third")]


def test_a_recent_study_the_page_dates_itself_is_stale_without_a_source(indexes: Path, tmp_path: Path) -> None:
    (stale,) = _findings(indexes, tmp_path, "A recent 2018 study found good results.", MELATONIN)
    assert stale["rule"] == "stale-recency" and stale["text"] == "recent"
    assert "dates it to 2018" in stale["message"] and "recency window is 3 years" in stale["message"]


def test_recent_is_judged_as_of_the_pages_own_date(indexes: Path, tmp_path: Path) -> None:
    """A page from June 2020 may call a 2018 study recent; an undated page, read today, may not."""
    dated = "June 8, 2020\n\nA recent 2018 study found good results."
    assert _findings(indexes, tmp_path, dated, MELATONIN) == []


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("Blog, Rx/Pharmacy on June 8, 2020", "2020-06-08"),
        ("October 13, 2011 | Posted in", "2011-10-13"),
        ("date 2022-02-04 For this research letter", "2022-02-04"),
        ("Published: March 2019 by the desk", "2019-03-01"),
        ("8 Sept. 2021", "2021-09-08"),
        ("No date here, only the year 2019.", None),
        ("On 31 February 2020 nothing happened.", None),  # no such day
        ("Updated December 25, 2099", None),  # after today: no page is dated in the future
    ],
)
def test_a_pages_date_is_read_from_its_head(head: str, expected: str | None) -> None:
    from datetime import date

    found = page_date(head, date(2026, 12, 2))
    assert (found.isoformat() if found else None) == expected


def test_a_page_claiming_fda_approval_contradicts_the_regulatory_source(indexes: Path, tmp_path: Path) -> None:
    (found,) = _findings(indexes, tmp_path, "Melatonin is FDA-approved for insomnia.", MELATONIN)
    assert found["rule"] == "contradiction" and found["text"] == "FDA-approved"
    assert "as a dietary supplement" in found["message"]
    assert _findings(indexes, tmp_path, "Melatonin is not FDA-approved.", MELATONIN) == []


def test_two_do_not_use_stances_side_by_side_are_one_finding_naming_both(indexes: Path, tmp_path: Path) -> None:
    (found,) = _findings(indexes, tmp_path, "Melatonin seems free from side effects, even at high doses.", MELATONIN)
    assert (found["rule"], found["text"]) == ("disallowed-claim", "free from side effects, even at high doses")
    assert found["message"].count("“") >= 3  # the page's words and both do-not-use claims, quoted


def test_two_safety_claims_listed_with_and_stay_two_findings(indexes: Path, tmp_path: Path) -> None:
    text = "This supplement is non-habit forming and has no hangover effects."
    assert [f["rule"] for f in _findings(indexes, tmp_path, text, MELATONIN)] == ["disallowed-claim"] * 2


def test_an_absolute_stays_absolute_under_a_hedge(indexes: Path, tmp_path: Path) -> None:
    (found,) = _findings(indexes, tmp_path, "Melatonin appears to be completely safe for adults.", MELATONIN)
    assert (found["rule"], found["text"]) == ("disallowed-claim", "completely safe")
    assert _findings(indexes, tmp_path, "Melatonin is generally safe for most people.", MELATONIN) == []


@pytest.mark.parametrize(
    ("text", "read", "words"),
    [
        ("Ketamine cut headache days in half in one trial.", "50%", "in half"),
        ("Its use doubled between 2010 and 2020.", "2 fold", "doubled"),
        ("Attacks were halved after treatment.", "50%", "halved"),
    ],
)
def test_a_share_or_ratio_said_in_words_is_a_figure_quoted_as_written(
    indexes: Path, tmp_path: Path, text: str, read: str, words: str
) -> None:
    assert read in [q.text for q in extract_digits(digits(text))]
    found = [f for f in _findings(indexes, tmp_path, text) if f["rule"] == "unverified-statistic"]
    assert [f["text"] for f in found] == [words] and f"“{words}”" in found[0]["message"]


def test_a_pill_cut_in_half_is_no_statistic() -> None:
    assert extract_digits(digits("You can cut the pill in half.")) == []


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("It treats breakthrough pain in cancer.", []),  # a clinical term, not a breakthrough claim
        ("This breakthrough treatment works.", ["breakthrough"]),
        ("There will always be some risk.", []),
        ("It will always work for you.", ["will always work"]),
        ("It treats cancer.", ["treats cancer"]),
    ],
)
def test_ordinary_terms_that_hold_a_risky_word_are_not_risky(text: str, flagged: list[str]) -> None:
    from kb.language.wording import default_lexicon, risky_wording
    from kb.text.normalise import fold

    folded = fold(text)
    assert [folded[w.start : w.end] for w in risky_wording(folded, default_lexicon())] == [w.lower() for w in flagged]


def test_decades_are_a_time_not_a_count() -> None:
    (span,) = extract_digits(digits("For nearly two decades, researchers have studied it."))
    assert (span.dimension, span.qualifier, span.high) == ("time", "almost", 2 * 3652.5)


def test_a_claim_others_are_said_to_make_after_it_is_reported_not_asserted(indexes: Path, tmp_path: Path) -> None:
    text = "It cures jet lag in most travelers, some websites claim, but the evidence is mixed."
    assert _findings(indexes, tmp_path, text, MELATONIN) == []
    # Attribution is not distance: the page still says it.
    found = _findings(indexes, tmp_path, "Melatonin cures insomnia, doctors say.", MELATONIN)
    assert [f["rule"] for f in found] == ["disallowed-claim"]


def test_a_figure_that_states_another_matched_claim_rightly_is_no_mismatch(indexes: Path, tmp_path: Path) -> None:
    """530% is the rise in children's ingestions the knowledge base holds, not a misreading of their share."""
    text = "Calls to poison control centers about children swallowing melatonin rose 530% between 2012 and 2021."
    assert [f for f in _findings(indexes, tmp_path, text, MELATONIN) if f["rule"] == "figure-mismatch"] == []


def test_a_vague_amount_inside_the_sources_confidence_interval_agrees(indexes: Path, tmp_path: Path) -> None:
    """ "A few minutes" (2-5 min) is not 7.06 min, but it is inside the paper's 95% CI of 4.37 to 9.75 min."""
    text = "Melatonin helps people fall asleep a few minutes sooner than placebo."
    assert [f for f in _findings(indexes, tmp_path, text, MELATONIN) if f["rule"] == "figure-mismatch"] == []
    (wrong,) = _findings(indexes, tmp_path, "Melatonin helps people fall asleep 30 minutes sooner.", MELATONIN)
    assert (wrong["rule"], wrong["text"]) == ("figure-mismatch", "30 minutes")


@pytest.mark.parametrize("text", ["100% natural and vegan.", "DreamEasy Sleep Gummies, 60 count."])
def test_a_products_wording_and_pack_count_are_no_statistics(indexes: Path, tmp_path: Path, text: str) -> None:
    assert [f for f in _findings(indexes, tmp_path, text, MELATONIN) if f["rule"] == "unverified-statistic"] == []


def test_a_figure_ten_thousand_times_its_sources_is_another_measure(indexes: Path, tmp_path: Path) -> None:
    """$450 an infusion is not the $20 billion migraine costs a year, misread: it is unverified, not a mismatch."""
    found = _findings(indexes, tmp_path, "Cost: each infusion costs $450.")
    assert [(f["rule"], f["text"]) for f in found] == [("unverified-statistic", "$450")]


def test_two_safety_promises_in_one_sentence_are_two_findings(indexes: Path, tmp_path: Path) -> None:
    text = "Our product is non-addictive at the doses we use, and it is completely safe."
    found = _findings(indexes, tmp_path, text, MELATONIN)
    assert [f["text"] for f in found if f["rule"] == "disallowed-claim"] == ["non-addictive", "completely safe"]
    proof = "Trials have shown that it is effective for most people, and studies confirm it."
    assert len([f for f in _findings(indexes, tmp_path, proof, MELATONIN) if f["rule"] == "disallowed-claim"]) == 1


def test_a_rise_in_percent_is_not_held_against_a_share(indexes: Path, tmp_path: Path) -> None:
    """A share is at most 100%: "rose by 530%" is a change, not a misread share of children with no symptoms."""
    text = "Accidental ingestions in children rose by 530% in ten years, and most of them had no symptoms."
    assert [f for f in _findings(indexes, tmp_path, text, MELATONIN) if f["rule"] == "figure-mismatch"] == []


def test_the_sentence_before_may_name_the_other_study_a_figure_is_from(indexes: Path, tmp_path: Path) -> None:
    text = (
        "A 2021 survey of 500 patients asked about ketamine infusions. "
        "Forty percent said the infusions helped their migraine."
    )
    found = _findings(indexes, tmp_path, text)
    assert [(f["rule"], f["text"]) for f in found] == [
        ("unverified-statistic", "500 patients"),
        ("unverified-statistic", "Forty percent"),
    ]


def test_an_unsourced_figure_said_again_on_the_page_is_one_finding_naming_its_lines(
    indexes: Path, tmp_path: Path
) -> None:
    text = "Take 7 mg an hour before bed.\n\nMost people do well on 7 mg.\n\nNever take more than 7 mg."
    found = [f for f in _findings(indexes, tmp_path, text, MELATONIN) if f["rule"] == "unverified-statistic"]
    assert [(f["line"], f["text"]) for f in found][:1] == [(1, "7 mg")]
    assert "(Also on line 3.)" in found[0]["message"]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("adults over 55.", ("over 55 years old", "age")),
        ("children aged 6 to 12, with", ("6 to 12 years old", "age")),
        ("The study followed 1,683 participants over 12 weeks.", ("over 12 weeks", "time")),  # a time, not an age
    ],
)
def test_an_age_that_says_who_is_read_as_an_age(text: str, read: tuple[str, str]) -> None:
    assert read in [(q.text, q.dimension) for q in extract_digits(digits(text))]


def test_a_half_life_is_no_share() -> None:
    assert [q.dimension for q in extract_digits(digits("It has a half-life of about 40 to 60 minutes."))] == ["time"]


@pytest.mark.parametrize(
    "text", ["It is approved in Europe for adults over 55.", "It is not recommended for children under 3."]
)
def test_an_age_that_says_who_is_no_statistic(indexes: Path, tmp_path: Path, text: str) -> None:
    assert _findings(indexes, tmp_path, text, MELATONIN) == []


def test_a_clinics_own_sessions_are_still_held_to_the_studied_treatment(indexes: Path, tmp_path: Path) -> None:
    """Only an outcome of the page's own patients is another study: how long its infusions last is compared with
    the studied infusion, whatever the sentence before says of "our patients"."""
    text = "We make sure all of our patients feel comfortable. Infusions typically last 2 to 4 hours."
    found = _findings(indexes, tmp_path, text)
    assert any("5.1 days" in f["message"] for f in found)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Research has found that it helps you fall asleep faster.", "Research has found that"),
        ("Clinical studies demonstrate that it improves sleep quality.", "Clinical studies demonstrate that"),
        ("Decades of research support its use.", "Decades of research support"),
        ("Study after study has shown that it works.", "Study after study"),
        ("It is widely recognized as an effective treatment for insomnia.", "widely recognized as an effective"),
    ],
)
def test_efficacy_stated_as_established_in_more_wordings(indexes: Path, tmp_path: Path, text: str, words: str) -> None:
    assert ("disallowed-claim", words) in _rules(_findings(indexes, tmp_path, text, MELATONIN))


def test_a_possible_treatment_is_no_claim_of_proof(indexes: Path, tmp_path: Path) -> None:
    assert _findings(indexes, tmp_path, "It may be an effective treatment for jet lag.", MELATONIN) == []


def test_a_figure_inside_risky_words_is_one_finding(indexes: Path, tmp_path: Path) -> None:
    found = _findings(indexes, tmp_path, "It is backed by over 20 clinical studies.", MELATONIN)
    assert _rules(found) == [("disallowed-claim", "backed by over 20 clinical studies")]
