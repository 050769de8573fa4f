"""The measuring harness the benchmarks share: the kb command and its environment, processes run, timed or
measured under a wrapper (wall, CPU, peak RSS), medians and percentiles, cProfile text, report and command-line
helpers, the work folder. No kb import here (PROFILE_SCRIPT imports kb.cli.main in a child process).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import platform
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
Record = dict[str, Any]

# ---------------------------------------------------------------- the kb command and its environment


def kb_command() -> str:
    """The installed console script: on PATH, else beside the running interpreter."""
    found = shutil.which("kb") or str(Path(sys.executable).parent / "kb")
    if not Path(found).is_file():
        sys.exit("bench: the `kb` console script is not installed (pip install -e .)")
    return found


BYTECODE: dict[str, str] = {}  # set by use_bytecode_cache(): PYTHONPYCACHEPREFIX, unless --no-bytecode-cache


def use_bytecode_cache(root: Path) -> None:
    BYTECODE["PYTHONPYCACHEPREFIX"] = str(root / "pycache")


def clean_env() -> dict[str, str]:
    """The caller's environment without kb settings; with a bytecode cache outside the project unless disabled.

    An environment with PYTHONDONTWRITEBYTECODE=1 and no `kb/__pycache__` recompiles every kb module on every
    start, which a user's install does not; PYTHONPYCACHEPREFIX keeps the cache out of the source tree. Everything
    else (PYTHONPATH included) is passed through, so kb processes import the kb the caller chose.
    """
    skip = ("KB_DATA", "KB_DATABASE_URL", *(("PYTHONDONTWRITEBYTECODE",) if BYTECODE else ()))
    return {key: value for key, value in os.environ.items() if key not in skip} | BYTECODE


def bytecode_note() -> str:
    if BYTECODE:
        return f"bytecode cache: on (PYTHONPYCACHEPREFIX={BYTECODE['PYTHONPYCACHEPREFIX']}, warmed by the first run)"
    flag = os.environ.get("PYTHONDONTWRITEBYTECODE")
    return f"bytecode cache: as the environment has it (PYTHONDONTWRITEBYTECODE={flag or 'unset'})"


def kb_source() -> str:
    """A fingerprint of the kb package's source (git HEAD and a hash of kb/**/*.py): others may edit it mid-run."""
    digest = hashlib.sha256()
    for path in sorted((PROJECT / "kb").rglob("*.py")):
        digest.update(path.relative_to(PROJECT).as_posix().encode() + b"\0" + path.read_bytes())
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True, check=False
    ).stdout.strip()
    return f"git {head or '?'}, kb/*.py sha256/12 {digest.hexdigest()[:12]}"


# ---------------------------------------------------------------- processes and timing


TRACEBACK = "Traceback (most recent call last)"


@dataclass
class Ran:
    """One finished process, whatever its exit code."""

    command: list[str]
    code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def traceback(self) -> bool:
        return TRACEBACK in self.stderr or TRACEBACK in self.stdout

    def line(self) -> str:
        tail = " | ".join(self.stderr.strip().splitlines()[-2:])
        return f"`{' '.join(short(self.command))}` exit {self.code}, stderr: {tail[:400] or '(empty)'}"


def short(command: Sequence[str]) -> list[str]:
    """A command line as a reader wants it: `kb` instead of the console script's full path, folders by name."""
    return ["kb" if i == 0 else (Path(part).name if os.sep in part else part) for i, part in enumerate(command)]


def capture(command: Sequence[str], cwd: Path | None, env: dict[str, str] | None) -> Ran:
    """Run one process to its end (env None: this process's environment); never fails on its exit code."""
    start = time.perf_counter()
    done = subprocess.run(list(command), cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return Ran(list(command), done.returncode, done.stdout, done.stderr, time.perf_counter() - start)


def need(ran: Ran) -> Ran:
    if ran.code != 0:
        sys.exit(f"bench: {ran.line()}")
    return ran


def run(command: Sequence[str], cwd: Path) -> tuple[float, str]:
    """Wall time of one process, start to exit, and its stdout. Fails loudly on a non-zero exit."""
    ran = capture(command, cwd, clean_env())
    if ran.code != 0:
        sys.exit(f"bench: {' '.join(command)} exited {ran.code}\n{ran.stderr[-3000:]}")
    return ran.seconds, ran.stdout


def times(command: Sequence[str], cwd: Path, runs: int, warmup: int = 0) -> list[float]:
    for _ in range(warmup):
        run(command, cwd)
    return [run(command, cwd)[0] for _ in range(runs)]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


@contextmanager
def stopwatch(phases: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    phases[name] = time.perf_counter() - start


# A fresh wrapper per measured process, so getrusage(RUSAGE_CHILDREN) is that process's own: the largest single
# process of its tree (a parent and its workers are separate processes), and the CPU of the whole tree. Given a
# limit and a timeout it caps the address space and kills the process group at the timeout.
WRAPPER = """\
import json, os, resource, signal, subprocess, sys, time
command, out = json.loads(sys.argv[1]), sys.argv[2]
limit, timeout = (int(sys.argv[3]), float(sys.argv[4])) if len(sys.argv) > 4 else (None, None)
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
with open(out, "wb") as handle:
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=handle, stderr=subprocess.PIPE, preexec_fn=cap if limit else None,
                            start_new_session=limit is not None)
    try:
        err = proc.communicate(timeout=timeout)[1]
        rc = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        err, rc = proc.communicate()[1], "timeout"
    wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "maxrss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime,
                  "rc": rc, "stderr": err.decode("utf-8", "replace")[-3000:]}))
"""


def measured(
    command: Sequence[str], out: Path, cwd: Path, env: dict[str, str], cap: tuple[int, float] | None = None
) -> Record:
    """Run `command` under a fresh WRAPPER, its stdout into `out`: wall, cpu, maxrss_kb, rc and stderr's tail.
    `cap`: (address-space bytes, timeout seconds)."""
    wrapper = [sys.executable, "-c", WRAPPER, json.dumps(list(command)), str(out), *map(str, cap or ())]
    done = subprocess.run(wrapper, cwd=cwd, env=env, capture_output=True, text=True, check=True)
    result: Record = json.loads(done.stdout)
    return result


def rss_mb() -> float:  # this process's peak so far
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- statistics


def median_ms(samples: Sequence[float]) -> float:
    return 1000 * statistics.median(samples)


def percentile_ms(samples: Sequence[float], share: float) -> float:
    """Nearest-rank percentile in ms (0.5: median, 0.9: p90); nan for no samples."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return 1000 * ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def p90_ms(samples: Sequence[float]) -> float:
    return percentile_ms(samples, 0.9)


def fit(points: Sequence[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares line through (x, y) points: intercept and slope (e.g. fixed seconds and seconds per page)."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x in xs)
    return my - slope * mx, slope


# ---------------------------------------------------------------- profiles

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


# ---------------------------------------------------------------- reports


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine() -> str:
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()} "
        f"({platform.python_implementation()}) at {sys.executable}"
    )


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def ruled(header: str) -> list[str]:
    """A table's header and a rule as wide."""
    return [header, "-" * len(header)]


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------- command line and work folder


def parser(doc: str | None) -> argparse.ArgumentParser:
    """An argument parser described by the first paragraph of the script's docstring."""
    return argparse.ArgumentParser(description=doc.split("\n\n")[0] if doc else None)


def numbers(text: str) -> list[int]:
    """A comma-separated list of sizes: "1000,10_000" -> [1000, 10000]."""
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


@contextmanager
def work_folder(keep: str | None, prefix: str) -> Iterator[Path]:
    """`--keep DIR` (made if missing, kept afterwards), else a temporary folder removed at the end."""
    root = Path(keep) if keep else Path(tempfile.mkdtemp(prefix=prefix))
    root.mkdir(parents=True, exist_ok=True)
    try:
        yield root
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def write_json(path: str, data: object, default: Callable[[Any], Any] | None = None) -> None:
    """`--json FILE`: the results, indented."""
    Path(path).write_text(json.dumps(data, indent=2, default=default))
