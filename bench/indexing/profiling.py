"""--profile at the largest size: the phases of one search process, a cProfile of a whole `kb search` process,
`python -X importtime`, a cProfile of `kb.query.search.search`, and the timed phases of `kb.index.build.build`."""

from __future__ import annotations

import cProfile
import statistics
import sys
import time
from pathlib import Path

import harness as h

from .measure import QUERIES, settings_for


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
    from kb.index.delta import entry_rows

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
    with h.stopwatch(phases, "claims cut into entries (kb.index.delta.entry_rows)"):
        rows["entry"] = entry_rows(data, dataset)[0]
    target = root / "phases.sqlite"
    original = kb.index.build.load_rows
    kb.index.build.load_rows = lambda settings: (rows, {})  # time only the SQL side of build()
    try:
        with h.stopwatch(phases, "insert (create tables + executemany, SQLAlchemy) + statements"):
            meta = {"schema_version": kb.index.build.SCHEMA_VERSION, "content_hash": "x"}  # labelled, never trusted
            kb.index.build.build(settings_for(data, target), meta)
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
