"""1. The kill test: `kb index --rebuild` (or a first build) killed with SIGKILL at a seeded random moment, or the
moment the stamp's temporary file appears; then `kb search` and `kb index`, and what they found and left in .kb/."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import harness as h

from .work import Work, env, integrity, listing, orphans, run

STAMP_TRIES = 5
STAMP_CLAIMS = 1_000


@dataclass
class Kill:
    number: int
    scenario: str  # "rebuild": kb index --rebuild over a good index; "cold": the first build, no index yet
    planned_s: float
    before: dict[str, int] = field(default_factory=dict)  # extra files in .kb/ before this kill (earlier kills')
    killed_s: float = 0.0
    claims: int = 0
    attempts: int = 1  # builds started for this kill (stamp window: tried again when the kill came too late)
    finished_first: bool = False
    killed_code: int = 0  # -9 when the kill landed
    killed_stderr: str = ""
    left: dict[str, int] = field(default_factory=dict)
    search: h.Ran | None = None
    search_state: str = ""  # what `kb search` did to the index: fresh, touched (stamp rewritten) or rebuilt
    after_search: dict[str, int] = field(default_factory=dict)
    index: h.Ran | None = None
    after_index: dict[str, int] = field(default_factory=dict)
    integrity: str = ""
    size: int = 0
    same_hits: bool = False

    @property
    def worked(self) -> bool:
        return bool(self.search and self.index and self.search.code == 0 and self.index.code == 0 and self.same_hits)

    @property
    def new_after_search(self) -> dict[str, int]:
        """Extra files in .kb/ after the next command that were not there before this kill."""
        return {name: size for name, size in self.after_search.items() if name not in self.before}

    @property
    def tracebacks(self) -> int:
        return sum(1 for r in (self.search, self.index) if r is not None and r.traceback)

    @property
    def index_state(self) -> str:
        if self.index is None:
            return "-"
        found = re.search(r"kb index: (\w+):", self.index.stderr)
        return found.group(1) if found else "?"


def kill_once(work: Work, number: int, scenario: str, planned: float, reference: Any) -> Kill:
    result = Kill(number, scenario, planned, before=orphans(work.dot_kb), claims=work.claims)
    command = work.index_cmd() if scenario == "cold" else work.rebuild()
    start = time.perf_counter()
    log = work.folder / "killed.stderr"
    with log.open("wb") as stream:
        process = subprocess.Popen(command, cwd=work.folder, env=env(), stdout=subprocess.DEVNULL, stderr=stream)
    if scenario == "stamp":
        wait_for_stamp(work.dot_kb, process, set(result.before))
        result.finished_first = process.poll() is not None
    while scenario != "stamp" and time.perf_counter() - start < planned:
        if process.poll() is not None:
            result.finished_first = True
            break
        time.sleep(min(0.01, max(0.0, planned - (time.perf_counter() - start))))
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    result.killed_code = process.wait()
    result.killed_s = time.perf_counter() - start
    result.killed_stderr = log.read_text(errors="replace")
    result.left = orphans(work.dot_kb)
    identity = files_identity(work.dot_kb)
    result.search = run(work.search(), work.folder)
    result.search_state = what_changed(identity, files_identity(work.dot_kb))
    result.after_search = orphans(work.dot_kb)
    result.index = run(work.index_cmd(), work.folder)
    result.after_index = orphans(work.dot_kb)
    result.integrity = integrity(work.index)
    result.size = sum(listing(work.dot_kb).values())
    try:
        result.same_hits = result.search.code == 0 and json.loads(result.search.stdout) == reference
    except ValueError:
        result.same_hits = False
    return result


def wait_for_stamp(folder: Path, process: subprocess.Popen[bytes], old: set[str]) -> None:
    """Return once the builder has created the stamp's temporary file (`.index.sqlite.stamp.*.tmp`), or has ended.

    Polls every 5 ms until the index's own temporary file is there (the insert phase), then as fast as it can: the
    stamp is written and fsynced in a few milliseconds at the very end of the build.
    """
    tight = False
    while process.poll() is None:
        try:
            names = os.listdir(folder)
        except OSError:
            names = []
        if any(name.startswith(".index.sqlite.stamp.") and name not in old for name in names):
            return
        tight = tight or any(name.startswith(".index.sqlite.") and name.endswith(".tmp") for name in names)
        if not tight:
            time.sleep(0.005)


def files_identity(folder: Path) -> dict[str, tuple[int, int]]:
    identity = {}
    for name in ("index.sqlite", "index.sqlite.stamp"):
        try:
            info = (folder / name).stat()
        except OSError:
            continue
        identity[name] = (info.st_ino, info.st_mtime_ns)
    return identity


def what_changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> str:
    if before.get("index.sqlite") != after.get("index.sqlite"):
        return "rebuilt"
    return "touched" if before.get("index.sqlite.stamp") != after.get("index.sqlite.stamp") else "fresh"


def kill_test(work: Work, kills: int, cold_kills: int, seed: int) -> tuple[float, list[Kill]]:
    h.log(f"{work.claims:,} claims: first build, then the baseline kb index --rebuild")
    h.need(run(work.index_cmd(), work.folder))
    build_s = h.need(run(work.rebuild(), work.folder)).seconds
    reference = json.loads(h.need(run(work.search(), work.folder)).stdout)
    rng = random.Random(seed)
    results = []
    scenarios = ["rebuild"] * kills + ["cold"] * cold_kills
    for number, scenario in enumerate(scenarios, 1):
        planned = rng.uniform(0.1, 0.9) * build_s
        if scenario == "cold":
            shutil.rmtree(work.dot_kb)
        h.log(f"kill {number}/{len(scenarios)} ({scenario}) at {planned:.1f} s")
        results.append(kill_once(work, number, scenario, planned, reference))
    return build_s, results


def stamp_test(work: Work, kills: int, first: int) -> list[Kill]:
    """Kills in the stamp window, on a small knowledge base (the stamp is the same size whatever the claims): a
    build that renames the stamp before the kill lands is tried again, up to STAMP_TRIES builds per kill."""
    h.log(f"{work.claims:,} claims: first build, for the stamp-window kills")
    h.need(run(work.index_cmd(), work.folder))
    reference = json.loads(h.need(run(work.search(), work.folder)).stdout)
    results = []
    for number in range(first, first + kills):
        for attempt in range(1, STAMP_TRIES + 1):
            h.log(f"kill {number} (stamp), try {attempt}: when the stamp's temporary file appears")
            result = kill_once(work, number, "stamp", 0.0, reference)
            result.attempts = attempt
            if any(name.startswith(".index.sqlite.stamp.") for name in result.left if name not in result.before):
                break
        results.append(result)
    return results
