"""Conflicts by subject, the report `kb contradictions` prints: page against source (an error) and page against page
(a warning), each value compared once however many pages state it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from kb.language.compare import (
    ValueClass,
    conflict_between,
    describe,
    hedged,
    source_as_value,
    value_classes,
    value_key,
)
from kb.language.values import Statement
from kb.language.vocabulary import SourceValue, SubjectSpec, Vocabulary
from kb.records import Severity


class ConflictKind(str, Enum):
    PAGE_VS_SOURCE = "page-vs-source"
    PAGE_VS_PAGE = "page-vs-page"


SEVERITY = {ConflictKind.PAGE_VS_SOURCE: Severity.ERROR, ConflictKind.PAGE_VS_PAGE: Severity.WARNING}


@dataclass(frozen=True)
class Conflict:
    subject: str
    kind: ConflictKind
    reason: str  # one line
    pages: ValueClass  # the page statements on one side
    other: ValueClass | None  # the page statements on the other side (page vs page)
    source: SourceValue | None  # the source's value (page vs source)

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.kind]


@dataclass(frozen=True)
class SubjectReport:
    subject: SubjectSpec
    statements: tuple[Statement, ...]
    source_values: tuple[SourceValue, ...]
    conflicts: tuple[Conflict, ...]
    classes: tuple[ValueClass, ...] = ()  # the statements grouped by value; conflicts are between these


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
            if hedged(cls.value):
                continue  # "may provide lasting relief" asserts nothing a source could contradict
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
