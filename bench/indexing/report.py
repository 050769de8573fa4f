"""The table: one column per size, the targets marked."""

from __future__ import annotations

import harness as h

from .measure import (
    BASELINE_RUNS,
    INDEX_RUNS,
    QUERIES,
    REFRESH_RUNS,
    REFRESH_TARGET_MS,
    SEARCH_RUNS,
    SEARCH_TARGET_MS,
    SizeResult,
)


def report(results: list[SizeResult], base: dict[str, float]) -> str:
    sizes = [f"{r.size:>12,}" for r in results]
    lines = [f"{'metric':<46} {'target':>8} " + " ".join(sizes), "-" * (56 + 13 * len(results))]

    def row(name: str, target: str, cells: list[str]) -> None:
        lines.append(f"{name:<46} {target:>8} " + " ".join(f"{cell:>12}" for cell in cells))

    def marked(value: float, target: float, digits: int) -> str:
        return f"{value:.{digits}f} {h.mark(value < target)}"

    row("data on disk (MB)", "", [f"{r.data_mb:.1f}" for r in results])
    row("generate data (s)", "", [f"{r.generate_s:.1f}" for r in results])
    row("first build: kb index (s, 1 run)", "", [f"{r.build_s:.2f}" for r in results])
    row(
        f"no-op refresh in-process (ms, median {REFRESH_RUNS})",
        f"<{REFRESH_TARGET_MS:.0f}",
        [marked(r.refresh_ms, REFRESH_TARGET_MS, 1) for r in results],
    )
    row(f"no-op kb index end to end (ms, median {INDEX_RUNS})", "", [f"{r.index_ms:.0f}" for r in results])
    for query in QUERIES:
        row(f"kb search {query!r}"[:46], "", ["" for _ in results])
        row(
            f"  median of {SEARCH_RUNS} (ms)",
            f"<{SEARCH_TARGET_MS:.0f}",
            [marked(r.search[query][0], SEARCH_TARGET_MS, 0) for r in results],
        )
        row("  p90 (ms)", "", [f"{r.search[query][1]:.0f}" for r in results])
        row("  hits returned", "", [str(r.search[query][2]) for r in results])
    lines.append("-" * (56 + 13 * len(results)))
    for name, value in base.items():
        row(f"{name} (ms, median {BASELINE_RUNS})", "", [f"{value:.0f}"] + [""] * (len(results) - 1))
    lines.append("Targets are the issue's, defined at 100,000 claims; smaller sizes are marked against the same bar.")
    return "\n".join(lines)
