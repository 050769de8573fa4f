"""Match findings to keyed spans: hits, misses, false flags and duplicates, per rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from scoring.keys import ConflictKey, PageKey, Side, Span
from scoring.runs import Finding, Reported, Statement

STATISTIC = "unverified-statistic"
CONFLICTS = "kb contradictions"


@dataclass
class Tally:
    support: int = 0  # wanted spans whose primary rule this is
    recalled: int = 0
    findings: int = 0  # findings of this rule outside acceptable spans
    hits: int = 0

    def add(self, other: Tally) -> None:
        self.support += other.support
        self.recalled += other.recalled
        self.findings += other.findings
        self.hits += other.hits

    @property
    def precision(self) -> float | None:
        return self.hits / self.findings if self.findings else None

    @property
    def recall(self) -> float | None:
        return self.recalled / self.support if self.support else None


@dataclass
class Score:
    rules: dict[str, Tally] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false_flags: list[str] = field(default_factory=list)

    def tally(self, rule: str) -> Tally:
        return self.rules.setdefault(rule, Tally())

    def total(self, *, without: Iterable[str] = ()) -> Tally:
        skip = {CONFLICTS, *without}
        out = Tally()
        for rule, tally in self.rules.items():
            if rule not in skip:
                out.add(tally)
        return out

    def merge(self, other: Score) -> None:
        for rule, tally in other.rules.items():
            self.tally(rule).add(tally)
        self.misses += other.misses
        self.false_flags += other.false_flags


def overlaps(start: int, end: int, span: Span) -> bool:
    return start < span.end and span.start < end


def _where(key: PageKey, start: int) -> str:
    line = key.text.count("\n", 0, start) + 1
    column = start - (key.text.rfind("\n", 0, start) + 1) + 1
    return f"{key.page}:{line}:{column}"


def _accepted(finding: Finding, key: PageKey) -> bool:
    return any(
        overlaps(finding.start, finding.end, span) and (not span.rules or finding.rule in span.rules)
        for span in key.acceptable
    )


def score_checks(keys: list[PageKey], findings: list[Finding], *, without: frozenset[str] = frozenset()) -> Score:
    score = Score()
    by_page: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.rule not in without:
            by_page.setdefault(finding.page, []).append(finding)
    for key in keys:
        wanted = [span for span in key.wanted if span.primary not in without]
        hit: set[int] = set()
        for finding in sorted(by_page.get(key.page, []), key=lambda f: (f.start, f.rule)):
            matching = [
                i
                for i, span in enumerate(wanted)
                if overlaps(finding.start, finding.end, span) and finding.rule in span.rules
            ]
            fresh = [i for i in matching if i not in hit]
            if fresh:
                hit.add(fresh[0])
                score.tally(finding.rule).findings += 1
                score.tally(finding.rule).hits += 1
                continue
            if _accepted(finding, key):
                continue
            score.tally(finding.rule).findings += 1
            why = "duplicate of a finding on the same defect" if matching else "no keyed defect here"
            near = [s for s in wanted if overlaps(finding.start, finding.end, s) and finding.rule not in s.rules]
            if near and not matching:
                why = f"the key wants {', '.join(near[0].rules)} here"
            score.false_flags.append(f"{_where(key, finding.start)} {finding.rule}: {why}. kb: {finding.message[:150]}")
        for i, span in enumerate(wanted):
            tally = score.tally(span.primary)
            tally.support += 1
            if i in hit:
                tally.recalled += 1
            else:
                score.misses.append(f"{_where(key, span.start)} {'/'.join(span.rules)}: “{span.quote}” ({span.why})")
    return score


def _matches(statement: Statement, side: Side) -> bool:
    return side.span is not None and statement.page == side.page and overlaps(statement.start, statement.end, side.span)


def _pair_matches(reported: Reported, a: Side, b: Side) -> bool:
    if reported.b is None:
        return b.claim is not None and reported.claim == b.claim and _matches(reported.a, a)
    if b.claim is not None:
        return False
    return (_matches(reported.a, a) and _matches(reported.b, b)) or (
        _matches(reported.a, b) and _matches(reported.b, a)
    )


def score_conflicts(key: ConflictKey, reported: list[Reported], pages: set[str]) -> Score:
    """Keyed conflicts count when their pages are all among `pages` (the split's)."""
    score = Score()
    tally = score.tally(CONFLICTS)
    in_split = [pair for pair in key.conflicts if {pair.a.page, pair.b.page} - {None} <= pages]
    agree = [pair for pair in key.agree if {pair.a.page, pair.b.page} - {None} <= pages]
    found: set[int] = set()
    for item in reported:
        tally.findings += 1
        matching = [i for i, pair in enumerate(in_split) if _pair_matches(item, pair.a, pair.b)]
        fresh = [i for i in matching if i not in found]
        other = f"{item.b.page}:{item.b.quote[:60]!r}" if item.b else f"claim {item.claim}"
        if fresh:
            found.add(fresh[0])
            tally.hits += 1
            continue
        why = (
            "duplicate"
            if matching
            else (
                "a pair the key says agrees"
                if any(_pair_matches(item, p.a, p.b) for p in agree)
                else "not a keyed conflict"
            )
        )
        score.false_flags.append(f"{item.a.page} {item.a.quote[:60]!r} vs {other} [{item.subject}]: {why}")
    for i, pair in enumerate(in_split):
        tally.support += 1
        if i in found:
            tally.recalled += 1
        else:
            other = f"{pair.b.page} “{pair.b.span.quote}”" if pair.b.span else f"claim {pair.b.claim}"
            assert pair.a.span is not None
            score.misses.append(f"{pair.a.page} “{pair.a.span.quote}” vs {other} ({pair.why})")
    return score
