"""The parent's side: a snapshot of data/ and its index, the stages run as child processes of the script
(`--child`), the pages written, and `kb contradictions` end to end under a capped wrapper."""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import harness as h
from corpus import REAL_DATA
from corpus.statements import OUTLIER_RATE, PAGES_PER_FOLDER, write_pages

STRESS_OUTLIER_RATE = 0.10
CLI_TIMEOUT_S = 400.0
Record = dict[str, Any]


@dataclass
class Setup:
    root: Path
    data: Path
    db: Path
    index_s: float
    script: Path  # the benchmark script, run again with --child for each stage

    def env(self) -> dict[str, str]:
        return h.clean_env() | {"KB_DATA": str(self.data), "KB_DATABASE_URL": f"sqlite:///{self.db}"}


def run_child(setup: Setup, *arguments: str) -> Record:
    command = [sys.executable, str(setup.script), "--child", *arguments]
    done = subprocess.run(command, cwd=setup.root, env=setup.env(), stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} exited {done.returncode}")
    result: Record = json.loads(done.stdout)
    return result


def prepare(root: Path, kb_cmd: str, script: Path) -> Setup:
    """A snapshot of the bundled data (others may be editing data/) and its index, both in the work folder."""
    data = root / "data"
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(REAL_DATA, data)
    db = root / "index.sqlite"
    seconds = h.run([kb_cmd, "index", "--data", str(data), "--db", str(db)], root)[0]
    return Setup(root, data, db, seconds, script)


def cli_help(kb_cmd: str, setup: Setup) -> str | None:
    """The help text of `kb contradictions`, or None while the command does not exist."""
    ran = h.capture([kb_cmd, "contradictions", "--help"], None, setup.env())
    return ran.stdout if ran.code == 0 else None


def run_cli(kb_cmd: str, help_text: str, folder: Path, pages: int, setup: Setup, memory_gb: float) -> Record:
    """`kb contradictions FOLDERS --format json [--jobs 2] [--fail-on none]` on the first `pages` pages, under a
    wrapper that caps its address space and time and reports wall time, CPU of the process tree and the largest
    single process's RSS."""
    sections = sorted(p for p in folder.iterdir() if p.is_dir())[: math.ceil(pages / PAGES_PER_FOLDER)]
    command = [kb_cmd, "contradictions", *map(str, sections), "--format", "json"]
    if "--jobs" in help_text:
        command += ["--jobs", "2"]
    if "--fail-on" in help_text:
        command += ["--fail-on", "none"]
    if "--data" in help_text and "--db" in help_text:
        command += ["--data", str(setup.data), "--db", str(setup.db)]
    out = setup.root / "contradictions.json"
    result = h.measured(command, out, setup.root, setup.env(), cap=(int(memory_gb * 2**30), CLI_TIMEOUT_S))
    shown = [*command[1:2], f"<{len(sections)} folders>", *command[2 + len(sections) :]]
    result |= {"pages": pages, "command": " ".join(["kb", *shown]).replace(str(setup.root), "WORK")}
    result["out_mb"] = out.stat().st_size / 2**20 if out.exists() else 0.0
    try:
        summary = json.loads(out.read_text(encoding="utf-8")).get("summary", {})
    except (OSError, ValueError, AttributeError):
        summary = {}
    result["summary"] = summary
    out.unlink(missing_ok=True)
    return result


def compare_all(args: argparse.Namespace, setup: Setup) -> list[Record]:
    plan = [(size, OUTLIER_RATE) for size in args.sizes]
    if not args.no_stress:
        plan.append((args.sizes[-1], STRESS_OUTLIER_RATE))
    results = []
    for size, rate in plan:
        naive = not args.no_naive and size == args.sizes[0]
        profile = args.profile and size == args.sizes[-1] and rate == OUTLIER_RATE
        h.log(f"comparison: {size:,} statements, {rate:.0%} outliers{' (and the all-pairs baseline)' if naive else ''}")
        flags = [*(["--naive"] if naive else []), *(["--profile"] if profile else [])]
        results.append(run_child(setup, "compare", "--size", str(size), "--outlier-rate", str(rate), *flags))
        h.log(f"  {statistics.median(results[-1]['times']):.3f} s, peak {results[-1]['rss_mb']:.0f} MB")
    return results


def read_stage(args: argparse.Namespace, setup: Setup, kb_cmd: str) -> tuple[Record, list[Record], str]:
    """Stage 2: write the pages, read them in one child process, then `kb contradictions` end to end."""
    folder = setup.root / "corpus"
    shutil.rmtree(folder, ignore_errors=True)
    h.log(f"writing {args.pages:,} pages in {folder}")
    size = write_pages(folder, args.pages)[1]
    h.log("reading them in one process")
    flags = ["--cli-memory-gb", str(args.cli_memory_gb), *(["--profile"] if args.profile else [])]
    read = run_child(setup, "read", "--folder", str(folder), *flags)
    read["mb"] = size / 2**20
    help_text = cli_help(kb_cmd, setup) if args.cli_pages else None
    if not args.cli_pages:
        return read, [], "kb contradictions end to end: skipped (--cli-pages 0)"
    if help_text is None:
        return read, [], "kb contradictions end to end: not measured (no `kb contradictions` command yet)"
    cli = []
    for pages in args.cli_pages:
        h.log(f"kb contradictions end to end on {pages:,} pages")
        cli.append(run_cli(kb_cmd, help_text, folder, pages, setup, args.cli_memory_gb))
        h.log(f"  {cli[-1]['wall']:.1f} s, exit {cli[-1]['rc']}, peak {cli[-1]['maxrss_kb'] / 1024:.0f} MB")
    return read, cli, ""
