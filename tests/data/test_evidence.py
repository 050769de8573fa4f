"""The evidence rule: a GRADE-aligned level from the design and size of a claim's supporting sources."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from kb.data.enums import Design, Level, Relation
from kb.data.evidence import BASE, assess, source_level
from kb.data.schema import Claim, EvidenceOverride, Source, SourceLink


def source(ident: str, design: Design, n: int | None = None, reports: str | None = None) -> Source:
    return Source(
        id=ident,
        type="article-journal",
        design=design,
        title=f"Title of {ident}",
        n=n,
        reports=reports,
        verified_at={"title": "VERIFIED: test"},
    )


def claim(*links: SourceLink, override: EvidenceOverride | None = None) -> Claim:
    return Claim(
        id="a-claim",
        statement="Something.",
        subject="a-subject",
        sources=list(links),
        evidence_override=override,
        status="do-not-use",
    )


def by_id(*sources: Source) -> dict[str, Source]:
    return {s.id: s for s in sources}


def link(ident: str, **extra: Any) -> SourceLink:
    return SourceLink(source=ident, **extra)


def test_every_design_has_a_starting_level() -> None:
    assert set(BASE) == set(Design)


def test_rct_starts_high() -> None:
    rct = source("rct", Design.RCT)
    result = assess(claim(link("rct")), by_id(rct))
    assert result.derived is Level.HIGH and result.level is Level.HIGH
    assert any("starts high" in reason for reason in result.reasons)
    assert result.override_rationale is None


def test_large_rct_stays_high() -> None:
    assert source_level(source("rct", Design.RCT, n=500), {})[0] is Level.HIGH


def test_small_rct_loses_one_step() -> None:
    level, reasons, _ = source_level(source("rct", Design.RCT, n=61), {})
    assert level is Level.MODERATE
    assert any("imprecision" in reason for reason in reasons)


def test_tiny_rct_loses_two_steps() -> None:
    level, reasons, _ = source_level(source("rct", Design.RCT, n=8), {})
    assert level is Level.LOW
    assert any("-2 imprecision" in reason for reason in reasons)


def test_boundaries_of_imprecision() -> None:
    assert source_level(source("rct-a", Design.RCT, n=100), {})[0] is Level.HIGH
    assert source_level(source("rct-b", Design.RCT, n=99), {})[0] is Level.MODERATE
    assert source_level(source("rct-c", Design.RCT, n=10), {})[0] is Level.MODERATE


def test_retrospective_cohort_of_61_is_very_low_for_imprecision() -> None:
    study = source("schwenk-2018", Design.RETROSPECTIVE_COHORT, n=61)
    result = assess(claim(link("schwenk-2018")), by_id(study))
    assert result.level is Level.VERY_LOW
    assert any("imprecision" in reason and "61" in reason for reason in result.reasons)
    assert result.cebm == "3-4"


def test_floor_is_very_low_not_no_evidence() -> None:
    assert source_level(source("tiny", Design.RETROSPECTIVE_COHORT, n=3), {})[0] is Level.VERY_LOW


def test_case_series_is_very_low() -> None:
    series = source("series", Design.CASE_SERIES, n=500)
    assert assess(claim(link("series")), by_id(series)).level is Level.VERY_LOW


def test_press_release_takes_the_reported_study_level() -> None:
    rct = source("big-rct", Design.RCT, n=400)
    release = source("release", Design.PRESS_RELEASE, reports="big-rct")
    result = assess(claim(link("release")), by_id(rct, release))
    assert result.level is Level.HIGH
    assert any("no stronger than the study it reports" in reason for reason in result.reasons)
    cohort = source("cohort", Design.RETROSPECTIVE_COHORT, n=61)
    weak = source("weak-release", Design.PRESS_RELEASE, reports="cohort")
    assert assess(claim(link("weak-release")), by_id(cohort, weak)).level is Level.VERY_LOW


def test_press_release_without_a_report_is_very_low() -> None:
    release = source("release", Design.PRESS_RELEASE)
    assert assess(claim(link("release")), by_id(release)).level is Level.VERY_LOW


def test_circular_reports_terminate() -> None:
    first = source("first", Design.NEWS_ARTICLE, reports="second")
    second = source("second", Design.PRESS_RELEASE, reports="first")
    assert source_level(first, by_id(first, second))[0] is Level.VERY_LOW


def test_registry_entry_is_no_evidence() -> None:
    registry = source("nct1", Design.REGISTRY_ENTRY)
    result = assess(claim(link("nct1")), by_id(registry))
    assert result.level is Level.NONE


def test_no_supporting_source_is_no_evidence() -> None:
    result = assess(claim(), {})
    assert result.level is Level.NONE and result.derived is Level.NONE
    assert "no source supports it" in result.reasons[0]


def test_contradicting_and_context_sources_do_not_support() -> None:
    rct = source("rct", Design.RCT, n=400)
    review = source("review", Design.SYSTEMATIC_REVIEW_RCT)
    result = assess(
        claim(link("rct", relation=Relation.CONTRADICTS), link("review", relation=Relation.CONTEXT)), by_id(rct, review)
    )
    assert result.level is Level.NONE
    assert "contradicted by rct" in result.reasons[0]


def test_indirectness_downgrades_one_step() -> None:
    rct = source("rct", Design.RCT)
    result = assess(claim(link("rct", indirectness="adults only; the page is about children")), by_id(rct))
    assert result.level is Level.MODERATE
    assert any("indirectness" in reason and "adults only" in reason for reason in result.reasons)


def test_indirect_registry_stays_no_evidence() -> None:
    registry = source("nct1", Design.REGISTRY_ENTRY)
    assert assess(claim(link("nct1", indirectness="other drug")), by_id(registry)).level is Level.NONE


def test_best_supported_link_wins() -> None:
    series = source("series", Design.CASE_SERIES)
    rct = source("rct", Design.RCT, n=300)
    result = assess(claim(link("series"), link("rct")), by_id(series, rct))
    assert result.level is Level.HIGH
    assert all(reason.startswith("rct:") for reason in result.reasons)


def test_override_changes_level_but_keeps_derived_and_rationale() -> None:
    cohort = source("cohort", Design.RETROSPECTIVE_COHORT, n=61)
    rationale = "Replicated by three later cohorts not yet in the knowledge base."
    result = assess(
        claim(link("cohort"), override=EvidenceOverride(level=Level.LOW, rationale=rationale)), by_id(cohort)
    )
    assert result.level is Level.LOW
    assert result.derived is Level.VERY_LOW
    assert result.override_rationale == rationale
    assert any("imprecision" in reason for reason in result.reasons)


def test_override_needs_a_real_rationale() -> None:
    with pytest.raises(ValidationError, match="rationale"):
        EvidenceOverride(level=Level.HIGH, rationale="because")
    with pytest.raises(ValidationError):
        EvidenceOverride(level="excellent", rationale="x" * 40)  # type: ignore[arg-type]
