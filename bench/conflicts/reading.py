"""Stage 2, in a child process: the written pages read from disk (`read_path` + `document_statements`), compared,
rendered as JSON under the address-space cap, and checked against the synthesized statements."""

from __future__ import annotations

import cProfile
import resource
import time
from pathlib import Path
from typing import Any

import harness as h

from .compare import profile_text, shape
from .synthesis import load_vocabulary, statement_keys, synthesize

Record = dict[str, Any]


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
