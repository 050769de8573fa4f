"""Where statements on one subject conflict: across pages, and between a page and the source's own value.

Statements are grouped by subject, then by value, so comparing costs (distinct values)² per subject rather than
(statements)²: ten thousand pages that all say "about an hour" are one value. Two values conflict when their ranges
do not overlap (after the hedges "about", "almost", "up to" have widened them), when they take opposite stances,
or when they name different entities for the same study.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from kb.language.values import StatedValue, Statement
from kb.language.vocabulary import SourceValue, SubjectSpec, Vocabulary, interval_text, unit_scale
from kb.text.normalise import fold

SLACK = 0.03  # ranges that miss each other by under 3% are read as touching (rounding in the prose)


class ConflictKind(str, Enum):
    PAGE_VS_SOURCE = "page-vs-source"
    PAGE_VS_PAGE = "page-vs-page"


SEVERITY = {ConflictKind.PAGE_VS_SOURCE: "error", ConflictKind.PAGE_VS_PAGE: "warning"}


@dataclass(frozen=True)
class ValueClass:
    """Statements that give one value (same interval, stance or entity)."""

    value: StatedValue
    statements: tuple[Statement, ...]
    pages: frozenset[str]

    @classmethod
    def of(cls, statements: Sequence[Statement]) -> ValueClass:
        return cls(statements[0].value, tuple(statements), frozenset(s.page for s in statements))


@dataclass(frozen=True)
class Conflict:
    subject: str
    kind: ConflictKind
    reason: str  # one line
    pages: ValueClass  # the page statements on one side
    other: ValueClass | None  # the page statements on the other side (page vs page)
    source: SourceValue | None  # the source's value (page vs source)

    @property
    def severity(self) -> str:
        return SEVERITY[self.kind]


@dataclass(frozen=True)
class SubjectReport:
    subject: SubjectSpec
    statements: tuple[Statement, ...]
    source_values: tuple[SourceValue, ...]
    conflicts: tuple[Conflict, ...]
    classes: tuple[ValueClass, ...] = ()  # the statements grouped by value; conflicts are between these


def value_key(value: StatedValue) -> tuple[object, ...]:
    if value.entity is not None:
        return ("entity", _name(value.entity))
    if value.stance is not None:
        return ("stance", value.stance)
    if value.low is None or value.high is None:
        return ("unresolved", value.dimension, value.text)  # a relative time with nothing to resolve it against
    return ("quantity", value.dimension, round(value.low, 9), round(value.high, 9))


def _name(entity: str) -> str:
    folded = fold(entity)
    return folded[4:] if folded.startswith("the ") else folded


def overlaps(a: StatedValue, b: StatedValue) -> bool:
    assert a.low is not None and a.high is not None and b.low is not None and b.high is not None
    tops = [abs(x) for x in (a.low, a.high, b.low, b.high) if x != math.inf]
    pad = SLACK * max(tops or [1e-9])
    return a.low - pad <= b.high and b.low - pad <= a.high


def _quantity_reason(a: StatedValue, b: StatedValue) -> str:
    # One unit when the values are of a size ("60 min vs 120–240 min"), each its own when not ("1 h vs 5.1 days").
    shared = unit_scale(a, b)
    left_scale, right_scale = (
        (shared, shared)
        if unit_scale(a) == unit_scale(b) or _close(a, b)
        else (
            unit_scale(a),
            unit_scale(b),
        )
    )
    left = interval_text(a.low, a.high, a.dimension, left_scale)
    right = interval_text(b.low, b.high, b.dimension, right_scale)
    return f"{left} vs {right}: the ranges do not overlap"


def _close(a: StatedValue, b: StatedValue) -> bool:
    tops = [v.high if v.high not in (None, math.inf) else v.low for v in (a, b)]
    small, big = sorted(abs(t or 0.0) for t in tops)
    return big <= 20 * small


def disagree(a: StatedValue, b: StatedValue) -> bool:
    """Whether two values on one subject conflict (`conflict_between` without building the reason)."""
    if a.entity is not None and b.entity is not None:
        return _name(a.entity) != _name(b.entity)
    if a.stance is not None and b.stance is not None:
        return a.stance != b.stance
    if a.is_quantity and b.is_quantity and a.dimension == b.dimension:
        return not overlaps(a, b)
    return False


def conflict_between(a: StatedValue, b: StatedValue) -> str | None:
    """Why two values on one subject conflict, in one line; None when they agree or cannot be compared."""
    if not disagree(a, b):
        return None
    if a.entity is not None and b.entity is not None:
        return f"{a.entity} vs {b.entity} for the same study"
    if a.stance is not None and b.stance is not None:
        return f"{_stance(a)} vs {_stance(b)}: opposite stances"
    return _quantity_reason(a, b)


def _stance(value: StatedValue) -> str:
    return value.stance if value.text == value.stance else f"{value.stance} (“{value.text}”)"


def source_as_value(source: SourceValue, subject: SubjectSpec) -> StatedValue | None:
    """The source's value in the form page statements take; None when pages cannot state it (a stance the
    subject's vocabulary does not name, a figure in another dimension)."""
    if source.entity is not None:
        return StatedValue(source.entity, entity=source.entity)
    if source.stance is not None:
        return StatedValue(source.stance, stance=source.stance) if source.stance in subject.stances else None
    quantity = source.quantity
    if quantity is not None and quantity.dimension == subject.dimension:
        return StatedValue(quantity.text, quantity.low, quantity.high, quantity.dimension, quantity.qualifier)
    return None


def value_classes(statements: Iterable[Statement]) -> list[ValueClass]:
    by_key: dict[tuple[object, ...], list[Statement]] = {}
    for statement in statements:
        by_key.setdefault(value_key(statement.value), []).append(statement)
    return [ValueClass.of(found) for found in by_key.values()]


def _different_pages(a: ValueClass, b: ValueClass) -> bool:
    """Pairs within one page are left out: the issue is pages disagreeing, and a page's own wording is the
    writer's business (`kb check` reports each sentence against the sources anyway)."""
    return len(a.pages) > 1 or len(b.pages) > 1 or a.pages != b.pages


def subject_report(subject: SubjectSpec, statements: Sequence[Statement], vocabulary: Vocabulary) -> SubjectReport:
    classes = value_classes(statements)
    sources = vocabulary.source_values(subject.id)
    conflicts: list[Conflict] = []
    truths = [(source, truth) for source in sources if (truth := source_as_value(source, subject)) is not None]
    for source, truth in truths:
        for cls in classes:
            reason = conflict_between(cls.value, truth)
            if reason is not None:
                said = f"the source ({source.cite or ', '.join(source.sources)}) says {describe(truth)}"
                conflicts.append(
                    Conflict(subject.id, ConflictKind.PAGE_VS_SOURCE, f"{reason}; {said}", cls, None, source)
                )
    ordered = sorted(classes, key=lambda c: (c.value.low or 0.0, c.value.high or 0.0, str(value_key(c.value))))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            reason = conflict_between(a.value, b.value)
            if reason is None or not _different_pages(a, b):
                continue
            if a.value.entity is not None and truths:
                reason += f"; the source says {describe(truths[0][1])}"
            conflicts.append(Conflict(subject.id, ConflictKind.PAGE_VS_PAGE, reason, a, b, None))
    return SubjectReport(subject, tuple(statements), tuple(sources), tuple(conflicts), tuple(classes))


def describe(value: StatedValue, *shown_with: StatedValue) -> str:
    """A value in a few words: the entity, the stance, or the normalised interval in a unit that also suits
    `shown_with` ("Philadelphia", "not-a-cure", "45–60 min")."""
    if value.entity is not None:
        return value.entity
    if value.stance is not None:
        return value.stance
    return interval_text(value.low, value.high, value.dimension, unit_scale(value, *shown_with))


def find_conflicts(statements: Iterable[Statement], vocabulary: Vocabulary) -> list[SubjectReport]:
    """Every subject with statements, page-vs-source conflicts first, then by subject id."""
    by_subject: dict[str, list[Statement]] = {}
    for statement in statements:
        by_subject.setdefault(statement.subject, []).append(statement)
    specs = vocabulary.by_id
    reports = [subject_report(specs[subject], found, vocabulary) for subject, found in by_subject.items()]
    reports.sort(key=lambda r: (_rank(r), r.subject.id))
    return reports


def _rank(report: SubjectReport) -> int:
    kinds = {c.kind for c in report.conflicts}
    if ConflictKind.PAGE_VS_SOURCE in kinds:
        return 0
    return 1 if kinds else 2
