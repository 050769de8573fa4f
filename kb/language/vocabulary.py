"""Subjects as a vocabulary: what `kb contradictions` reads pages with.

Each subject in claims.yaml names its key terms, cues, exclusions, stance phrases or entity type; this module
compiles them, once per process, into stemmed phrase tables keyed by their first stem, so reading a sentence costs
one dictionary look-up per word whatever the number of subjects. It also gathers what the knowledge base knows
about each subject from its sources: the source's own value, and the figures and names that identify a study.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property
from typing import Any

from kb.fastclass import dataclass, field
from kb.language.knowledge import Knowledge
from kb.language.words import Phrase, phrase, stem
from kb.text.quantities import Quantity

_GENERIC_NAME_WORDS = frozenset({"university", "hospital", "college", "medical", "center", "centre", "of", "the"})


@dataclass(frozen=True)
class SourceValue:
    """What the knowledge base's sources say on a subject: a claim its sources support, with its value."""

    claim_id: str
    statement: str
    sources: tuple[str, ...]  # source ids
    cite: str  # "Smith 2018, J Sleep Res"
    quantity: Quantity | None
    stance: str | None
    entity: str | None
    quote: str | None = None  # the first supporting source's verbatim words, to show what the source says


@dataclass(frozen=True)
class Fingerprint:
    """What identifies a study in a sentence: its size, its institution's distinctive words, first authors, and
    the figures of the claims it supports."""

    n: frozenset[int]
    names: tuple[frozenset[str], ...]
    figures: tuple[Quantity, ...]


@dataclass(frozen=True)
class SubjectSpec:
    id: str
    label: str
    kind: str
    dimension: str | None
    detectable: bool
    stances: tuple[str, ...]
    entity_type: str | None
    source: str | None
    relative_to: str | None
    index: int
    terms: tuple[str, ...] = ()  # what a sentence on the subject talks about (also the nouns of an event)


@dataclass(frozen=True, slots=True)
class Entry:
    subject: int  # index into Vocabulary.subjects, or -1 for the treatment lists
    role: str  # alias, term, cue, exclude, about, stance, treatment, other
    words: Phrase
    payload: str = ""  # the stance name for role "stance"


@dataclass
class Vocabulary:
    subjects: list[SubjectSpec]
    entries: dict[str, list[Entry]]  # first stem -> phrases starting with it, longest first
    view: Knowledge
    entity_names: dict[str, dict[str, str]] = field(default_factory=dict)  # type -> folded name -> display
    needs_about: set[int] = field(default_factory=set)  # subjects whose stances must name what they are about
    _values: dict[str, list[SourceValue]] = field(default_factory=dict)
    _fingerprints: dict[str, Fingerprint] = field(default_factory=dict)

    @cached_property
    def entity_subjects(self) -> list[int]:
        """Entity subjects tied to a study: looked for in every sentence that names a study."""
        return [s.index for s in self.subjects if s.detectable and s.kind == "entity"]

    @cached_property
    def by_id(self) -> dict[str, SubjectSpec]:
        return {s.id: s for s in self.subjects}

    def source_values(self, subject: str) -> list[SourceValue]:
        """Claims on `subject` that sources support (not the pages' own claims the sources contradict)."""
        if subject not in self._values:
            found = []
            for claim in self.view.subject_claims(subject):
                if not claim.sourced:
                    continue
                value = claim.value
                cite = "; ".join(self.view.sources[s].short for s in claim.supporting[:2] if s in self.view.sources)
                found.append(
                    SourceValue(
                        claim.id,
                        claim.statement,
                        claim.supporting,
                        cite,
                        claim.quantity,
                        value.get("stance"),
                        value.get("entity"),
                        claim.quotes[0][1] if claim.quotes else None,
                    )
                )
            self._values[subject] = found
        return self._values[subject]

    def known_range(self, subject: str) -> tuple[float, float] | None:
        """The span of every value the knowledge base records on a quantity subject (for relative times)."""
        quantities = [c.quantity for c in self.view.subject_claims(subject) if c.quantity is not None]
        if not quantities:
            return None
        return min(q.low for q in quantities), max(q.high for q in quantities)

    def fingerprint(self, source: str) -> Fingerprint:
        if source not in self._fingerprints:
            self._fingerprints[source] = _fingerprint(self.view, source)
        return self._fingerprints[source]

    @cached_property
    def entity_patterns(self) -> dict[str, re.Pattern[str]]:
        patterns = {}
        for kind, names in self.entity_names.items():
            ordered = sorted(names, key=len, reverse=True)
            if ordered:
                patterns[kind] = re.compile(r"\b(?:" + "|".join(map(re.escape, ordered)) + r")\b")
        return patterns


def _fingerprint(knowledge: Knowledge, source: str) -> Fingerprint:
    # The study and every record that reports it (its abstract, its press release) share one fingerprint.
    records = knowledge.source_records()
    reports = {record.id: record.reports for record in records}
    family = {source}
    changed = True
    while changed:
        changed = False
        for ident, target in reports.items():
            if target in family and ident not in family:
                family.add(ident)
                changed = True
    n: set[int] = set()
    names: list[frozenset[str]] = []
    for record in records:
        if record.id not in family:
            continue
        if record.n:
            n.add(int(record.n))
        if record.institution:
            distinctive = frozenset(phrase(record.institution)) - {stem(w) for w in _GENERIC_NAME_WORDS}
            if distinctive:
                names.append(distinctive)
        if record.first_author:
            names.append(frozenset(phrase(record.first_author)))
    figures = tuple(c.quantity for c in knowledge.claims_supported_by(sorted(family)) if c.quantity is not None)
    return Fingerprint(frozenset(n), tuple(names), figures)


def _add(entries: dict[str, list[Entry]], entry: Entry) -> None:
    if entry.words:
        entries.setdefault(entry.words[0], []).append(entry)


@dataclass(frozen=True)
class SubjectRow:
    """A subject as the index stores it: its columns, with the JSON ones parsed."""

    id: str
    label: str
    kind: str
    dimension: str | None
    aliases: list[str]
    terms: list[str]
    vocabulary: dict[str, Any]


def compile_vocabulary(
    rows: Iterable[SubjectRow], treatments: dict[str, list[str]], knowledge: Knowledge
) -> Vocabulary:
    """The phrase tables of every detectable subject, and the treatment lists (keys `treatment_names` and
    `other_treatments`), keyed by first stem."""
    entries: dict[str, list[Entry]] = {}
    subjects: list[SubjectSpec] = []
    needs_about: set[int] = set()
    for index, row in enumerate(rows):
        extra = row.vocabulary
        stances = extra.get("stances") or {}
        spec = SubjectSpec(
            row.id,
            row.label,
            row.kind,
            row.dimension,
            bool(extra.get("detectable")),
            tuple(stances),
            extra.get("entity_type"),
            extra.get("source"),
            extra.get("relative_to"),
            index,
            tuple(row.terms),
        )
        subjects.append(spec)
        if not spec.detectable:
            continue
        lists: Iterable[tuple[str, list[str]]] = (
            ("alias", row.aliases),
            ("term", row.terms),
            ("cue", extra.get("cues") or []),
            ("exclude", extra.get("exclude") or []),
            ("about", extra.get("about") or []),
        )
        for role, texts in lists:
            for text in texts:
                _add(entries, Entry(index, role, phrase(text)))
        if extra.get("about"):
            needs_about.add(index)
        for stance, texts in stances.items():
            for text in texts:
                _add(entries, Entry(index, "stance", phrase(text), stance))
    for role, key in (("treatment", "treatment_names"), ("other", "other_treatments")):
        for text in treatments.get(key, []):
            _add(entries, Entry(-1, role, phrase(text)))
    for found in entries.values():
        found.sort(key=lambda e: -len(e.words))
    names = {kind: dict(known) for kind, known in knowledge.entities.items()}
    return Vocabulary(subjects, entries, knowledge, names, needs_about)
