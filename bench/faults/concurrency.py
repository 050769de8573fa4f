"""2. The concurrency test: reader loops (`kb check`, `kb search`) alone and then beside a writer that edits
claims.yaml between two valid versions (atomically or in place) and keeps one `kb index --rebuild` running."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import harness as h
from corpus.knowledge import version_b

from .work import Work, env, integrity, orphans, run

CHUNK = 64 * 1024  # an in-place write in 64 KiB pieces, as cp and most editors' plain save do
IN_PLACE_SHARE = 1 / 3


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
