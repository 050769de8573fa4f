"""`kb show`, `kb search` and `kb check` end to end, this tree beside another commit, in one run.

    python bench/bench_commands.py --against be6b33d            # 15 alternating runs of each command
    python bench/bench_commands.py --against main~3 --runs 31

The other commit is checked out into a temporary git worktree and run with `PYTHONPATH` pointing at it, on its own
`data/`; this tree is run the same way, so both start the same interpreter the same way (`python -m kb`). Each
side gets its own index in the temporary folder, built before timing. Runs alternate (A, B, A, B, ...) so a noisy
neighbour hits both alike; the report gives medians, the p90, the fastest run and the ratio this/other (below 1:
this tree is faster).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "kb show (card)": ["show", "jefferson-40-percent-first-infusion"],
    "kb search (text)": ["search", "relief lasts days"],
    "kb search --format json": ["search", "75 percent improved", "--format", "json"],
    "kb check one page (json)": ["check", "{tree}/data/pages/relevare.txt", "--format", "json", "--fail-on", "none"],
    "kb check one page (text)": ["check", "{tree}/data/pages/relevare.txt", "--fail-on", "none"],
    # 24 real pages nobody curated (../shared/corpus/), where the issue-10 engine does its work
    "kb check 24 corpus pages": [
        "check",
        str(ROOT.parent / "shared" / "corpus" / "ketamine"),
        "--format",
        "json",
        "--fail-on",
        "none",
    ],  # fmt: skip
}


def run(tree: Path, db: Path, args: list[str]) -> float:
    """One timed process. It runs in the index's folder, not in a source tree: `python -m` puts the working
    directory first on sys.path, ahead of PYTHONPATH, so running from this tree would time this tree twice."""
    # Bytecode is cached as an installed package's is (a machine may set PYTHONDONTWRITEBYTECODE; kb's own cost
    # is then mostly recompiling its modules, which no installed kb does).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"PYTHONPATH": str(tree), "NO_COLOR": "1", "COLUMNS": "120"}
    # Each side reads its own data/: a knowledge base may use fields the other side's schema does not know.
    filled = [arg.replace("{tree}", str(tree)) for arg in args]
    command = [sys.executable, "-m", "kb", *filled, "--data", str(tree / "data"), "--db", str(db)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=db.parent, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{tree}: {' '.join(args)} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", required=True, help="git ref to compare with")
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command on each side")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kb-bench-commands-") as work:
        other = Path(work) / "other"
        subprocess.run(["git", "worktree", "add", "--detach", str(other), args.against], cwd=ROOT, check=True,
                       capture_output=True)  # fmt: skip
        try:
            sides = {"this": (ROOT, Path(work) / "this.sqlite"), "other": (other, Path(work) / "other.sqlite")}
            for side, (tree, db) in sides.items():
                found = subprocess.run(
                    [sys.executable, "-c", "import kb; print(kb.__file__)"],
                    cwd=db.parent, env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, text=True,
                )  # fmt: skip
                if not found.stdout.startswith(str(tree)):
                    raise SystemExit(f"{side}: kb is imported from {found.stdout.strip()}, not from {tree}")
                run(tree, db, ["index"])  # build the index and the bytecode cache outside the timings
                for command in COMMANDS.values():
                    run(tree, db, command)
            head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
            print(f"this tree ({head.stdout.strip()}, with local changes if any) against {args.against}; "
                  f"{args.runs} alternating runs each, python -m kb, ms")  # fmt: skip
            print(f"{'command':<28} {'this median':>11} {'p90':>7} {'min':>6} {'other median':>12} {'p90':>7} "
                  f"{'min':>6} {'ratio':>6}")  # fmt: skip
            for name, command in COMMANDS.items():
                times: dict[str, list[float]] = {"this": [], "other": []}
                for _ in range(args.runs):
                    for side, (tree, db) in sides.items():
                        times[side].append(run(tree, db, command) * 1000)
                medians = {side: statistics.median(values) for side, values in times.items()}
                p90 = {side: sorted(values)[int(0.9 * (len(values) - 1))] for side, values in times.items()}
                ratio = medians["this"] / medians["other"]
                low = {side: min(values) for side, values in times.items()}
                print(f"{name:<28} {medians['this']:>11.0f} {p90['this']:>7.0f} {low['this']:>6.0f} "
                      f"{medians['other']:>12.0f} {p90['other']:>7.0f} {low['other']:>6.0f} {ratio:>6.2f}")  # fmt: skip
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
