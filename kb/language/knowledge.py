"""What the language layer may ask of the knowledge base, and the small records it gets back.

`Knowledge` is the one interface between reading sentences and the stored claims: matching, the subject
vocabulary and the checks ask it for candidates, claims, sources, names and stored statements, and never see SQL.
`kb.store.knowledge.KnowledgeView` implements it over the index; tests implement it in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any, Protocol

from kb.fastclass import dataclass
from kb.language.scope import ScopeTerms
from kb.language.values import Statement
from kb.text.levels import LEVEL_RANK
from kb.text.normalise import fold
from kb.text.quantities import Quantity, from_value
from kb.text.units import GENERIC, UnitTable


@dataclass(frozen=True)
class MentionInfo:
    page: str
    quote: str  # folded
    raw_quote: str
    verdict: str
    note: str
    attribution: str | None


@dataclass(frozen=True)
class ClaimInfo:
    rowid: int
    id: str
    subject: str
    statement: str
    head: str
    status: str
    level: str
    value: dict[str, Any]
    approved_wording: str | None
    caveats: tuple[str, ...]
    supporting: tuple[str, ...]  # source ids with relation "supports"
    mentions: tuple[MentionInfo, ...]
    weight: float  # summed idf of the claim's distinct words
    units: UnitTable = GENERIC
    quotes: tuple[tuple[str, str], ...] = ()  # (source id, verbatim quote) of each supporting source link

    @cached_property
    def quantity(self) -> Quantity | None:
        value = self.value
        if value.get("kind") != "quantity" or not value.get("unit"):
            return None
        low = value.get("low", value.get("value"))
        high = value.get("high", value.get("value"))
        if low is None or high is None:
            return None
        return from_value(float(low), float(high), value["unit"], value.get("qualifier", "exact"), self.units)

    @property
    def sourced(self) -> bool:
        return bool(self.supporting) and LEVEL_RANK[self.level] > 0


@dataclass(frozen=True)
class SourceInfo:
    id: str
    year: int | None
    city: str | None
    institution: str | None
    journal: str | None
    short: str  # "Smith 2018, J Sleep Res"


@dataclass(frozen=True)
class SourceRecord:
    """A source as the study fingerprint needs it: its size, institution, first author and what it reports."""

    id: str
    n: int | None
    institution: str | None
    first_author: str | None
    reports: str | None  # the source this one reports on (a press release of a study), if any


class Knowledge(Protocol):
    """The knowledge base as the language layer reads it. Every method may be memoised by the implementation."""

    @property
    def sources(self) -> dict[str, SourceInfo]: ...

    @property
    def entities(self) -> dict[str, dict[str, str]]:
        """Known names by type ("city", "journal", "institution"): folded name -> display name."""
        ...

    def named_entities(self, folded: str) -> dict[str, list[str]]:
        """The known names a folded sentence contains, by type."""
        ...

    def selective_terms(self, words: list[str]) -> dict[int, float]:
        """Term id -> idf for the words rare enough to select claims."""
        ...

    def candidates(self, quantities: list[Quantity], term_ids: list[int]) -> tuple[dict[int, float], set[int]]:
        """Claims sharing a selective word (summed idf) or a figure with a sentence, and those found by figure."""
        ...

    def claims(self, rowids: list[int]) -> list[ClaimInfo]: ...

    def figures_like(self, quantity: Quantity) -> list[tuple[ClaimInfo, Quantity]]:
        """Claims that state a figure overlapping `quantity` (their value or a figure in their wording), with it."""
        ...

    @property
    def source_figures(self) -> dict[str | None, tuple[Quantity, ...]]:
        """The figures the sources' findings give, and each source's sample size, in base units, by dimension."""
        ...

    def figure_sources(self, dimension: str) -> tuple[tuple[str, Quantity], ...]:
        """(source id, figure) for every figure of one dimension the sources give (findings, titles, sizes)."""
        ...

    def subject_claims(self, subject: str) -> list[ClaimInfo]: ...

    def source_records(self) -> Sequence[SourceRecord]: ...

    def claims_supported_by(self, source_ids: Sequence[str]) -> list[ClaimInfo]:
        """Claims that any of the sources supports, in storage order."""
        ...

    def stored_statements(self, subject: str) -> list[Statement]:
        """What the registered pages state on a subject, as compiled into the index."""
        ...

    def subject_words(self, subject: str) -> tuple[str, ...]:
        """A subject's aliases and key terms, folded: what a sentence on it talks about."""
        ...

    @property
    def risky_wording(self) -> dict[str, str]:
        """The knowledge base's own risky phrases (folded) -> their categories, added to the shipped list."""
        ...

    @property
    def units(self) -> UnitTable:
        """The units figures are read with: the generic ones and the knowledge base's own."""
        ...

    @property
    def scope(self) -> ScopeTerms:
        """The conditions or uses the claims apply to, and the others (kb.language.scope)."""
        ...

    def page_files(self) -> list[tuple[str, str]]:
        """(page id, file relative to the data folder) of every registered page."""
        ...


def claim_info(rowid: int, head: str, record: dict[str, Any], weight: float, units: UnitTable = GENERIC) -> ClaimInfo:
    mentions = tuple(
        MentionInfo(m["page"], fold(m["quote"]), m["quote"], m["verdict"], m["note"], m.get("attribution"))
        for m in record.get("mentions", [])
    )
    supporting = tuple(
        dict.fromkeys(
            link["source"] for link in record.get("sources", []) if link.get("relation", "supports") == "supports"
        )
    )
    return ClaimInfo(
        rowid,
        record["id"],
        record["subject"],
        record["statement"],
        head,
        record["status"],
        record["evidence"]["level"],
        record.get("value") or {},
        record.get("approved_wording"),
        tuple(record.get("caveats", [])),
        supporting,
        mentions,
        weight,
        units,
        tuple(
            (link["source"], link.get("quote") or "")
            for link in record.get("sources", [])
            if link.get("relation", "supports") == "supports"
        ),
    )
