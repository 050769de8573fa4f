"""Input models: the shape of `data/sources.yaml`, `data/claims.yaml` and `data/pages.yaml`.

These pydantic models validate what curators write. They are not the database tables (see `tables.py`)
and not the result records the query side returns (see `records.py`).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from kb.data.enums import Design, Level, Qualifier, Relation, Status, ValueKind, Verdict
from kb.text.levels import LEVEL_RANK

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*[a-z0-9]$"

# Bounds on numbers, so that nonsense is a validation problem and not an overflow in the index (SQLite integers are
# 64-bit) or a figure that breaks comparisons. Generous: no real value comes near them.
MAX_MAGNITUDE = 1e15  # a figure or claim value: money in dollars, people, doses, percentages, durations
MAX_SAMPLE = 10**9  # a study's sample size `n`
YEARS = (1000, 2100)  # the year of `issued`
Number = Annotated[float, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE, allow_inf_nan=False)]


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt field must not silently vanish from a citation database."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


LEVEL_ORDER: dict[Level, int] = {Level(name): rank for name, rank in LEVEL_RANK.items()}


# ---------------------------------------------------------------- sources


class Author(Strict):
    family: str = Field(min_length=1)
    given: str | None = None


class Figure(Strict):
    """A number a finding states, in structured form, so searches and checks can compare it."""

    value: Number | None = None
    low: Number | None = None
    high: Number | None = None
    unit: str = Field(min_length=1)
    what: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Figure:
        if self.value is None and (self.low is None or self.high is None):
            raise ValueError("a figure needs `value`, or both `low` and `high`")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"a figure's low {self.low:g} is above its high {self.high:g}")
        return self


class Finding(Strict):
    id: str = Field(pattern=ID_PATTERN)
    quote: str = Field(min_length=1, description="verbatim, as the source words it")
    locator: str | None = Field(default=None, description="where in the source: abstract, Results; page 4")
    figures: list[Figure] = Field(default=[], description="the numbers the quote states, structured")


class Source(Strict):
    id: str = Field(pattern=ID_PATTERN)
    type: Literal[
        "article-journal", "paper-conference", "report", "webpage", "dataset", "entry-encyclopedia", "article"
    ]
    design: Design
    title: str = Field(min_length=1)
    authors: list[Author] = []
    authors_incomplete: bool = False
    organisation: str | None = None
    container_title: str | None = None
    container_title_short: str | None = None
    issued: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY[-MM[-DD]]")
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    article_number: str | None = None
    doi: str | None = Field(default=None, description="only a verified value, with its `verified_at` entry")
    pmid: str | None = Field(default=None, description="only a verified value, with its `verified_at` entry")
    pmcid: str | None = Field(default=None, description="only a verified value, with its `verified_at` entry")
    nct: str | None = Field(default=None, description="only a verified value, with its `verified_at` entry")
    issn: list[str] = []
    url: str | None = None
    accessed: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="the day `url` was read")
    n: StrictInt | None = Field(default=None, ge=1, le=MAX_SAMPLE, description="sample size")
    setting: str | None = None
    institution: str | None = None
    city: str | None = None
    proper_nouns: list[str] = Field(
        default=[], description="names in the title that keep their capitals in sentence case"
    )
    reports: str | None = Field(default=None, description="id of the study a press release or abstract reports")
    verified_at: dict[str, str] = Field(
        default={}, description="field -> where it was verified; one per identifier given"
    )
    unverified: list[str] = Field(default=[], description="fields left out because no record showed them")
    notes: str | None = None
    findings: list[Finding] = Field(default=[], description="what the source says, as verbatim quotes")

    @field_validator("issued", "accessed")
    @classmethod
    def _real_date(cls, issued: str | None) -> str | None:
        """`2018-13` or `0000` match the pattern but are no date a source was issued or read on."""
        if issued is None:
            return None
        parts = [int(part) for part in issued.split("-")]
        if not YEARS[0] <= parts[0] <= YEARS[1]:
            raise ValueError(f"year {parts[0]} is outside {YEARS[0]}-{YEARS[1]}")
        try:
            datetime.date(parts[0], *(parts[1:] + [1, 1])[:2])
        except ValueError:
            raise ValueError(f"{issued!r} is not a calendar date") from None
        return issued


class SourcesFile(Strict):
    sources: list[Source] = []


# ---------------------------------------------------------------- pages


class Page(Strict):
    id: str = Field(pattern=ID_PATTERN)
    file: str = Field(min_length=1, description="path relative to the data folder")
    seed_file: str = Field(description="where the copy came from")
    publisher: str
    title: str
    location: str | None = None
    url: str | None = None
    notes: str | None = None


class PagesFile(Strict):
    pages: list[Page] = []


# ---------------------------------------------------------------- subjects and claims


class Subject(Strict):
    id: str = Field(pattern=ID_PATTERN)
    label: str = Field(min_length=1)
    kind: ValueKind
    # One of docs/data-format.md's dimensions, or one a knowledge base declares with its own unit (`units.words`).
    dimension: str | None = Field(default=None, pattern=r"^[a-z][a-z-]*$")
    aliases: list[str] = Field(default=[], description="phrases that name the subject on their own")
    terms: list[str] = Field(default=[], description="key terms: what a sentence about the subject talks about")
    # What `kb contradictions` reads (docs/data-format.md, "Subjects as a vocabulary"):
    cues: list[str] = Field(default=[], description="words that say which aspect of the terms a sentence gives")
    exclude: list[str] = Field(default=[], description="phrases showing a sentence is about something else")
    stances: dict[str, list[str]] = Field(default={}, description="stance name -> phrases that take it (2 stances)")
    about: list[str] = Field(default=[], description="what a stance must be about (a sentence must name one)")
    entity_type: Literal["city", "journal", "institution"] | None = None
    source: str | None = Field(default=None, description="the study an entity subject is about")
    relative_to: str | None = Field(default=None, description="subject that times 'as soon as the session ends'")

    @model_validator(mode="after")
    def _dimension_for_quantities(self) -> Subject:
        if self.kind is ValueKind.QUANTITY and self.dimension is None:
            raise ValueError("a quantity subject needs a `dimension`")
        if self.stances and self.kind is ValueKind.ENTITY:
            raise ValueError("an entity subject takes no `stances`")
        if (self.entity_type or self.source) and self.kind is not ValueKind.ENTITY:
            raise ValueError("only an entity subject takes `entity_type` and `source`")
        if self.kind is ValueKind.ENTITY and self.source and not self.entity_type:
            raise ValueError("an entity subject with a `source` needs an `entity_type`")
        return self

    @property
    def detectable(self) -> bool:
        """Whether `kb contradictions` looks for this subject in page text."""
        if self.kind is ValueKind.QUANTITY:
            return bool(self.terms and self.cues) or bool(self.stances)
        if self.kind is ValueKind.STANCE:
            return bool(self.stances)
        return bool(self.entity_type and self.source)


class Value(Strict):
    """A claim's value: a number or range with unit and qualifier, a stance, or a named entity."""

    kind: ValueKind
    value: Number | None = None
    low: Number | None = None
    high: Number | None = None
    unit: str | None = None
    qualifier: Qualifier = Qualifier.EXACT
    stance: str | None = None
    entity: str | None = None
    entity_type: str | None = None

    @model_validator(mode="after")
    def _fields_match_kind(self) -> Value:
        numeric = self.value is not None or self.low is not None or self.high is not None
        if self.kind is ValueKind.QUANTITY:
            if not numeric or self.unit is None:
                raise ValueError("a quantity value needs `unit` and `value` (or `low`/`high`)")
            if self.stance or self.entity:
                raise ValueError("a quantity value takes no `stance` or `entity`")
        elif self.kind is ValueKind.STANCE:
            if not self.stance or numeric or self.entity:
                raise ValueError("a stance value needs `stance` and nothing else")
        elif not self.entity or numeric or self.stance:
            raise ValueError("an entity value needs `entity` and nothing else")
        return self


class SourceLink(Strict):
    source: str = Field(description="id of a source in sources.yaml")
    finding: str | None = Field(default=None, description="id of the source's finding the quote is part of")
    locator: str | None = None
    quote: str | None = Field(default=None, description="verbatim, part of the finding (or of a finding or the title)")
    relation: Relation = Relation.SUPPORTS
    indirectness: str | None = Field(default=None, description="why this source only indirectly bears on the claim")

    @field_validator("quote")
    @classmethod
    def _quote_not_blank(cls, quote: str | None) -> str | None:
        if quote is not None and not quote.strip():
            raise ValueError("a source quote may not be empty; leave `quote` out instead")
        return quote


class EvidenceOverride(Strict):
    level: Level
    rationale: str = Field(min_length=20, description="why the curator departs from the derived level")


class Mention(Strict):
    page: str = Field(description="id of a page in pages.yaml")
    quote: str = Field(min_length=1, description="verbatim, as the page writes it (typos included)")
    attribution: str | None = Field(default=None, description="who or what the page credits the claim to")
    verdict: Verdict
    note: str = Field(min_length=1, description="why the verdict: what the page says against what the source says")


class Claim(Strict):
    id: str = Field(pattern=ID_PATTERN)
    statement: str = Field(min_length=1, description="the claim, canonical and neutral")
    subject: str = Field(description="id of a subject in `subjects`")
    value: Value | None = None
    sources: list[SourceLink] = Field(default=[], description="the sources that bear on the claim")
    evidence_override: EvidenceOverride | None = None
    status: Status
    approved_wording: str | None = Field(default=None, description="what writers may say; needed unless do-not-use")
    caveats: list[str] = Field(default=[], description="what must go with the wording; needed for use-with-caveat")
    mentions: list[Mention] = Field(default=[], description="where registered pages state the claim, and how well")
    tags: list[str] = []

    @model_validator(mode="after")
    def _wording_unless_banned(self) -> Claim:
        if self.status is not Status.DO_NOT_USE and not self.approved_wording:
            raise ValueError("a claim writers may use needs `approved_wording`")
        if self.status is Status.CAVEAT and not self.caveats:
            raise ValueError("a `use-with-caveat` claim needs at least one caveat")
        return self


class Scope(Strict):
    terms: list[str] = Field(
        default=[], description="the conditions or uses the claims apply to: a sentence naming one is in scope"
    )
    outside: list[str] = Field(
        default=[], description="other conditions or uses: a page or sentence about them alone is out of scope"
    )


class UnitWord(Strict):
    word: str = Field(min_length=1, description="the unit as pages write it: U, IU, puffs")
    dimension: str = Field(pattern=r"^[a-z][a-z-]*$", description="what it measures; figures compare within one")
    factor: float = Field(default=1.0, gt=0, description="how many of the dimension's base unit one is")


class Units(Strict):
    counted: list[str] = Field(default=[], description="nouns a bare number counts: 6 sessions, 24 capsules")
    words: list[UnitWord] = Field(default=[], description="units of this knowledge base's own")


class ClaimsFile(Strict):
    scope: Scope = Scope()
    units: Units = Units()
    risky_wording: dict[str, list[str]] = Field(
        default={}, description="category -> phrases: risky wording of this topic, added to the shipped list"
    )
    treatment_names: list[str] = Field(default=[], description="names of the treatment the pages are about")
    other_treatments: list[str] = Field(default=[], description="other treatments: sentences about them are skipped")
    subjects: list[Subject] = []
    claims: list[Claim] = []
