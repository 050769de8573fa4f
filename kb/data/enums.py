"""The closed vocabularies of the data files (study designs, evidence levels, statuses, verdicts, qualifiers, value
kinds, source relations) as plain enums: no pydantic, so the read side can use them cheaply."""

from __future__ import annotations

from enum import Enum


class Design(str, Enum):
    """What kind of evidence a source is. Drives the evidence-strength rule in `evidence.py`."""

    SYSTEMATIC_REVIEW_RCT = "systematic-review-of-rcts"
    SYSTEMATIC_REVIEW_OBS = "systematic-review-of-observational"
    RCT = "rct"
    PROSPECTIVE_COHORT = "prospective-cohort"
    RETROSPECTIVE_COHORT = "retrospective-cohort"
    CASE_SERIES = "case-series"
    CONSENSUS_GUIDELINE = "consensus-guideline"
    NARRATIVE_REVIEW = "narrative-review"
    EXPERT_OPINION = "expert-opinion"
    CONFERENCE_ABSTRACT = "conference-abstract"
    REGISTRY_ENTRY = "registry-entry"
    PRESS_RELEASE = "press-release"
    NEWS_ARTICLE = "news-article"
    ORGANISATION_FACT_SHEET = "organisation-fact-sheet"
    ENCYCLOPEDIA = "encyclopedia"
    COMMERCIAL_DIRECTORY = "commercial-directory"
    HISTORICAL_REVIEW = "historical-review"


class Level(str, Enum):
    """GRADE-aligned certainty of evidence, plus "no-evidence" for claims that rest on nothing."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very-low"
    NONE = "no-evidence"


class Status(str, Enum):
    """What a writer may do with a claim."""

    APPROVED = "approved"
    CAVEAT = "use-with-caveat"
    DO_NOT_USE = "do-not-use"


class Verdict(str, Enum):
    """How faithfully a page states a claim."""

    ACCURATE = "accurate"
    OVERSTATED = "overstated"
    UNDERSTATED = "understated"
    MISATTRIBUTED = "misattributed"
    MISQUOTED = "misquoted"
    UNSUPPORTED = "unsupported"
    CONTRADICTED = "contradicted"


class Qualifier(str, Enum):
    """The hedge that travels with a figure: "almost 75 percent" is a little under 75."""

    EXACT = "exact"
    ABOUT = "about"
    ALMOST = "almost"
    UP_TO = "up-to"
    AT_LEAST = "at-least"
    MORE_THAN = "more-than"
    LESS_THAN = "less-than"


class ValueKind(str, Enum):
    QUANTITY = "quantity"
    STANCE = "stance"
    ENTITY = "entity"


class Relation(str, Enum):
    """How a source bears on a claim. Only `supports` links count towards the evidence label."""

    SUPPORTS = "supports"
    CONTRADICTS = "contradicts"
    CONTEXT = "context"
