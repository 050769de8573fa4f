"""Stage 1, in a child process: `find_conflicts` on N synthesized statements (median of RUNS), its peak memory, the
shape of what it compared, and the all-pairs baseline."""

from __future__ import annotations

import cProfile
import time
import tracemalloc
from collections.abc import Sequence
from typing import Any

import harness as h

from .synthesis import load_vocabulary, synthesize

RUNS = 5
Record = dict[str, Any]


def profile_text(profiler: cProfile.Profile, title: str, top: int = 18) -> str:
    return "\n".join([f"==== {title}", *h.ranked(profiler, (("cumulative", top), ("tottime", 12)))])


def naive_conflicts(statements: Sequence[Any]) -> tuple[float, int, int, set[tuple[Any, Any]]]:
    """Every pair of statements within a subject, on different pages: seconds, pairs, conflicting pairs, and the
    conflicting pairs of value keys (to check the grouped comparison finds the same)."""
    from kb.language.compare import conflict_between, value_key

    groups: dict[str, list[Any]] = {}
    for statement in statements:
        groups.setdefault(statement.subject, []).append(statement)
    keyed = {subject: [value_key(s.value) for s in found] for subject, found in groups.items()}
    pairs = hits = 0
    found_keys: set[tuple[Any, Any]] = set()
    start = time.perf_counter()
    for subject, group in groups.items():
        keys = keyed[subject]
        for i, a in enumerate(group):
            for j in range(i + 1, len(group)):
                b = group[j]
                if a.page != b.page and conflict_between(a.value, b.value) is not None:
                    hits += 1
                    found_keys.add((subject, *sorted((keys[i], keys[j]), key=repr)))
        pairs += len(group) * (len(group) - 1) // 2
    return time.perf_counter() - start, pairs, hits, found_keys


def grouped_keys(reports: Sequence[Any]) -> set[tuple[Any, Any]]:
    from kb.contradictions.report import ConflictKind
    from kb.language.compare import value_key

    return {
        (c.subject, *sorted((value_key(c.pages.value), value_key(c.other.value)), key=repr))
        for r in reports
        for c in r.conflicts
        if c.kind is ConflictKind.PAGE_VS_PAGE and c.other is not None
    }


def shape(statements: Sequence[Any], reports: Sequence[Any]) -> Record:
    """Subjects, distinct values (the classes compared), value pairs, and conflicts by kind."""
    from kb.contradictions.report import ConflictKind
    from kb.language.compare import value_key

    classes: dict[str, set[Any]] = {}
    for statement in statements:
        classes.setdefault(statement.subject, set()).add(value_key(statement.value))
    conflicts = [c for r in reports for c in r.conflicts]
    return {
        "subjects": len(classes),
        "distinct": sum(len(v) for v in classes.values()),
        "largest_subject": max(((len(v), s) for s, v in classes.items()), default=(0, "")),
        "value_pairs": sum(len(v) * (len(v) - 1) // 2 for v in classes.values()),
        "statement_pairs": sum(
            n * (n - 1) // 2 for n in _counts(statements).values()
        ),  # what the naive comparison would make
        "vs_source": sum(c.kind is ConflictKind.PAGE_VS_SOURCE for c in conflicts),
        "vs_page": sum(c.kind is ConflictKind.PAGE_VS_PAGE for c in conflicts),
    }


def _counts(statements: Sequence[Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for statement in statements:
        counts[statement.subject] = counts.get(statement.subject, 0) + 1
    return counts


def child_compare(size: int, naive: bool, profile: bool, outlier_rate: float) -> Record:
    from kb.contradictions.report import find_conflicts

    start = time.perf_counter()
    vocabulary = load_vocabulary()
    result: Record = {"size": size, "vocabulary_s": time.perf_counter() - start, "base_mb": h.rss_mb()}
    result["outlier_rate"] = outlier_rate
    start = time.perf_counter()
    statements, facts = synthesize(vocabulary, size, outlier_rate=outlier_rate)
    result |= facts | {"synth_s": time.perf_counter() - start, "statements": len(statements)}
    result["detectable"] = sum(s.detectable for s in vocabulary.subjects)
    times = []
    reports: list[Any] = []
    for _ in range(RUNS):
        reports = []  # the previous run's reports are freed before the next run, as in one command
        start = time.perf_counter()
        reports = find_conflicts(statements, vocabulary)
        times.append(time.perf_counter() - start)
    result |= {"times": times, "rss_mb": h.rss_mb()} | shape(statements, reports)
    grouped = grouped_keys(reports)
    del reports
    tracemalloc.start()
    find_conflicts(statements, vocabulary)
    result["traced_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    if naive:
        seconds, pairs, hits, keys = naive_conflicts(statements)
        result["naive"] = {"seconds": seconds, "pairs": pairs, "hits": hits, "agree": keys == grouped}
        if keys != grouped:
            result["naive"]["differ"] = [repr(k) for k in list(keys ^ grouped)[:5]]
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(find_conflicts, statements, vocabulary)
        result["profile"] = profile_text(profiler, f"cProfile of find_conflicts on {len(statements):,} statements")
    return result
