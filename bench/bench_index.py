"""Benchmark the index and `kb search` on generated knowledge bases of 1,000, 10,000 and 100,000 claims.

Not a test: run it by hand and read the table.

    python bench/bench_index.py                    # 1k, 10k and 100k claims
    python bench/bench_index.py --sizes 1000,10000  # fewer sizes
    python bench/bench_index.py --sizes 100000 --profile --keep /tmp/kb-bench

For each size it reports the first build (`kb index`, one run), a no-op refresh (in-process median of 20, and
`kb index` end to end, median of 5) and `kb search` end to end for three queries (median and p90 of 10 after a
warm-up), beside `python -c pass` and `python -c "import kb.cli.app"` on the same machine.
Targets (from the issue, at 100,000 claims): `kb search` < 250 ms end to end, no-op refresh < 50 ms.

The data is `corpus.knowledge.Generator`'s: synthetic, deterministic (seeded `random.Random`), valid for `kb validate`.
"""

from __future__ import annotations

import cProfile
import json
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import harness as h
from corpus.knowledge import Generator

DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUERIES = ("three out of four", "30 to 100 days", "infusion length about an hour")
SEARCH_TARGET_MS = 250.0
REFRESH_TARGET_MS = 50.0
REFRESH_RUNS = 20
INDEX_RUNS = 5
SEARCH_RUNS = 10
BASELINE_RUNS = 10


@dataclass
class SizeResult:
    size: int
    generate_s: float = 0.0
    data_mb: float = 0.0
    build_s: float = 0.0
    refresh_ms: float = 0.0
    index_ms: float = 0.0
    search: dict[str, tuple[float, float, int]] = field(default_factory=dict)  # query -> (median, p90, hits)


def settings_for(data: Path, db: Path) -> Any:
    from kb.settings import resolve

    return resolve(str(data), str(db))


def refresh_in_process(data: Path, db: Path) -> list[float]:
    from kb.index.build import refresh

    settings = settings_for(data, db)
    samples = []
    for _ in range(REFRESH_RUNS):
        start = time.perf_counter()
        state = refresh(settings)
        samples.append(time.perf_counter() - start)
        if state != "fresh":
            sys.exit(f"bench: no-op refresh returned {state!r}, expected 'fresh'")
    return samples


def measure_size(size: int, root: Path, kb: str) -> SizeResult:
    result = SizeResult(size)
    data, db = root / f"kb-{size}" / "data", root / f"kb-{size}" / "index.sqlite"
    where = ["--data", str(data), "--db", str(db)]
    h.log(f"{size:,} claims: generating data in {data}")
    start = time.perf_counter()
    Generator(size).write(data)
    result.generate_s = time.perf_counter() - start
    result.data_mb = h.folder_size(data) / 1e6
    h.log(f"{size:,} claims: {result.data_mb:.1f} MB in {result.generate_s:.1f} s; first build (kb index)...")
    db.unlink(missing_ok=True)
    result.build_s = h.run([kb, "index", *where], root)[0]
    h.log(f"{size:,} claims: first build {result.build_s:.1f} s; no-op refresh...")
    result.refresh_ms = h.median_ms(refresh_in_process(data, db))
    result.index_ms = h.median_ms(h.times([kb, "index", *where], root, INDEX_RUNS))
    for query in QUERIES:
        h.log(f"{size:,} claims: kb search {query!r}")
        command = [kb, "search", query, "--format", "json", *where]
        hits = len(json.loads(h.run(command, root)[1]))  # also the warm-up
        samples = h.times(command, root, SEARCH_RUNS)
        result.search[query] = (h.median_ms(samples), h.p90_ms(samples), hits)
    return result


def baselines(root: Path) -> dict[str, float]:
    h.log("baselines: python -c pass, python -c 'import kb.cli.app'")

    def median(code: str) -> float:
        return h.median_ms(h.times([sys.executable, "-c", code], root, BASELINE_RUNS, warmup=1))

    return {"python -c pass": median("pass"), "python -c 'import kb.cli.app'": median("import kb.cli.app")}


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


# ---------------------------------------------------------------- profiling (--profile)


def search_profile(data: Path, db: Path, top: int = 25) -> str:
    """In-process timings of the search phases, and a cProfile of `kb.query.search.search` per query."""
    from kb.query.search import search
    from kb.store.db import open_database

    settings = settings_for(data, db)
    out = []
    for query in QUERIES:
        database = open_database(settings)
        start = time.perf_counter()
        search(database, query)  # first call on a fresh connection, as the CLI makes it
        first = time.perf_counter() - start
        warm = [h.timed(lambda d=database, q=query: search(d, q)) for _ in range(5)]
        out.append(f"search({query!r}): first call {1000 * first:.1f} ms, warm median {h.median_ms(warm):.1f} ms")
        profiler = cProfile.Profile()
        profiler.runcall(search, open_database(settings), query)
        out.append(h.profile_text(profiler, top))
    return "\n".join(out)


PHASE_SCRIPT = """\
import time; t0 = time.perf_counter()
import kb.cli.app; t1 = time.perf_counter()
import kb.index.build, kb.query.search, kb.store.db; t2 = time.perf_counter()
from kb.settings import resolve; s = resolve(DATA, DB)
kb.index.build.refresh(s); t3 = time.perf_counter()
db = kb.store.db.open_database(s); hits = kb.query.search.search(db, QUERY); t4 = time.perf_counter()
import json, sys; json.dumps([h.to_dict() for h in hits]); t5 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, flush=True)
"""
PHASES = (
    "import kb.cli.app",
    "import kb.index.build, kb.query.search, kb.store.db (lazy, inside the command)",
    "no-op refresh",
    "search",
    "JSON",
)


def startup_phases(data: Path, db: Path, root: Path, bare_ms: float, runs: int = 7) -> str:
    """Where one search process goes, without typer: medians of `runs` processes, phase by phase.

    A second variant ends with `os._exit(0)`: the difference is the interpreter's finalisation (module teardown).
    """
    script = PHASE_SCRIPT.replace("DATA", repr(str(data))).replace("DB", repr(str(db)))
    script = script.replace("QUERY", repr(QUERIES[0]))
    samples: list[list[float]] = []
    for _ in range(runs):
        total, stdout = h.run([sys.executable, "-c", script], root)
        samples.append([1000 * total, *(1000 * float(x) for x in stdout.split())])
    quick = h.median_ms(h.times([sys.executable, "-c", script + "import os; os._exit(0)\n"], root, runs))
    medians = [statistics.median(column) for column in zip(*samples, strict=True)]
    total, phases = medians[0], medians[1:]
    out = [
        f"query {QUERIES[0]!r}, medians of {runs} processes without typer: total {total:.0f} ms",
        f"  interpreter start + finalisation (rest)          {total - sum(phases):6.0f}"
        f"   (python -c pass alone: {bare_ms:.0f})",
    ]
    out += [f"  {name:<48} {value:6.1f}" for name, value in zip(PHASES, phases, strict=True)]
    out.append(f"  same script ending in os._exit(0): total {quick:.0f} ms (finalisation ~ {total - quick:.0f} ms)")
    return "\n".join(out)


def build_phases(data: Path, root: Path, sample: int = 10_000) -> str:
    """The phases of `kb.index.build.build`, timed one by one in this process (imports excluded).

    compile_rows is timed unprofiled; its cProfile is taken on the first `sample` claims only.
    """
    import kb.index.build
    import kb.index.tables  # noqa: F401 - import cost outside the timings
    from kb.data.dataset import FILES, Dataset
    from kb.data.schema import ClaimsFile, PagesFile, SourcesFile
    from kb.data.validate import check
    from kb.data.yamlload import load_file
    from kb.index.compile import compile_rows

    phases: dict[str, float] = {}
    with h.stopwatch(phases, "yaml load (3 files, kb.data.yamlload.load_file)"):
        trees = {name: load_file(data / filename) for name, filename in FILES.items()}
    with h.stopwatch(phases, "pydantic validate (model_validate x3)"):
        models = (
            SourcesFile.model_validate(trees["sources"]),
            ClaimsFile.model_validate(trees["claims"]),
            PagesFile.model_validate(trees["pages"]),
        )
    dataset = Dataset(data, *models, trees=trees, paths={name: str(data / f) for name, f in FILES.items()})
    with h.stopwatch(phases, "validate.check"):
        problems = check(dataset)
    assert not problems, problems[:3]
    with h.stopwatch(phases, "compile_rows"):
        rows = compile_rows(*models)
    target = root / "phases.sqlite"
    original = kb.index.build.load_rows
    kb.index.build.load_rows = lambda settings: rows  # time only the SQL side of build()
    try:
        with h.stopwatch(phases, "insert (create tables + executemany, SQLAlchemy)"):
            kb.index.build.build(settings_for(data, target), {"schema_version": kb.index.build.SCHEMA_VERSION})
    finally:
        kb.index.build.load_rows = original
        target.unlink(missing_ok=True)
    part = ClaimsFile.model_construct(subjects=models[1].subjects, claims=models[1].claims[:sample])
    profiler = cProfile.Profile()
    profiler.runcall(compile_rows, models[0], part, models[2])
    counts = ", ".join(f"{name} {len(value):,}" for name, value in rows.items())
    out = [f"rows: {counts}"] + [f"  {name:<50} {seconds:8.2f} s" for name, seconds in phases.items()]
    out += [f"compile_rows cProfile on the first {sample:,} claims (top by cumulative):", h.profile_text(profiler, 25)]
    return "\n".join(out)


def process_profile(search: list[str], root: Path, top: int = 30) -> str:
    """cProfile of one whole `kb search` process (imports and typer included), top by cumulative time."""
    target = root / "search.prof"
    h.profile_process(search, target, root)
    text = h.profile_text(target, top)
    target.unlink(missing_ok=True)
    return text


def profile(size: int, root: Path, kb: str, bare_ms: float) -> str:
    data, db = root / f"kb-{size}" / "data", root / f"kb-{size}" / "index.sqlite"
    search = [kb, "search", QUERIES[0], "--format", "json", "--data", str(data), "--db", str(db)]
    h.log(f"profiling at {size:,} claims")
    sections = {
        "end to end, by phase": startup_phases(data, db, root, bare_ms),
        "cProfile of one whole kb search process": process_profile(search, root),
        "python -X importtime, kb search": h.importtime_summary(search, root),
        "kb.query.search.search in-process": search_profile(data, db),
    }
    h.log("profiling the build phases (a full in-process build)")
    sections["kb.index.build.build phases, in-process"] = build_phases(data, root)
    return "\n".join([f"==== profile at {size:,} claims", *(f"---- {t}\n{text}" for t, text in sections.items())])


# ---------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> None:
    cli = h.parser(__doc__)
    cli.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated claim counts (default 1000,10000,100000)",
    )
    cli.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it (default: a removed temp dir)")
    cli.add_argument(
        "--profile", action="store_true", help="after the table, profile kb search and the build at the largest size"
    )
    cli.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    cli.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="run processes with the environment as it is (by default a .pyc cache is kept in the "
        "work folder via PYTHONPYCACHEPREFIX, as a normal install has)",
    )
    cli.add_argument("--generate-only", metavar="DIR", help="write one data folder (the first size) to DIR; exit")
    args = cli.parse_args(argv)
    sizes = h.numbers(args.sizes)
    if args.generate_only:
        Generator(sizes[0]).write(Path(args.generate_only))
        return
    kb = h.kb_command()
    with h.work_folder(args.keep, "kb-bench-") as root:
        if not args.no_bytecode_cache:
            h.use_bytecode_cache(root)
        base = baselines(root)
        results = [measure_size(size, root, kb) for size in sizes]
        print(h.machine())
        print(h.bytecode_note(), flush=True)
        print(report(results, base), flush=True)
        if args.json:
            h.write_json(args.json, {"machine": h.machine(), "baselines": base, "results": [vars(r) for r in results]})
        if args.profile:
            print(profile(max(sizes), root, kb, base["python -c pass"]), flush=True)


if __name__ == "__main__":
    main()
