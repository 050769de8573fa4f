"""The report: the comparison table, growth from the smallest to the largest size, the all-pairs baseline, reading,
and `kb contradictions` end to end."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

import harness as h
from corpus.statements import OUTLIER_RATE, STATEMENTS_PER_PAGE

from .compare import RUNS
from .stages import CLI_TIMEOUT_S, Setup

SECONDS_TARGET = 5.0
MB_TARGET = 500.0
TARGET_SIZE = 100_000
LINEAR_SLACK = 1.25  # per-statement time at the largest size may exceed that at the smallest by 25%
Record = dict[str, Any]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def compare_rows(results: Sequence[Record]) -> list[str]:
    header = (
        f"{'statements':>10} {'pages':>6} {'outl':>4} {'subj':>4} {'values':>6} {'val pairs':>9} {'conflicts':>9} "
        f"{'src/page':>11} {'median s':>8} {'min-max s':>11} {'us/stmt':>7} {'peak MB':>7} {'traced MB':>9}  target"
    )
    lines = h.ruled(header)
    for r in results:
        seconds = median(r["times"])
        spread = f"{min(r['times']):.3f}-{max(r['times']):.3f}"
        target = ""
        if r["statements"] == TARGET_SIZE:
            ok = seconds < SECONDS_TARGET and r["rss_mb"] < MB_TARGET
            target = f"<{SECONDS_TARGET:g} s, <{MB_TARGET:g} MB {h.mark(ok)}"
        lines.append(
            f"{r['statements']:>10,} {r['pages']:>6,} {r['outlier_rate']:>4.0%} {r['subjects']:>4} {r['distinct']:>6,} "
            f"{r['value_pairs']:>9,} {r['vs_source'] + r['vs_page']:>9,} {r['vs_source']:>5,}/{r['vs_page']:<5,} "
            f"{seconds:>8.3f} {spread:>11} "
            f"{1e6 * seconds / r['statements']:>7.2f} {r['rss_mb']:>7.0f} {r['traced_mb']:>9.1f}  {target}"
        )
    return lines


def growth_rows(results: Sequence[Record]) -> list[str]:
    if len(results) < 2:
        return []
    small, large = results[0], results[-1]
    ratio_n = large["statements"] / small["statements"]
    ratio_t = median(large["times"]) / median(small["times"])
    per = [1e6 * median(r["times"]) / r["statements"] for r in (small, large)]
    return [
        f"growth {small['statements']:,} -> {large['statements']:,} statements (x{ratio_n:g}): time x{ratio_t:.2f} "
        f"(linear x{ratio_n:g}, all pairs x{ratio_n**2:g}); per statement {per[0]:.2f} -> {per[1]:.2f} us "
        f"(x{per[1] / per[0]:.2f}; near linear if <= x{LINEAR_SLACK:g}) {h.mark(per[1] / per[0] <= LINEAR_SLACK)}",
        f"  distinct values x{large['distinct'] / small['distinct']:.2f}, value pairs compared "
        f"x{large['value_pairs'] / max(small['value_pairs'], 1):.2f}, statement pairs (all pairs) "
        f"x{large['statement_pairs'] / small['statement_pairs']:.1f}; most values at {large['statements']:,}: "
        f"{large['largest_subject'][1]}, {large['largest_subject'][0]:,}",
    ]


def naive_rows(results: Sequence[Record]) -> list[str]:
    measured = next((r for r in results if "naive" in r), None)
    if measured is None:
        return []
    naive = measured["naive"]
    per_pair = naive["seconds"] / naive["pairs"]
    grouped = median(measured["times"])
    agree = "the same" if naive["agree"] else f"DIFFERENT (e.g. {naive.get('differ')})"
    lines = [
        "baseline, all pairs of statements within a subject (conflict_between on each pair on different pages), "
        f"measured at {measured['statements']:,} statements:",
        f"  {naive['pairs']:,} pairs in {naive['seconds']:.2f} s ({1e9 * per_pair:.0f} ns/pair), {naive['hits']:,} "
        f"conflicting statement pairs, {agree} conflicting value pairs as find_conflicts; grouping by value is "
        f"x{naive['seconds'] / grouped:,.0f} faster",
    ]
    for r in results:
        if r is not measured and r["outlier_rate"] == measured["outlier_rate"]:
            estimate = per_pair * r["statement_pairs"]
            lines.append(
                f"  {r['statements']:,} statements: {r['statement_pairs']:,} pairs, ~{estimate:,.0f} s extrapolated "
                f"(grouped: {median(r['times']):.3f} s, x{estimate / median(r['times']):,.0f} faster)"
            )
    return lines


def read_rows(read: Record) -> list[str]:
    total = read["read_s"] + read["statements_s"]
    conflicts = read["vs_source"] + read["vs_page"]
    lines = [
        f"reading {read['pages']:,} pages ({read['mb']:.1f} MB) in one process: {read['statements']:,} statements in "
        f"{total:.1f} s ({read['pages'] / total:,.0f} pages/s; read_path {read['read_s']:.1f} s, document_statements "
        f"{read['statements_s']:.1f} s), then find_conflicts {read['compare_s']:.3f} s: {conflicts:,} conflicts on "
        f"{read['distinct']:,} values; peak {read['rss_mb']:.0f} MB",
        f"  the same pages synthesized as in the comparison stage: {read['synthesized']:,} statements, "
        + (
            "identical (page, line, subject, value) to reading"
            if read["same_statements"]
            else f"DIFFERENT from reading, e.g. {read.get('differ')}"
        ),
    ]
    render = read.get("render") or {}
    if "failed" in render:
        lines.append(f"  render_json in-process: {render['failed']} (process peak {render['rss_mb']:,.0f} MB)")
    elif render:
        lines.append(
            f"  render_json in-process: {render['seconds']:.2f} s, {render['mb']:.1f} MB of JSON; process peak then "
            f"{render['rss_mb']:,.0f} MB"
        )
    return lines


def cli_rows(runs: Sequence[Record], note: str, memory_gb: float) -> list[str]:
    if not runs:
        return [note] if note else []
    lines = [f"kb contradictions end to end (address space capped at {memory_gb:g} GB, {CLI_TIMEOUT_S:.0f} s):"]
    for r in runs:
        summary = r["summary"]
        said = (
            f", {summary.get('statements', 0):,} statements, {summary.get('conflicts', 0):,} conflicts"
            if summary
            else ""
        )
        failed = ""
        if r["rc"] != 0 or not summary:  # --fail-on none: any exit but 0 is a failure
            last = [line for line in r["stderr"].splitlines() if line.strip()][-1:] or [""]
            failed = f" FAILED ({r['rc']}: {last[0][:120]})"
        lines.append(
            f"  {r['pages']:>6,} pages: {r['command']}: exit {r['rc']}, wall {r['wall']:.1f} s, cpu {r['cpu']:.1f} s, "
            f"peak {r['maxrss_kb'] / 1024:,.0f} MB (largest process), output {r['out_mb']:.1f} MB{said}{failed}"
        )
    return lines


def report(
    setup: Setup, results: Sequence[Record], read: Record | None, cli: Sequence[Record], note: str, memory_gb: float
) -> str:
    sources = list(dict.fromkeys([*(r["kb_source"] for r in [*results, *([read] if read else [])]), h.kb_source()]))
    lines = [
        h.machine(),
        f"kb source measured: {sources[0]}; data: a snapshot of data/, indexed in {setup.index_s:.1f} s "
        "(not in the figures)",
    ]
    if len(sources) > 1:
        lines.append(
            f"WARNING: kb/ changed during the run ({len(sources)} versions); rows are not comparable: {sources}"
        )
    main_rows = [r for r in results if r["outlier_rate"] == OUTLIER_RATE]
    if results:
        big = (main_rows or results)[-1]
        lines += [
            f"statements: {STATEMENTS_PER_PAGE} per page on {big['detectable']} detectable subjects, read by the "
            f"engine from {big['distinct_sentences']:,} distinct sentences ({big['misread']:,} of {big['sentences']:,} "
            f"sentences meant to state a value gave none); outl = share of outlier values; synthesis "
            f"{big['synth_s']:.1f} s at {big['statements']:,} (not in the figures)",
            f"find_conflicts: median of {RUNS} runs in one process; peak MB = that process's ru_maxrss (interpreter, "
            f"vocabulary, statements, runs; {results[0]['base_mb']:.0f} MB before the statements); traced MB = "
            "tracemalloc peak of one more call",
            "",
        ]
        lines += compare_rows(results)
        lines += ["", *growth_rows(main_rows), *naive_rows(results), ""]
    if read is not None:
        lines += read_rows(read)
    lines += cli_rows(cli, note, memory_gb)
    return "\n".join(lines)
