"""Measuring one size: generate the data, the first build, the no-op refresh in-process and end to end, and
`kb search` end to end for each query; the interpreter baselines."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import harness as h
from corpus.knowledge import Generator

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
