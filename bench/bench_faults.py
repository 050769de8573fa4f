"""Fault benchmark for the SQLite index: builders killed with SIGKILL, and readers running while a writer edits.

Not a test: run it by hand and read what it prints.

    python bench/bench_faults.py                               # 10,000 claims, 20 kills, 8 readers for 20 s
    python bench/bench_faults.py --claims 1000 --kills 5 --seconds 10
    python bench/bench_faults.py --keep /tmp/kb-faults          # keep the work folder

1. Kill test. One `kb index --rebuild` is timed (the baseline). Then `--kills` times a `kb index --rebuild` is
   started and killed with SIGKILL at a random moment between 10% and 90% of that time (`random.Random(--seed)`),
   and right after it `kb search WORD --format json` and `kb index` run. For each kill: their exit codes, whether
   either printed a traceback, what the kill left in `.kb/`, whether anything besides index.sqlite,
   index.sqlite.stamp and index.sqlite.lock is still there after the next command, `PRAGMA integrity_check`, the
   size of `.kb/`, and whether the search returned the same hits as before the kills. `--cold-kills` more kills do
   the same to a first build (no index at all), so the next command has to build one itself; `--stamp-kills`
   kill a `kb index --rebuild` the moment the stamp's temporary file (`.index.sqlite.stamp.*.tmp`, written and
   fsynced in the last milliseconds of a build) appears in `.kb/`, on a separate knowledge base of 1,000 claims,
   trying again (up to 5 builds) when the stamp was renamed before the kill landed.
2. Concurrency test. `--readers` reader threads each run `kb check PAGES --format json --fail-on none` (even
   readers, on copies of three generated pages) or `kb search WORD --format json` (odd readers) in a loop for
   `--seconds`, first with nothing else running (the baseline), then while one writer thread alternates claims.yaml
   between two valid versions (A as generated; B with every statement and "In one study," wording edited), written
   atomically (temporary file + os.replace) or, one time in three, in place in 64 KiB writes as `cp` does, every
   0.5-1.5 s, and keeps one `kb index --rebuild` running (a new one starts at the first edit after the last ended),
   so edits land before, during and after rebuilds. Every reader run's exit code, stderr and latency is recorded,
   and its output compared with what version A and version B give when nothing is writing.

The data is the deterministic generator `corpus.knowledge.Generator`; the index is kb's default
`.kb/index.sqlite` beside the data folder, in a temporary work folder (removed afterwards unless `--keep DIR`), so the
project's own index is never touched. Processes get the harness's environment (`clean_env`: no KB_* variables, a
bytecode cache in the work folder) and import kb from a snapshot of the project's kb/ copied into the work folder at
the start (`--live-source`: from the project as it is): the index's inputs include kb's own code, so an edit to kb/
by someone else mid-run would make the next command of every reader rebuild. The load average is printed beside
each phase: the figures are only as quiet as the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import harness as h
from corpus.knowledge import Generator, version_b

SEED = 20261201
QUERY = "three out of four"
INDEX_FILES = frozenset({"index.sqlite", "index.sqlite.stamp", "index.sqlite.lock"})
CHECK_PAGES = 3
STAMP_TRIES = 5
STAMP_CLAIMS = 1_000
CHUNK = 64 * 1024  # an in-place write in 64 KiB pieces, as cp and most editors' plain save do
IN_PLACE_SHARE = 1 / 3
BAD_WORDS = ("readonly", "locked", "malformed", "no such table", "disk i/o", "not a database", "disk image")


SOURCE: dict[str, str] = {}  # set by main(): PYTHONPATH of the snapshot of kb/, unless --live-source


def env() -> dict[str, str]:
    """The harness's environment for kb processes, importing kb from the snapshot when there is one."""
    return h.clean_env() | SOURCE


def run(command: Sequence[str], cwd: Path) -> h.Ran:
    return h.capture(command, cwd, env())


def listing(folder: Path) -> dict[str, int]:
    try:
        return {p.name: p.stat().st_size for p in folder.iterdir()}
    except OSError:
        return {}


def orphans(folder: Path) -> dict[str, int]:
    return {name: size for name, size in listing(folder).items() if name not in INDEX_FILES}


def integrity(index: Path) -> str:
    """`PRAGMA integrity_check` by the sqlite3 shell (read-only), or by Python's sqlite3 module without one."""
    if not index.is_file():
        return "no index"
    shell = shutil.which("sqlite3")
    if shell:
        done = subprocess.run(
            [shell, "-readonly", str(index), "PRAGMA integrity_check;"], capture_output=True, text=True, check=False
        )
        return " ".join((done.stdout + done.stderr).split())[:80] or f"sqlite3 exited {done.returncode}"
    try:
        connection = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
        try:
            return " ".join(str(row[0]) for row in connection.execute("PRAGMA integrity_check"))[:80]
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return f"error: {exc}"


def mb(size: int) -> str:
    return f"{size / 1e6:.1f}"


# ---------------------------------------------------------------- the work folder


@dataclass
class Work:
    """One generated knowledge base: data/ and kb's default .kb/ beside it, and the commands the bench runs."""

    kb: str
    folder: Path
    claims: int
    generate_s: float = 0.0

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def dot_kb(self) -> Path:
        return self.folder / ".kb"

    @property
    def index(self) -> Path:
        return self.dot_kb / "index.sqlite"

    @property
    def claims_file(self) -> Path:
        return self.data / "claims.yaml"

    def kb_run(self, *args: str) -> list[str]:
        return [self.kb, *args, "--data", str(self.data)]

    def rebuild(self) -> list[str]:
        return self.kb_run("index", "--rebuild")

    def index_cmd(self) -> list[str]:
        return self.kb_run("index")

    def search(self) -> list[str]:
        return self.kb_run("search", QUERY, "--format", "json")

    def check(self) -> list[str]:
        pages = sorted((self.folder / "check-pages").iterdir())
        return [self.kb, "check", *map(str, pages), "--format", "json", "--fail-on", "none", "--data", str(self.data)]


def make_work(kb: str, root: Path, claims: int) -> Work:
    work = Work(kb, root / f"kb-{claims}", claims)
    h.log(f"{claims:,} claims: generating data in {work.data}")
    start = time.perf_counter()
    Generator(claims).write(work.data)
    work.generate_s = time.perf_counter() - start
    pages = work.folder / "check-pages"  # outside data/: the pages checked are not inputs of the index
    pages.mkdir(exist_ok=True)
    for page in sorted((work.data / "pages").iterdir())[:CHECK_PAGES]:
        shutil.copyfile(page, pages / page.name)
    return work


# ---------------------------------------------------------------- 1. the kill test


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


def tally(files: dict[str, int]) -> str:
    return f"{len(files)} ({sum(files.values())} B)" if files else "-"


def describe(files: dict[str, int]) -> str:
    """What a kill left in .kb/, in short: the index's temporary file, its journal, the stamp's temporary file."""
    parts = []
    for name, size in sorted(files.items()):
        if re.fullmatch(r"\.index\.sqlite\.\d+\.tmp", name):
            parts.append(f"index tmp {mb(size)}MB")
        elif re.fullmatch(r"\.index\.sqlite\.\d+\.tmp-journal", name):
            parts.append(f"its journal {mb(size)}MB")
        elif name.startswith(".index.sqlite.stamp.") and name.endswith(".tmp"):
            parts.append(f"stamp tmp {size}B")
        else:
            parts.append(f"{name} {size}B")
    return ", ".join(parts) or "-"


def flag(files: dict[str, int]) -> str:
    return ",".join(f"{name}({mb(size)}MB)" for name, size in sorted(files.items())) or "-"


def kill_report(work: Work, build_s: float, results: list[Kill]) -> str:
    size = mb(work.index.stat().st_size)
    lines = [
        f"== kill test: {work.claims:,} claims, kill -9 of `kb index --rebuild` at a random 10-90% of the baseline",
        f"baseline: one full `kb index --rebuild` took {build_s:.2f} s; the index is {size} MB",
        "after each kill: `kb search '" + QUERY + "' --format json` (exit, ms, hits same as before the kills, what it "
        "did to the index), then `kb index` (exit, the state it reports); .kb/ listed after each",
        "scenarios: rebuild = `kb index --rebuild` killed at a random moment; cold = `kb index` with no index yet "
        "(.kb/ removed),",
        "           killed at a random moment, so the next command builds; stamp = `kb index --rebuild` killed the "
        "moment the",
        "           stamp's temporary file appears (the end of the build), on a separate knowledge base of "
        f"{STAMP_CLAIMS:,} claims",
        "",
        f"{'#':>2} {'scenario':<8} {'kill s':>6} {'%':>4} {'left by the kill':<34} {'search':>6} {'ms':>6} "
        f"{'hits':<4} {'did':<7} {'index':>5} {'state':<8} {'orph. after search':<18} {'orph. after index':<17} "
        f"{'integrity':<9} {'.kb MB':>6} {'tb':>2}",
    ]
    lines.append("-" * len(lines[-1]))
    for k in results:
        assert k.search is not None and k.index is not None
        when = f"{k.killed_s:.1f}" + ("*" if k.finished_first else "")
        share = f"{100 * k.killed_s / build_s:>3.0f}%" if k.scenario != "stamp" else "   -"
        lines.append(
            f"{k.number:>2} {k.scenario:<8} {when:>6} {share} {describe(k.left)[:34]:<34} "
            f"{k.search.code:>6} {1000 * k.search.seconds:>6.0f} {'same' if k.same_hits else 'DIFF':<4} "
            f"{k.search_state:<7} "
            f"{k.index.code:>5} {k.index_state:<8} {tally(k.after_search):<18} {tally(k.after_index):<17} "
            f"{k.integrity[:9]:<9} {mb(k.size):>6} {k.tracebacks:>2}"
        )
    if any(k.finished_first for k in results):
        lines.append("* the build ended before the kill (not a kill):")
        for k in results:
            if k.finished_first:
                tail = " | ".join(k.killed_stderr.strip().splitlines()[-2:])[:300]
                lines.append(f"  kill {k.number}: exit {k.killed_code}, stderr: {tail or '(empty)'}")
    stamps = [k for k in results if k.scenario == "stamp"]
    if stamps:
        lines.append(
            f"stamp-window kills ran on {stamps[0].claims:,} claims; builds started per kill (a kill that "
            f"came after the stamp's rename is tried again, up to {STAMP_TRIES}): "
            + ", ".join(str(k.attempts) for k in stamps)
        )
    lines.append("")
    for label, scenario in (("kills", "rebuild"), ("cold kills", "cold"), ("stamp-window kills", "stamp")):
        group = [k for k in results if k.scenario == scenario]
        if not group and scenario != "rebuild":
            continue
        count = len(group)
        lines.append(
            f"{label}: {count}, next command worked: {sum(k.worked for k in group)}/{count}, "
            f"orphans after next command: {sum(1 for k in group if k.new_after_search)}, "
            f"integrity ok: {sum(k.integrity == 'ok' for k in group)}/{count}, "
            f"tracebacks: {sum(k.tracebacks for k in group)}"
            + (f" ({ended} of them ended before the kill)" if (ended := sum(k.finished_first for k in group)) else "")
        )
    left = [k for k in results if k.left]
    lines.append(
        f"kills that left a temporary file in .kb/: {len(left)}/{len(results)} (the 'orph.' columns: "
        "whether it was still there after the next command)"
    )
    failures = [
        f"  kill {k.number}: {r.line()}"
        for k in results
        for r in (k.search, k.index)
        if r is not None and (r.code != 0 or r.traceback)
    ]
    failures += [
        f"  kill {k.number}: search hits differ from before the kills"
        for k in results
        if k.search is not None and k.search.code == 0 and not k.same_hits
    ]
    for k in results:
        new = {name: size for name, size in k.after_index.items() if name not in k.before}
        if new:
            failures.append(
                f"  kill {k.number} ({k.scenario}): left {flag(new)} in .kb/, still there after "
                "`kb search` and `kb index`"
            )
    lines += ["failures:", *failures] if failures else ["failures: none"]
    return "\n".join(lines)


# ---------------------------------------------------------------- 2. the concurrency test


@dataclass
class ReaderRun:
    phase: str
    reader: int
    kind: str
    start: float
    end: float
    code: int
    stderr: str
    output: str  # "A", "B", "other" (exit 0 but neither version's output) or "-" (no output)


@dataclass
class Edit:
    version: str
    mode: str  # "atomic" or "in place"
    start: float
    end: float


def write_atomic(path: Path, content: bytes) -> None:
    temporary = path.with_name(f".{path.name}.bench.tmp")  # a dot file: not one of the index's inputs
    temporary.write_bytes(content)
    os.replace(temporary, path)


def write_in_place(path: Path, content: bytes) -> None:
    with path.open("r+b") as stream:
        stream.truncate(0)
        for offset in range(0, len(content), CHUNK):
            stream.write(content[offset : offset + CHUNK])
            stream.flush()


class Concurrency:
    def __init__(self, work: Work, readers: int, seconds: float, seed: int) -> None:
        self.work, self.readers, self.seconds = work, readers, seconds
        self.rng = random.Random(seed)
        self.runs: list[ReaderRun] = []
        self.edits: list[Edit] = []
        self.rebuilds: list[h.Ran] = []
        self.rebuild_spans: list[tuple[float, float]] = []
        self.expected: dict[str, dict[str, Any]] = {"A": {}, "B": {}}
        self.lock = threading.Lock()
        self.epoch = time.perf_counter()
        self.versions = {"A": work.claims_file.read_bytes()}
        self.versions["B"] = version_b(self.versions["A"].decode()).encode()
        self.settled: list[str] = []
        self.final: dict[str, Any] = {}
        self.load: dict[str, str] = {}

    def command(self, kind: str) -> list[str]:
        return self.work.check() if kind == "check" else self.work.search()

    def kind(self, reader: int) -> str:
        return "check" if reader % 2 == 0 else "search"

    def classify(self, kind: str, stdout: str) -> str:
        try:
            value = json.loads(stdout)
        except ValueError:
            return "-"
        for version, outputs in self.expected.items():
            if kind in outputs and outputs[kind] == value:
                return version
        return "other"

    def reader(self, phase: str, number: int, deadline: float) -> None:
        kind = self.kind(number)
        command = self.command(kind)
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            ran = run(command, self.work.folder)
            with self.lock:
                self.runs.append(
                    ReaderRun(
                        phase,
                        number,
                        kind,
                        start - self.epoch,
                        start + ran.seconds - self.epoch,
                        ran.code,
                        ran.stderr,
                        ran.stdout,
                    )
                )

    def writer(self, deadline: float) -> None:
        """Edit claims.yaml every 0.5-1.5 s; keep one `kb index --rebuild` running (a new one once the last ended).

        So edits land before, during and after rebuilds, readers meet changed data mid-command, and some
        rebuilds start while the file is being written in place.
        """
        version = "B"  # B is on disk when the writer starts
        building: tuple[subprocess.Popen[str], list[str], float] | None = None
        while time.perf_counter() < deadline:
            version = "A" if version == "B" else "B"
            mode = "in place" if self.rng.random() < IN_PLACE_SHARE else "atomic"
            start = time.perf_counter()
            (write_in_place if mode == "in place" else write_atomic)(self.work.claims_file, self.versions[version])
            self.edits.append(Edit(version, mode, start - self.epoch, time.perf_counter() - self.epoch))
            if building is None or building[0].poll() is not None:
                if building is not None:
                    self.collect(*building)
                command = self.work.rebuild()
                process = subprocess.Popen(
                    command, cwd=self.work.folder, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
                )
                building = (process, command, time.perf_counter())
            time.sleep(max(0.0, min(self.rng.uniform(0.5, 1.5), deadline - time.perf_counter())))
        if building is not None:
            self.collect(*building)

    def collect(self, process: subprocess.Popen[str], command: list[str], start: float) -> None:
        stdout, stderr = process.communicate()
        seconds = time.perf_counter() - start
        self.rebuilds.append(h.Ran(command, process.returncode, stdout, stderr, seconds))
        self.rebuild_spans.append((start - self.epoch, start + seconds - self.epoch))

    def phase(self, name: str, with_writer: bool) -> None:
        h.log(
            f"{self.work.claims:,} claims: {self.readers} readers for {self.seconds:.0f} s, "
            f"{'with' if with_writer else 'no'} writer"
        )
        deadline = time.perf_counter() + self.seconds
        threads = [threading.Thread(target=self.reader, args=(name, n, deadline)) for n in range(self.readers)]
        if with_writer:
            threads.append(threading.Thread(target=self.writer, args=(deadline,)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.load[name] = h.load_average()

    def expect(self, version: str) -> None:
        h.need(run(self.work.index_cmd(), self.work.folder))
        for kind in ("check", "search"):
            self.expected[version][kind] = json.loads(h.need(run(self.command(kind), self.work.folder)).stdout)

    def measure(self) -> None:
        work = self.work
        h.need(run(work.index_cmd(), work.folder))
        self.expect("A")
        self.phase("baseline", with_writer=False)
        h.log(f"{work.claims:,} claims: writing version B and indexing it (its expected outputs)")
        write_atomic(work.claims_file, self.versions["B"])
        self.expect("B")
        self.phase("writer", with_writer=True)
        # Quiet again: one kb index, then each reader command once; their output must be the version on disk.
        content = work.claims_file.read_bytes()
        on_disk = next((v for v, text in self.versions.items() if content == text), "neither")
        self.settle(on_disk, work.index_cmd())
        if not (self.final["check"] and self.final["search"]):  # stale: does a forced rebuild put it right?
            self.settle(on_disk, work.rebuild())
        self.final["orphans"] = orphans(work.dot_kb)
        self.final["integrity"] = integrity(work.index)

    def settle(self, on_disk: str, index_command: list[str]) -> None:
        ran = run(index_command, self.work.folder)
        state = re.search(r"kb index: (\w+):", ran.stderr)
        parts = [f"`{' '.join(h.short(index_command))}` exit {ran.code} ({state.group(1) if state else '?'})"]
        for kind in ("check", "search"):
            ran = run(self.command(kind), self.work.folder)
            got = self.classify(kind, ran.stdout) if ran.code == 0 else f"exit {ran.code}"
            parts.append(f"{kind} gives {got}" + ("" if got == on_disk else " (STALE)"))
            self.final[kind] = got == on_disk
        self.settled.append(f"claims.yaml on disk is {on_disk}: " + ", ".join(parts))

    def overlaps_in_place(self, start: float, end: float) -> bool:
        return any(e.mode == "in place" and start < e.end and end > e.start for e in self.edits)

    def report(self) -> str:
        work = self.work
        lines = [
            f"== concurrency test: {work.claims:,} claims, {self.readers} readers x {self.seconds:.0f} s "
            f"(even readers `kb check` on {CHECK_PAGES} pages, odd readers `kb search '{QUERY}'`), "
            "then the same with a writer",
            f"writer: {len(self.edits)} edits of claims.yaml ({mb(len(self.versions['A']))} MB; "
            f"{sum(e.mode == 'atomic' for e in self.edits)} atomic, {sum(e.mode == 'in place' for e in self.edits)} "
            f"in place) every 0.5-1.5 s, one `kb index --rebuild` kept running: {len(self.rebuilds)} rebuilds, "
            f"exit codes {dict(Counter(r.code for r in self.rebuilds))}, "
            f"{' / '.join(f'{r.seconds:.1f}' for r in self.rebuilds)} s",
            "",
            f"{'phase':<9} {'command':<7} {'runs':>5}  {'exit codes':<22} {'output A/B/other/none':<22} "
            f"{'p50 ms':>7} {'p90 ms':>7} {'max ms':>7}",
        ]
        lines.append("-" * len(lines[-1]))
        for phase in ("baseline", "writer"):
            for kind in ("check", "search"):
                group = [r for r in self.runs if r.phase == phase and r.kind == kind]
                codes = ", ".join(f"{code}: {n}" for code, n in sorted(Counter(r.code for r in group).items()))
                outputs = Counter(self.classify(kind, r.output) if r.code == 0 else "-" for r in group)
                shown = "/".join(str(outputs.get(k, 0)) for k in ("A", "B", "other", "-"))
                latency = [r.end - r.start for r in group]
                p50, p90 = h.percentile_ms(latency, 0.5), h.percentile_ms(latency, 0.9)
                lines.append(
                    f"{phase:<9} {kind:<7} {len(group):>5}  {codes:<22} {shown:<22} {p50:>7.0f} "
                    f"{p90:>7.0f} {1000 * max(latency, default=0):>7.0f}"
                )
        lines.append(
            "load average (1, 5, 15 min) after each phase: "
            + "; ".join(f"{phase} {value}" for phase, value in self.load.items())
        )
        lines.append("")
        everything = [*(r.stderr for r in self.runs), *(r.stderr + r.stdout for r in self.rebuilds)]
        words = {word: sum(word in text.lower() for text in everything) for word in BAD_WORDS}
        tracebacks = sum(h.TRACEBACK in text for text in everything) + sum(h.TRACEBACK in r.output for r in self.runs)
        internal = sum("internal error" in text for text in everything)
        lines.append(
            "messages in any reader's or writer's output: tracebacks "
            + str(tracebacks)
            + f", internal errors (exit 3) {internal}, "
            + ", ".join(f"'{word}' {count}" for word, count in words.items())
        )
        writer_runs = [r for r in self.runs if r.phase == "writer"]
        lines.append(
            f"reader runs that overlapped an in-place write of claims.yaml: "
            f"{sum(self.overlaps_in_place(r.start, r.end) for r in writer_runs)}/{len(writer_runs)}; writer "
            f"rebuilds that did: {sum(self.overlaps_in_place(*span) for span in self.rebuild_spans)}/"
            f"{len(self.rebuild_spans)}; writer rebuilds during which claims.yaml was edited (any way): "
            f"{sum(any(s < e.start < f for e in self.edits) for s, f in self.rebuild_spans)}/"
            f"{len(self.rebuild_spans)}"
        )
        failed = [r for r in self.runs if r.code != 0]
        during = sum(self.overlaps_in_place(r.start, r.end) for r in failed)
        lines.append(
            f"reader runs that did not exit 0: {len(failed)} ({during} of them overlapped an in-place write "
            "of claims.yaml)"
        )
        messages = Counter(
            (r.kind, r.code, first_error(r.stderr), self.overlaps_in_place(r.start, r.end)) for r in failed
        )
        for (kind, code, message, overlapped), count in messages.most_common(12):
            where = "during an in-place write" if overlapped else "no in-place write running"
            lines.append(f"  {count:>4} x `kb {kind}` exit {code} ({where}): {message}")
        for ran in self.rebuilds:
            if ran.code != 0:
                lines.append(f"  writer: {ran.line()}")
        lines.append("quiet again afterwards:")
        lines += [f"  {line}" for line in self.settled]
        lines.append(f"  .kb/ extra files: {flag(self.final['orphans'])}; integrity: {self.final['integrity']}")
        if len(self.settled) > 1:
            lines.append(
                "  FAILURE: after the writer stopped, the index served the other version's claims while kb "
                "called it up to date (see above)"
            )
        return "\n".join(lines)


def first_error(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    chosen = next((line for line in lines if line.startswith("kb:")), lines[-1] if lines else "(no stderr)")
    chosen = re.sub(r"/\S*/(kb-\d+)/", r"\1/", chosen)  # the temporary work folder out of the message
    return chosen[:300]


# ---------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = h.parser(__doc__)
    parser.add_argument("--claims", type=int, default=10_000, help="claims in the generated knowledge base")
    parser.add_argument("--kills", type=int, default=20, help="kill -9s of `kb index --rebuild` (default 20)")
    parser.add_argument(
        "--stamp-kills",
        type=int,
        default=2,
        help="kill -9s of `kb index --rebuild` the moment it writes the stamp (default 2)",
    )
    parser.add_argument(
        "--cold-kills", type=int, default=1, help="kill -9s of a first build, with no index yet (default 1)"
    )
    parser.add_argument("--readers", type=int, default=8, help="reader processes at a time (default 8)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each concurrency phase (default 20)")
    parser.add_argument(
        "--concurrency-claims",
        default=None,
        help="comma-separated sizes for the concurrency test (default: --claims; e.g. 1000,10000 "
        "adds a small knowledge base, whose rebuilds are shorter)",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--live-source",
        action="store_true",
        help="run kb from the project as it is (by default from a snapshot of kb/ taken at the start, "
        "so edits to kb/ during the run do not make every command rebuild)",
    )
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a removed temp dir)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    sizes = h.numbers(args.concurrency_claims) if args.concurrency_claims else [args.claims]
    kb = h.kb_command()
    with h.work_folder(args.keep, "kb-faults-") as root:
        h.use_bytecode_cache(root)
        started = time.perf_counter()
        source = h.kb_source()
        if not args.live_source:  # others may edit kb/ during the run; the index's inputs include kb's code
            shutil.copytree(h.PROJECT / "kb", root / "src" / "kb", ignore=shutil.ignore_patterns("__pycache__"))
            SOURCE["PYTHONPATH"] = str(root / "src")
        print(h.machine())
        print(
            f"kb: {kb}; SQLite {sqlite3.sqlite_version}; seed {args.seed}; sqlite3 shell: "
            f"{shutil.which('sqlite3') or 'none (Python sqlite3 module)'}",
            flush=True,
        )
        main_work = make_work(kb, root, args.claims)
        print(
            f"data: {args.claims:,} claims, {mb(h.folder_size(main_work.data))} MB, generated in "
            f"{main_work.generate_s:.1f} s by corpus.knowledge.Generator\n",
            flush=True,
        )
        before = h.load_average()
        build_s, kills = kill_test(main_work, args.kills, args.cold_kills, args.seed)
        if args.stamp_kills:
            small = make_work(kb, root, min(STAMP_CLAIMS, args.claims)) if args.claims > STAMP_CLAIMS else main_work
            kills += stamp_test(small, args.stamp_kills, len(kills) + 1)
        print(kill_report(main_work, build_s, kills), flush=True)
        print(f"load average (1, 5, 15 min) before / after the kill test: {before} / {h.load_average()}\n", flush=True)
        for size in sizes:
            work = main_work if size == args.claims else make_work(kb, root, size)
            test = Concurrency(work, args.readers, args.seconds, args.seed + size)
            test.measure()
            print(test.report() + "\n", flush=True)
        print(f"total bench time {time.perf_counter() - started:.0f} s", flush=True)
        after = h.kb_source()
        if args.live_source:
            changed = f"; WARNING: kb/ changed during the run (now {after}): the index's inputs include kb's code, so "
            changed += "commands after the change rebuilt"
            print(f"kb source measured: {source}" + ("" if after == source else changed), flush=True)
        else:
            changed = f" (kb/ in the project is now {after})"
            print(
                f"kb source measured: a snapshot of kb/ taken at the start, {source}"
                + ("" if after == source else changed),
                flush=True,
            )


if __name__ == "__main__":
    main()
