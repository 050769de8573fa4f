"""Benchmark the index keeping up with editing (issue 12, part 4), in one run, beside today's full rebuild.

    python bench/bench_incremental.py                           # 10,000 claims, then the first build at 100,000
    python bench/bench_incremental.py --size 2000 --large 0     # small and quick (CI size)
    python bench/bench_incremental.py --against ef295aa --runs 5   # beside the incremental index before its speed-up

At `--size` claims (default 10,000): the full rebuild (`kb index --rebuild`) with the code of `--against` (default
0e97d71, the commit before the incremental index; checked out into a temporary git worktree and run with PYTHONPATH
pointing at it, as bench_commands.py does) and with this tree; then, with this tree, "add one claim, then `kb search`"
and "add one claim, then `kb show ID`", end to end (the process that finds the edit updates the index, then
answers), median of `--runs`, with this tree and with the `--against` code (the same edits on two copies of the
data, alternating), each run adding a new claim (at the end of claims.yaml, as a writer appends one, and
with a word no claim had); the same with the claim inserted in the middle of the file (half the claims move: their
rows are copied with new ids). At `--large` claims (default 100,000): the first build with this tree (and with
the `--against` code unless --no-large-baseline). Targets (the issue's): ~1 s for search or show after one added
claim at 10,000 claims; first build at 100,000 claims under 30 s.

The data is `corpus.knowledge.Generator`'s (synthetic, deterministic, valid). Not a test: run it by hand.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from argparse import Namespace
from pathlib import Path

import harness as h
from corpus.knowledge import Generator

ROOT = Path(__file__).resolve().parent.parent
QUERY = "three out of four"
SEARCH_TARGET_S = 1.0
LARGE_TARGET_S = 30.0
_CLAIM = re.compile(r"^(?:  )?- id: (\S+)\n", re.MULTILINE)


def kb(tree: Path | None, *args: str | Path) -> tuple[float, str]:
    """Wall time of one `python -m kb` process run from `tree` (None: this tree), and its stderr."""
    env = h.clean_env() | {"PYTHONPATH": str(tree or ROOT)}
    start = time.perf_counter()
    # Run from the tree itself: `python -m kb` looks in the working folder before PYTHONPATH, so from this
    # repository's root the baseline would run this tree's code.
    command = [sys.executable, "-m", "kb", *map(str, args)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=tree or ROOT)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"bench: kb {' '.join(map(str, args))} exited {done.returncode}: {done.stderr[-800:]}")
    return elapsed, done.stderr


def add_claim(data: Path, tag: str, middle: bool) -> str:
    """Append (or insert in the middle) a copy of a claim with a new id and a word no claim has. Returns the id."""
    path = data / "claims.yaml"
    text = path.read_text(encoding="utf-8")
    starts = [m.start() for m in _CLAIM.finditer(text, text.index("\nclaims:"))]
    plain = re.compile(r"^ *statement: [A-Za-z].*\.$", re.MULTILINE)  # unquoted, ends with a full stop
    donor = next(text[a:b] for a, b in zip(starts[7:], starts[8:], strict=False) if plain.search(text, a, b))
    ident = f"bench-added-{tag}"
    claim = _CLAIM.sub(lambda m: m.group(0).replace(m.group(1), ident), donor, count=1)
    claim = re.sub(r"(statement: .*)\.\n", rf"\1 benchword{tag}.\n", claim, count=1)
    where = starts[len(starts) // 2] if middle else len(text.rstrip("\n")) + 1
    tail = "" if middle or text.endswith("\n") else "\n"
    path.write_text(text[:where] + tail + claim + text[where:], encoding="utf-8")
    return ident


def edit_then(tree: Path | None, data: Path, db: Path, tag: str, command: str, middle: bool = False) -> float:
    ident = add_claim(data, tag, middle)
    args = ["search", QUERY] if command == "search" else ["show", ident]
    seconds, err = kb(tree, *args, "--format", "json", "--data", data, "--db", db)
    return seconds


def state_of(tree: Path | None, data: Path, db: Path) -> str:
    return kb(tree, "index", "--data", data, "--db", db)[1].split(":")[1].strip()


def main() -> None:
    cli = h.parser(__doc__)
    cli.add_argument("--size", type=int, default=10_000, help="claims for the editing figures (default 10,000)")
    cli.add_argument("--large", type=int, default=100_000, help="claims for the first build (0: skip)")
    cli.add_argument("--against", default="0e97d71", help="git ref of today's full rebuild (default 0e97d71)")
    cli.add_argument("--runs", type=int, default=5, help="edits timed per figure (median reported)")
    cli.add_argument("--no-large-baseline", action="store_true", help="skip the --against build at --large")
    args = cli.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-bench-incremental-") as work:
        root = Path(work)
        h.use_bytecode_cache(root)
        other = root / "other"
        subprocess.run(["git", "worktree", "add", "--detach", str(other), args.against], cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        try:
            print(h.machine())
            print(f"this tree: {h.kb_source()}; baseline: {args.against}; {args.runs} runs per edit figure")
            print(h.bytecode_note(), flush=True)
            warm(None, root)
            warm(other, root)
            lines = measure(root, other, args)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False)
    print("\n".join(lines))


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted; kb_meta's stat signature aside (see tests/index/incremental.py)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        names = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        tables = {name: sorted(connection.execute(f"SELECT * FROM {name}"), key=repr) for name in names}
    tables["kb_meta"] = [row for row in tables["kb_meta"] if row[0] != "stat_signature"]
    return tables


def warm(tree: Path | None, root: Path) -> None:
    """One small build with each tree first: the bytecode cache is written outside the timings."""
    data = root / f"warm-{'other' if tree else 'this'}"
    Generator(50).write(data)
    kb(tree, "index", "--data", data, "--db", data / "index.sqlite")
    kb(tree, "search", QUERY, "--data", data, "--db", data / "index.sqlite")


def row(name: str, seconds: float, target: float | None = None) -> str:
    mark = "" if target is None else f"  (target {target:g} s: {h.mark(seconds < target)})"
    return f"{name:<76} {seconds:8.2f} s{mark}"


def measure(root: Path, other: Path, args: Namespace) -> list[str]:
    size, large, runs = args.size, args.large, args.runs
    data = root / "data"
    h.log(f"generating {size:,} claims")
    Generator(size).write(data)
    base_db, this_db = root / "base.sqlite", root / "this.sqlite"
    lines = [f"---- {size:,} claims ({h.folder_size(data) / 1e6:.1f} MB of data); load average {h.load_average()}"]
    rebuilds: dict[str, list[float]] = {str(args.against): [], "this tree": []}
    for turn in range(2):  # alternating, so a change in the machine's load falls on both
        for name, tree, db in ((str(args.against), other, base_db), ("this tree", None, this_db)):
            h.log(f"full rebuild {turn + 1} of 2, {name}")
            rebuilds[name].append(kb(tree, "index", "--rebuild", "--data", data, "--db", db)[0])
    for name, samples in rebuilds.items():
        lines.append(row(f"full rebuild (kb index --rebuild), {name}, mean of 2", statistics.mean(samples)))
        lines.append(f"{'':<76}   runs: {', '.join(f'{s:.2f}' for s in samples)}")
    lines.append(f"load average before the edits: {h.load_average()}")
    # The same edits on two copies of the data, one kept by each tree's index, alternating within each run.
    base_data = root / "data-base"
    shutil.copytree(data, base_data)
    kb(other, "index", "--data", base_data, "--db", base_db)
    figures: dict[tuple[str, str], list[float]] = {}
    for run in range(runs):
        h.log(f"edits, run {run + 1} of {runs}")
        for command in ("search", "show"):
            for middle in (False, True):
                name = f"add one claim {'in the middle' if middle else 'at the end'}, then kb {command}"
                tag = f"{run}{command[:2]}{int(middle)}"
                for label, tree, where, db in (
                    ("this tree", None, data, this_db),
                    (str(args.against), other, base_data, base_db),
                ):
                    seconds = edit_then(tree, where, db, tag, command, middle)
                    figures.setdefault((name, label), []).append(seconds)
    assert state_of(None, data, this_db) == "fresh"
    for (name, label), samples in figures.items():
        target = SEARCH_TARGET_S if "at the end" in name and label == "this tree" else None
        lines.append(row(f"{name} (median of {runs}, {label})", statistics.median(samples), target))
        lines.append(f"{'':<76}   runs: {', '.join(f'{s:.2f}' for s in samples)}")
    h.log("the index kept up to date, against a full rebuild of the same data")
    full_db = root / "full.sqlite"
    kb(None, "index", "--rebuild", "--data", data, "--db", full_db)
    same = _dump(this_db) == _dump(full_db)
    edits = len(figures) // 2 * runs
    lines.append(f"after {edits} edits the updated index equals a full rebuild, table by table: {same}")
    if large:
        lines += measure_large(root, other, large, args)
    return lines


def measure_large(root: Path, other: Path, large: int, args: Namespace) -> list[str]:
    data = root / "large"
    h.log(f"generating {large:,} claims")
    Generator(large).write(data)
    lines = [f"---- {large:,} claims ({h.folder_size(data) / 1e6:.1f} MB of data); load average {h.load_average()}"]
    h.log("first build, this tree")
    seconds = kb(None, "index", "--data", data, "--db", root / "large-this.sqlite")[0]
    lines.append(row("first build (kb index), this tree", seconds, LARGE_TARGET_S))
    if not args.no_large_baseline:
        h.log("first build, baseline")
        seconds = kb(other, "index", "--data", data, "--db", root / "large-base.sqlite")[0]
        lines.append(row(f"first build (kb index), {args.against}", seconds))
    lines.append(f"load average after: {h.load_average()}")
    (root / "large-this.sqlite").unlink(missing_ok=True)
    return lines


if __name__ == "__main__":
    os.environ.pop("KB_DATA", None)
    main()
