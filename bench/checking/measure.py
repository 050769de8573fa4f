"""Measuring `kb check`: each run under a fresh wrapper (wall, CPU, peak RSS), an untimed `kb index` before each
measurement, one warm-up per knowledge base, the ripgrep floor, and a cProfile of one whole process (--profile)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import harness as h
from corpus.pages import Corpus

from .knowledge_bases import KnowledgeBase, prepare_knowledge_base

RG_RUNS = 5
Record = dict[str, Any]


@dataclass
class Run:
    claims: int
    pages: int
    jobs: int
    mb: float
    walls: list[float] = field(default_factory=list)
    cpu: float = 0.0
    peak_mb: float = 0.0
    findings: int = 0
    files_with_findings: int = 0
    kb_source: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall

    @property
    def mb_per_s(self) -> float:
        return self.mb / self.wall


def check_command(kb_cmd: str, corpus: Path, kb: KnowledgeBase, jobs: int) -> list[str]:
    return [kb_cmd, "check", str(corpus), "--format", "json", "--fail-on", "none", "--jobs", str(jobs), *kb.where()]


def measured(command: Sequence[str], root: Path) -> tuple[Record, Path]:
    """Run `command` under a fresh wrapper process; its wall time, CPU and peak RSS, and where stdout went."""
    out = root / "check-output.json"
    result = h.measured(command, out, root, h.clean_env())
    if result["rc"] != 0:
        sys.exit(f"bench: {' '.join(command)} exited {result['rc']}\n{result['stderr']}")
    return result, out


def measure_check(kb_cmd: str, corpus: Corpus, kb: KnowledgeBase, jobs: int, root: Path, repeat: int) -> Run:
    run = Run(kb.size, corpus.pages, jobs, corpus.mb)
    h.log(f"kb check: {kb.size:,} claims, {corpus.pages:,} pages, --jobs {jobs} (x{repeat})")
    refresh_index(kb_cmd, kb, root)
    run.kb_source = h.kb_source()
    for _ in range(repeat):
        result, out = measured(check_command(kb_cmd, corpus.folder, kb, jobs), root)
        run.walls.append(result["wall"])
        run.cpu = max(run.cpu, result["cpu"])
        run.peak_mb = max(run.peak_mb, result["maxrss_kb"] / 1024)
        findings = json.loads(out.read_text(encoding="utf-8"))
        run.findings, run.files_with_findings = len(findings), len({f["path"] for f in findings})
    h.log(f"  {run.wall:.2f} s, {run.pages_per_s:.0f} pages/s, peak {run.peak_mb:.0f} MB, {run.findings} findings")
    return run


def refresh_index(kb_cmd: str, kb: KnowledgeBase, root: Path) -> None:
    """Untimed `kb index` (a no-op when fresh), so no measured check includes a rebuild after kb's index format
    changed (kb/ is edited while benchmarks run)."""
    seconds = h.run([kb_cmd, "index", *kb.where()], root)[0]
    if seconds > 5:
        h.log(f"  kb index rebuilt the {kb.size:,}-claim index first ({seconds:.0f} s, untimed)")


def warm_up(kb_cmd: str, corpus: Corpus, kb: KnowledgeBase, root: Path) -> None:
    """One untimed run: bytecode cache, the index's pages in the OS cache, the corpus read once."""
    measured(check_command(kb_cmd, corpus.folder, kb, 1), root)


def ripgrep(corpus: Corpus, root: Path) -> tuple[float, int] | None:
    """Median wall time of `rg -c '[0-9]+' CORPUS` over RG_RUNS runs after one warm-up, and the lines it counted."""
    rg = shutil.which("rg")
    if rg is None and os.geteuid() == 0 and shutil.which("apt-get"):
        h.log("rg not found; trying apt-get install -y ripgrep")
        subprocess.run(["apt-get", "install", "-y", "ripgrep"], capture_output=True, check=False)
        rg = shutil.which("rg")
    if rg is None:
        h.log("rg (ripgrep) not found: install it with `apt-get install ripgrep` (Debian/Ubuntu)")
        return None
    command = [rg, "-c", "[0-9]+", str(corpus.folder)]
    done = [h.capture(command, root, None) for _ in range(RG_RUNS + 1)]  # the first is the warm-up
    samples = [ran.seconds for ran in done[1:]]
    lines = sum(int(line.rsplit(":", 1)[1]) for line in done[-1].stdout.splitlines() if ":" in line)
    return statistics.median(samples), lines


def measure_all(
    args: argparse.Namespace, root: Path, kb_cmd: str, corpora: dict[int, Corpus]
) -> tuple[list[KnowledgeBase], list[Run]]:
    kbs, runs = [], []
    largest = max(corpora)
    for size in args.sizes:
        kb = prepare_knowledge_base(size, root, kb_cmd)
        kbs.append(kb)
        warm_up(kb_cmd, corpora[min(corpora)], kb, root)
        counts = sorted(corpora) if size == min(args.sizes) else [largest]
        for jobs in args.jobs:
            for count in counts:
                runs.append(measure_check(kb_cmd, corpora[count], kb, jobs, root, args.repeat))
    return kbs, runs


def profile_check(kb_cmd: str, corpus: Corpus, kb: KnowledgeBase, root: Path, top: int = 25) -> str:
    """cProfile of one whole `kb check --jobs 1` process (imports included): top by cumulative, then by own time."""
    target = root / "check.prof"
    command = check_command(kb_cmd, corpus.folder, kb, 1)
    h.log(f"profiling kb check: {kb.size:,} claims, {corpus.pages:,} pages")
    refresh_index(kb_cmd, kb, root)
    seconds = h.profile_process(command, target, root)
    out = [
        f"==== cProfile of one kb check process: {kb.size:,} claims, {corpus.pages:,} pages, --jobs 1 "
        f"({seconds:.1f} s under the profiler; {h.kb_source()})"
    ]
    out += h.ranked(target, (("cumulative", top), ("tottime", 15)))
    target.unlink(missing_ok=True)
    return "\n".join(out)
