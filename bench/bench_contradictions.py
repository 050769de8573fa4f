"""Benchmark `kb contradictions`: comparing 10,000 to 100,000 statements across 1,000 to 10,000 pages.

Not a test: run it by hand, on a quiet machine, and read the table.

    python bench/bench_contradictions.py                  # 10k, 30k, 100k statements; reading 10,000 pages
    python bench/bench_contradictions.py --quick          # 1k, 3k, 10k statements; reading 1,000 pages
    python bench/bench_contradictions.py --sizes 100000 --pages 0 --profile
    python bench/bench_contradictions.py --generate-only /tmp/pages --pages 500   # the page corpus only

Three stages, each measured in a fresh process (`--child`) so its peak RSS is its own:

1. Comparison (the target): N statements on about N/10 pages across the bundled vocabulary's detectable subjects,
   worded from realistic phrasings ("about an hour", "45 minutes to an hour", "2 to 4 hours", hedges, number words,
   stances, study cities and journals, about 1% outliers; 70% of sentences led in by the page's own clinic or town
   name or a stock phrase, so most sentences are unique), each distinct sentence read once by
   `kb.language.statements.sentence_statements` so the values are the engine's own, relative times resolved per
   page. Then `kb.contradictions.report.find_conflicts` is timed (median of 5), with the process's peak RSS and the
   tracemalloc peak of one more call. Target (the issue's): under 5 s and 500 MB at 100,000 statements; and how the
   time grows from 10,000 to 100,000. One more row at the largest size has 10% outliers (more distinct values: the
   cost driver).
2. Reading (reported, no target): the same generator writes the pages (10 statements' worth of sentences and 4-6
   fillers each, 100 per folder) and `kb.pages.read.read_path` + `kb.language.statements.document_statements` read
   them in one process; the statements read must equal the synthesized ones. Then `kb contradictions FOLDERS
   --format json --jobs 2 --fail-on none` runs end to end on a tenth of the pages and on all of them, under a wrapper
   that caps its address space (8 GB) and reports wall time, CPU and the largest process's peak RSS.
3. Baseline: the naive comparison of every pair of statements within a subject (same `conflict_between`), timed at
   the smallest size and extrapolated by the number of pairs; it must find the same conflicting value pairs.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import resource
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import harness as h
from corpus import REAL_DATA
from corpus.statements import OUTLIER_RATE, PAGES_PER_FOLDER, STATEMENTS_PER_PAGE, make_page, write_pages

DEFAULT_SIZES = (10_000, 30_000, 100_000)
QUICK_SIZES = (1_000, 3_000, 10_000)
DEFAULT_READ_PAGES = 10_000
QUICK_READ_PAGES = 1_000
RUNS = 5
SECONDS_TARGET = 5.0
MB_TARGET = 500.0
TARGET_SIZE = 100_000
LINEAR_SLACK = 1.25  # per-statement time at the largest size may exceed that at the smallest by 25%
STRESS_OUTLIER_RATE = 0.10
CLI_MEMORY_GB = 8.0
CLI_TIMEOUT_S = 400.0
Record = dict[str, Any]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def profile_text(profiler: cProfile.Profile, title: str, top: int = 18) -> str:
    return "\n".join([f"==== {title}", *h.ranked(profiler, (("cumulative", top), ("tottime", 12)))])


# ---------------------------------------------------------------- child processes (kb imported only here)


def load_vocabulary() -> Any:
    from kb.index.build import ready
    from kb.settings import resolve
    from kb.store.vocabulary import load_vocabulary

    return load_vocabulary(ready(resolve(None, None)))


def synthesize(
    vocabulary: Any, size: int | None = None, page_count: int | None = None, outlier_rate: float = OUTLIER_RATE
) -> tuple[list[Any], Record]:
    """`size` statements from pages 0, 1, ... in order (the last page cut short), or every statement of the first
    `page_count` pages; each distinct sentence read once by the engine, relative times resolved per page as
    `document_statements` does."""
    from kb.language.statements import sentence_statements
    from kb.language.times import resolve_relatives
    from kb.language.values import Statement

    cache: dict[str, list[tuple[str, Any]]] = {}
    made: list[Any] = []
    pages = meant = misread = 0
    while len(made) < (size or math.inf) and pages < (page_count or math.inf):
        page = make_page(pages, outlier_rate)
        pages += 1
        text, placed = page.layout()
        own = []
        for sentence, line, column, start in placed:
            found = cache.get(sentence)
            if found is None:
                found = cache[sentence] = sentence_statements(sentence, vocabulary)[0]
            misread += not found
            meant += 1
            quote = text[start : start + len(sentence)]  # a string of its own, as reading a page makes
            for subject, value in found:
                own.append(
                    Statement(subject, page.ident, page.path, line, column, line, column + len(quote), quote, value)
                )
        made += resolve_relatives(own, vocabulary)[: (size or len(made) + len(own)) - len(made)]
    facts = {"pages": pages, "sentences": meant, "distinct_sentences": len(cache), "misread": misread}
    return made, facts


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


def statement_keys(statements: Sequence[Any]) -> list[tuple[Any, ...]]:
    from kb.language.compare import value_key

    return sorted((s.page, s.line, s.subject, value_key(s.value)) for s in statements)


def child_read(folder: Path, profile: bool, memory_gb: float) -> Record:
    from kb.contradictions.report import find_conflicts
    from kb.formats.contradictions import render_json
    from kb.language.statements import document_statements
    from kb.pages.read import read_path

    vocabulary = load_vocabulary()
    files = sorted(folder.rglob("*.txt"))
    statements: list[Any] = []
    reading = stating = 0.0
    profiler = cProfile.Profile() if profile else None
    for number, path in enumerate(files):
        display = path.relative_to(folder).as_posix()
        if profiler is not None and number == 0:
            profiler.enable()
        start = time.perf_counter()
        doc = read_path(path, display)
        middle = time.perf_counter()
        statements += document_statements(doc, vocabulary, path.stem)
        reading, stating = reading + middle - start, stating + time.perf_counter() - middle
        if profiler is not None and number == 999:
            profiler.disable()
    start = time.perf_counter()
    reports = find_conflicts(statements, vocabulary)
    compare = time.perf_counter() - start
    result = {
        "pages": len(files),
        "statements": len(statements),
        "read_s": reading,
        "statements_s": stating,
        "compare_s": compare,
        "rss_mb": h.rss_mb(),
    } | shape(statements, reports)
    # The JSON report in-process (what the command adds after reading and comparing), under the same address-space
    # cap as the command end to end: an output that grows faster than the statements fails here, not the machine.
    limit = int(memory_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        start = time.perf_counter()
        rendered = render_json(reports, len(statements), len(files), ())
        seconds = time.perf_counter() - start
        result["render"] = {"seconds": seconds, "mb": len(rendered.encode()) / 2**20, "rss_mb": h.rss_mb()}
        del rendered
    except MemoryError:
        result["render"] = {"failed": f"MemoryError at the {memory_gb:g} GB address-space cap", "rss_mb": h.rss_mb()}
    synthesized, _ = synthesize(vocabulary, page_count=len(files))
    ours, theirs = statement_keys(statements), statement_keys(synthesized)
    result["synthesized"] = len(synthesized)
    result["same_statements"] = ours == theirs
    if ours != theirs:
        result["differ"] = [repr(k) for k in sorted(set(ours) ^ set(theirs))[:5]]
    if profiler is not None:
        result["profile"] = profile_text(profiler, f"cProfile of reading the first {min(1000, len(files)):,} pages")
    return result


# ---------------------------------------------------------------- the parent


@dataclass
class Setup:
    root: Path
    data: Path
    db: Path
    index_s: float

    def env(self) -> dict[str, str]:
        return h.clean_env() | {"KB_DATA": str(self.data), "KB_DATABASE_URL": f"sqlite:///{self.db}"}


def run_child(setup: Setup, *arguments: str) -> Record:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *arguments]
    done = subprocess.run(command, cwd=setup.root, env=setup.env(), stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} exited {done.returncode}")
    result: Record = json.loads(done.stdout)
    return result


def prepare(root: Path, kb_cmd: str) -> Setup:
    """A snapshot of the bundled data (others may be editing data/) and its index, both in the work folder."""
    data = root / "data"
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(REAL_DATA, data)
    db = root / "index.sqlite"
    seconds = h.run([kb_cmd, "index", "--data", str(data), "--db", str(db)], root)[0]
    return Setup(root, data, db, seconds)


def cli_help(kb_cmd: str, setup: Setup) -> str | None:
    """The help text of `kb contradictions`, or None while the command does not exist."""
    ran = h.capture([kb_cmd, "contradictions", "--help"], None, setup.env())
    return ran.stdout if ran.code == 0 else None


def run_cli(kb_cmd: str, help_text: str, folder: Path, pages: int, setup: Setup, memory_gb: float) -> Record:
    """`kb contradictions FOLDERS --format json [--jobs 2] [--fail-on none]` on the first `pages` pages, under a
    wrapper that caps its address space and time and reports wall time, CPU of the process tree and the largest
    single process's RSS."""
    sections = sorted(p for p in folder.iterdir() if p.is_dir())[: math.ceil(pages / PAGES_PER_FOLDER)]
    command = [kb_cmd, "contradictions", *map(str, sections), "--format", "json"]
    if "--jobs" in help_text:
        command += ["--jobs", "2"]
    if "--fail-on" in help_text:
        command += ["--fail-on", "none"]
    if "--data" in help_text and "--db" in help_text:
        command += ["--data", str(setup.data), "--db", str(setup.db)]
    out = setup.root / "contradictions.json"
    result = h.measured(command, out, setup.root, setup.env(), cap=(int(memory_gb * 2**30), CLI_TIMEOUT_S))
    shown = [*command[1:2], f"<{len(sections)} folders>", *command[2 + len(sections) :]]
    result |= {"pages": pages, "command": " ".join(["kb", *shown]).replace(str(setup.root), "WORK")}
    result["out_mb"] = out.stat().st_size / 2**20 if out.exists() else 0.0
    try:
        summary = json.loads(out.read_text(encoding="utf-8")).get("summary", {})
    except (OSError, ValueError, AttributeError):
        summary = {}
    result["summary"] = summary
    out.unlink(missing_ok=True)
    return result


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


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = h.parser(__doc__)
    parser.add_argument("--sizes", type=h.numbers, help="statements (default 10000,30000,100000)")
    parser.add_argument("--pages", type=int, help="pages to write and read in stage 2, 0 to skip (default 10000)")
    parser.add_argument("--quick", action="store_true", help="1,000, 3,000, 10,000 statements; 1,000 pages")
    parser.add_argument("--no-naive", action="store_true", help="skip the all-pairs baseline")
    parser.add_argument("--no-stress", action="store_true", help=f"skip the {STRESS_OUTLIER_RATE:.0%}%-outlier row")
    parser.add_argument(
        "--cli-pages",
        type=h.numbers,
        help="page counts for kb contradictions end to end (default: --pages/10 and --pages; 0 to skip)",
    )
    parser.add_argument("--cli-memory-gb", type=float, default=CLI_MEMORY_GB, help="address-space cap (default 8)")
    parser.add_argument("--profile", action="store_true", help="cProfile find_conflicts (largest) and reading")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--generate-only", metavar="DIR", help="write the --pages corpus to DIR and exit")
    parser.add_argument("--child", choices=("compare", "read"), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--naive", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--outlier-rate", type=float, default=OUTLIER_RATE, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.sizes = sorted(args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES))
    if args.pages is None:
        args.pages = QUICK_READ_PAGES if args.quick else DEFAULT_READ_PAGES
    if args.cli_pages is None:
        args.cli_pages = sorted({args.pages // 10, args.pages} - {0})
    args.cli_pages = [n for n in args.cli_pages if 0 < n <= args.pages]
    return args


def child(args: argparse.Namespace) -> None:
    source = h.kb_source()  # before kb is imported: others may be editing kb/ while this runs
    if args.child == "compare":
        result = child_compare(args.size, args.naive, args.profile, args.outlier_rate)
    else:
        result = child_read(Path(args.folder), args.profile, args.cli_memory_gb)
    result["kb_source"] = source
    print(json.dumps(result, default=str))


def compare_all(args: argparse.Namespace, setup: Setup) -> list[Record]:
    plan = [(size, OUTLIER_RATE) for size in args.sizes]
    if not args.no_stress:
        plan.append((args.sizes[-1], STRESS_OUTLIER_RATE))
    results = []
    for size, rate in plan:
        naive = not args.no_naive and size == args.sizes[0]
        profile = args.profile and size == args.sizes[-1] and rate == OUTLIER_RATE
        h.log(f"comparison: {size:,} statements, {rate:.0%} outliers{' (and the all-pairs baseline)' if naive else ''}")
        flags = [*(["--naive"] if naive else []), *(["--profile"] if profile else [])]
        results.append(run_child(setup, "compare", "--size", str(size), "--outlier-rate", str(rate), *flags))
        h.log(f"  {median(results[-1]['times']):.3f} s, peak {results[-1]['rss_mb']:.0f} MB")
    return results


def read_stage(args: argparse.Namespace, setup: Setup, kb_cmd: str) -> tuple[Record, list[Record], str]:
    """Stage 2: write the pages, read them in one child process, then `kb contradictions` end to end."""
    folder = setup.root / "corpus"
    shutil.rmtree(folder, ignore_errors=True)
    h.log(f"writing {args.pages:,} pages in {folder}")
    size = write_pages(folder, args.pages)[1]
    h.log("reading them in one process")
    flags = ["--cli-memory-gb", str(args.cli_memory_gb), *(["--profile"] if args.profile else [])]
    read = run_child(setup, "read", "--folder", str(folder), *flags)
    read["mb"] = size / 2**20
    help_text = cli_help(kb_cmd, setup) if args.cli_pages else None
    if not args.cli_pages:
        return read, [], "kb contradictions end to end: skipped (--cli-pages 0)"
    if help_text is None:
        return read, [], "kb contradictions end to end: not measured (no `kb contradictions` command yet)"
    cli = []
    for pages in args.cli_pages:
        h.log(f"kb contradictions end to end on {pages:,} pages")
        cli.append(run_cli(kb_cmd, help_text, folder, pages, setup, args.cli_memory_gb))
        h.log(f"  {cli[-1]['wall']:.1f} s, exit {cli[-1]['rc']}, peak {cli[-1]['maxrss_kb'] / 1024:.0f} MB")
    return read, cli, ""


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        child(args)
        return
    if args.generate_only:
        files, size = write_pages(Path(args.generate_only), args.pages)
        print(f"{files:,} pages, {size / 2**20:.1f} MB in {args.generate_only}")
        return
    kb_cmd = h.kb_command()
    with h.work_folder(args.keep, "kb-contradictions-bench-") as root:
        h.use_bytecode_cache(root)
        h.log(f"snapshot of data/ and its index in {root}")
        setup = prepare(root, kb_cmd)
        results = compare_all(args, setup)
        read, cli, note = read_stage(args, setup, kb_cmd) if args.pages else (None, [], "")
        print(report(setup, results, read, cli, note, args.cli_memory_gb), flush=True)
        for r in [*results, *([read] if read else [])]:
            if "profile" in r:
                print(r["profile"], flush=True)
        if args.json:
            h.write_json(args.json, {"compare": results, "read": read, "cli": cli})


if __name__ == "__main__":
    main()
