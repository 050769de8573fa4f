"""The evidence-strength rule: a GRADE-aligned level derived from the design and size of a claim's sources.

Documented in docs/evidence.md; the tables here are the single source of that document's numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kb.data.enums import Design, Level, Relation
from kb.data.schema import LEVEL_ORDER, Claim, Source

# design -> (starting GRADE level, Oxford CEBM 2011 level for treatment questions, why)
BASE: dict[Design, tuple[Level, str, str]] = {
    Design.SYSTEMATIC_REVIEW_RCT: (Level.HIGH, "1", "systematic review of randomised trials"),
    Design.RCT: (Level.HIGH, "2", "randomised controlled trial"),
    Design.SYSTEMATIC_REVIEW_OBS: (Level.MODERATE, "1 (prevalence) / 3", "systematic review of observational studies"),
    Design.CONSENSUS_GUIDELINE: (Level.MODERATE, "1-5 (graded per statement)", "multi-society consensus guideline"),
    Design.PROSPECTIVE_COHORT: (Level.LOW, "3", "observational study (prospective cohort)"),
    Design.RETROSPECTIVE_COHORT: (Level.LOW, "3-4", "observational study (retrospective analysis)"),
    Design.ORGANISATION_FACT_SHEET: (Level.LOW, "n/a", "patient-organisation summary of survey data"),
    Design.HISTORICAL_REVIEW: (Level.LOW, "n/a", "historical review (fit for historical facts only)"),
    Design.CASE_SERIES: (Level.VERY_LOW, "4", "case series"),
    Design.NARRATIVE_REVIEW: (Level.VERY_LOW, "5", "narrative review (expert synthesis)"),
    Design.EXPERT_OPINION: (Level.VERY_LOW, "5", "expert opinion"),
    Design.ENCYCLOPEDIA: (Level.VERY_LOW, "n/a", "encyclopedia entry"),
    Design.COMMERCIAL_DIRECTORY: (Level.VERY_LOW, "n/a", "commercial price guide"),
    Design.REGISTRY_ENTRY: (Level.NONE, "n/a", "trial registration (reports no results)"),
    # These three take the level of the study they report (see `source_level`).
    Design.CONFERENCE_ABSTRACT: (Level.VERY_LOW, "as reported study", "conference abstract"),
    Design.PRESS_RELEASE: (Level.VERY_LOW, "as reported study", "press release"),
    Design.NEWS_ARTICLE: (Level.VERY_LOW, "as reported study", "news article"),
}
REPORTING = {Design.CONFERENCE_ABSTRACT, Design.PRESS_RELEASE, Design.NEWS_ARTICLE}
STUDIES = {Design.RCT, Design.PROSPECTIVE_COHORT, Design.RETROSPECTIVE_COHORT}
SMALL_STUDY = 100  # participants: below this a single study is downgraded for imprecision
TINY_STUDY = 10  # below this any study is downgraded for imprecision
_BY_ORDER = {order: level for level, order in LEVEL_ORDER.items()}


@dataclass(frozen=True)
class Assessment:
    """A claim's evidence label: derived level, effective level (after any override) and the reasons."""

    derived: Level
    level: Level
    reasons: tuple[str, ...]
    cebm: str
    override_rationale: str | None = None


def _down(level: Level, steps: int) -> Level:
    if level is Level.NONE:
        return level
    return _BY_ORDER[max(LEVEL_ORDER[Level.VERY_LOW], LEVEL_ORDER[level] - steps)]


def source_level(source: Source, sources: Mapping[str, Source], depth: int = 0) -> tuple[Level, list[str], str]:
    """Level of one source on its own, with reasons and its CEBM level."""
    base, cebm, why = BASE[source.design]
    reasons = [f"{source.id}: {why} starts {base.value}"]
    reported = sources.get(source.reports or "")
    if source.design in REPORTING and reported is not None and depth < 5:
        level, inner, cebm = source_level(reported, sources, depth + 1)
        return level, [f"{source.id}: {why}, no stronger than the study it reports", *inner], cebm
    level = base
    if source.design in STUDIES and source.n is not None:
        if source.n < TINY_STUDY:
            level = _down(level, 2)
            reasons.append(f"{source.id}: -2 imprecision (n={source.n} < {TINY_STUDY})")
        elif source.n < SMALL_STUDY:
            level = _down(level, 1)
            reasons.append(f"{source.id}: -1 imprecision (n={source.n} < {SMALL_STUDY})")
    return level, reasons, cebm


def assess(claim: Claim, sources: Mapping[str, Source]) -> Assessment:
    """Derive the claim's level from its supporting sources; the best-supported link wins."""
    best: tuple[Level, list[str], str] | None = None
    for link in claim.sources:
        source = sources.get(link.source)
        if link.relation is not Relation.SUPPORTS or source is None:
            continue
        level, reasons, cebm = source_level(source, sources)
        if link.indirectness:
            level = _down(level, 1)
            reasons = [*reasons, f"{source.id}: -1 indirectness ({link.indirectness})"]
        if best is None or LEVEL_ORDER[level] > LEVEL_ORDER[best[0]]:
            best = (level, reasons, cebm)
    if best is None:
        against = [link.source for link in claim.sources if link.relation is Relation.CONTRADICTS]
        why = "no source supports it (the page's own assertion)"
        reasons_none = [why + (f"; contradicted by {', '.join(against)}" if against else "")]
        best = (Level.NONE, reasons_none, "n/a")
    derived, reasons, cebm = best
    override = claim.evidence_override
    if override is None:
        return Assessment(derived, derived, tuple(reasons), cebm)
    return Assessment(derived, override.level, tuple(reasons), cebm, override.rationale)
