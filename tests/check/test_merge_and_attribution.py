"""One finding per defect, and which sources a sentence names."""

from __future__ import annotations

from kb.check.merge import merge_angles
from kb.language.attribution import sources_named
from kb.language.knowledge import SourceInfo, SourceRecord
from kb.records import Finding, Severity
from tests.fakes import FakeKnowledge


def _finding(rule: str, message: str, claim: str | None = "c1", column: int = 1, end: int = 40) -> Finding:
    return Finding("p.md", 3, column, 3, end, rule, Severity.ERROR, message, "text", claim)


def test_a_figure_that_also_contradicts_the_source_is_one_finding() -> None:
    mismatch = _finding("figure-mismatch", "The page says 95%; the source gives 77%.")
    contradiction = _finding("contradiction", "this page says 95%; the source says 77%", None)
    assert merge_angles([mismatch, contradiction]) == [mismatch]


def test_the_other_angle_is_kept_as_a_note_when_it_adds_something() -> None:
    mismatch = _finding("figure-mismatch", "The page says 95%.")
    pages = _finding("contradiction", "2 known page(s) disagree: a line 3 says 77%", None)
    (merged,) = merge_angles([mismatch, pages])
    assert merged.rule == "figure-mismatch" and "known page(s) disagree" in merged.message


def test_a_stance_on_a_few_words_absorbs_the_contradiction_on_its_sentence() -> None:
    """One defect, two angles: disallowed-claim points at "generally safe", contradiction at the whole sentence."""
    forbidden = _finding("disallowed-claim", "“generally safe” states a do-not-use claim", column=9, end=23)
    sentence = _finding("contradiction", "this page says minimal-side-effects; the source says …", None)
    assert merge_angles([forbidden, sentence]) == [forbidden]


def test_a_figure_another_rule_judges_is_not_also_an_unverified_statistic() -> None:
    for host_rule in ("disallowed-claim", "contradiction", "unsupported-claim", "figure-mismatch"):
        host = _finding(host_rule, "States what the knowledge base marks do-not-use.")
        figure = _finding("unverified-statistic", "The page says “30 to 100 days”, and no source …", None, 12, 26)
        assert merge_angles([host, figure]) == [host]
    elsewhere = _finding("unverified-statistic", "The page says “6 weeks”", None, 41, 48)
    host = _finding("disallowed-claim", "States what the knowledge base marks do-not-use.")
    assert merge_angles([host, elsewhere]) == [host, elsewhere]


def test_findings_on_other_spans_or_other_claims_stay_apart() -> None:
    unsupported = _finding("unsupported-claim", "No source backs this.", "c1")
    weak_other_claim = _finding("weak-evidence", "Stated as established.", "c2")
    elsewhere = _finding("contradiction", "this page says 95%", None, column=41, end=60)
    mismatch = _finding("figure-mismatch", "The page says 95%.", column=61, end=70)
    found = [unsupported, weak_other_claim, elsewhere, mismatch]
    assert merge_angles(found) == found


def test_an_unsourced_claim_on_a_figure_the_source_gives_otherwise_is_a_note_in_the_mismatch() -> None:
    """ "Each session takes 45 minutes": the sourced study gives 5 days, and an unsourced claim records the 45
    minutes; one defect, judged by the source, with the unsourced claim (and its weak evidence) as one note."""
    mismatch = _finding("figure-mismatch", "The page says 45 min; the study gives 5 days.", "c1")
    unsupported = _finding("unsupported-claim", "No source backs this.", "c2")
    weak = _finding("weak-evidence", "Stated as established, but the evidence is none.", "c2")
    (merged,) = merge_angles([mismatch, unsupported, weak])
    assert merged.rule == "figure-mismatch"
    note = "(Also unsupported-claim: No source backs this.)"
    assert merged.message == f"The page says 45 min; the study gives 5 days. {note}"


def test_risky_words_inside_a_do_not_use_claim_are_its_finding_with_the_words_as_a_note() -> None:
    claim = _finding("disallowed-claim", "Overstated: reviews list serious risks.", "c1")
    words = _finding("disallowed-claim", "Risky wording (absolute safety): “very safe”. Name the risks.", None, 9, 18)
    (merged,) = merge_angles([claim, words])
    note = "(Also Risky wording (absolute safety): “very safe”)"
    assert merged.message == f"Overstated: reviews list serious risks. {note}"


def test_two_risky_wordings_or_two_claims_of_one_rule_stay_apart() -> None:
    first = _finding("disallowed-claim", "Risky wording (guarantees): “guaranteed”.", None, 1, 11)
    second = _finding("disallowed-claim", "Risky wording (absolute safety): “very safe”.", None, 20, 29)
    other_claims = [_finding("disallowed-claim", "Overstated.", "c1"), _finding("disallowed-claim", "No.", "c2", 5, 30)]
    assert merge_angles([first, second]) == [first, second]
    assert merge_angles(other_claims) == other_claims


SOURCES = [
    SourceInfo("okafor-2019", 2019, "Leeds", "Northfield University", "Sleep", "Okafor 2019, Sleep"),
    SourceInfo("brandt-2024", 2024, None, None, "Journal of Sleep Research", "Brandt 2024, J Sleep Res"),
]
RECORDS = [SourceRecord("okafor-2019", 120, "Northfield University", "Okafor", None)]
KB = FakeKnowledge([], SOURCES, RECORDS)


def test_a_one_word_journal_is_a_name_only_when_capitalised() -> None:
    assert [s.id for s in sources_named(KB, "A trial published in Sleep found it.")] == ["okafor-2019"]
    assert sources_named(KB, "It helps people sleep.") == []


def test_a_longer_name_in_any_case_and_the_year_when_given() -> None:
    assert [s.id for s in sources_named(KB, "the journal of sleep research reported it")] == ["brandt-2024"]
    assert sources_named(KB, "A 2020 paper in the Journal of Sleep Research.") == []  # the year rules it out
    assert [s.id for s in sources_named(KB, "Okafor and colleagues found it.")] == ["okafor-2019"]
