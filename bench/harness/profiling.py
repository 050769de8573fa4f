"""Profiles: cProfile of one whole kb process or of a profiler in this one, as text, and `-X importtime`."""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from .command import clean_env
from .process import run

PROFILE_SCRIPT = """\
import cProfile, json, os, sys
argv, out = json.loads(sys.argv[1]), sys.argv[2]
sys.argv = argv


def leave(code):  # kb.cli.main.main ends in os._exit, which would skip writing the profile
    raise SystemExit(code)


os._exit = leave
profiler = cProfile.Profile()
profiler.enable()
try:
    from kb.cli.main import main
    main()
except SystemExit:
    pass
finally:
    profiler.disable()
    profiler.dump_stats(out)
"""


def profile_process(argv: Sequence[str], target: Path, cwd: Path) -> float:
    """cProfile one whole kb process (`argv` as the console script gets it) into `target`; its wall time."""
    return run([sys.executable, "-c", PROFILE_SCRIPT, json.dumps(list(argv)), str(target)], cwd)[0]


def stats_lines(source: cProfile.Profile | Path, top: int, sort: str = "cumulative") -> list[str]:
    """pstats' table (directories stripped, blank lines dropped) of a profiler or a saved profile."""
    stream = io.StringIO()
    stats = pstats.Stats(source if isinstance(source, cProfile.Profile) else str(source), stream=stream)
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    return [line for line in stream.getvalue().splitlines() if line.strip()]


def profile_text(source: cProfile.Profile | Path, top: int, sort: str = "cumulative") -> str:
    return "\n".join(stats_lines(source, top, sort))


def ranked(source: cProfile.Profile | Path, sorts: Sequence[tuple[str, int]]) -> list[str]:
    """One section per (sort, top): a "---- top N by SORT" line and the table without pstats' two summary lines."""
    out = []
    for sort, count in sorts:
        out.append(f"---- top {count} by {sort}")
        out += stats_lines(source, count, sort)[2:]
    return out


def importtime_summary(argv: Sequence[str], cwd: Path, top: int = 20) -> str:
    """`python -X importtime` of one process (`argv`: a console script and its arguments): the heaviest imports by
    cumulative and by self time."""
    command = [sys.executable, "-X", "importtime", *argv]
    done = subprocess.run(command, cwd=cwd, env=clean_env(), capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self [us]" not in line:
            own, cumulative, name = line.removeprefix("import time:").split("|")
            rows.append((int(own), int(cumulative), name.rstrip()))
    total = sum(own for own, _, _ in rows)
    out = [
        f"total import time {total / 1000:.0f} ms over {len(rows)} modules",
        "top by cumulative (ms, self ms, module):",
    ]
    out += [f"  {c / 1000:8.1f} {o / 1000:8.1f}  {n}" for o, c, n in sorted(rows, key=lambda r: -r[1])[:top]]
    out.append("top by self time (ms, module):")
    out += [f"  {o / 1000:8.1f}  {n.strip()}" for o, _, n in sorted(rows, key=lambda r: -r[0])[:top]]
    return "\n".join(out)
