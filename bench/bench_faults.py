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
import shutil
import sqlite3
import time
from collections.abc import Sequence

import harness as h
from faults.concurrency import Concurrency
from faults.concurrency_report import concurrency_report
from faults.kill import STAMP_CLAIMS, kill_test, stamp_test
from faults.kill_report import kill_report
from faults.work import SOURCE, make_work, mb

SEED = 20261201


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
            print(concurrency_report(test) + "\n", flush=True)
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
