"""Processes run to their end, timed, or measured under a wrapper that reports wall time, CPU and peak RSS."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .command import Record, clean_env

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
