"""Benchmark `kb contradictions`: comparing 10,000 to 100,000 statements across 1,000 to 10,000 pages.

Not a test: run it by hand, on a quiet machine, and read the table.

    python bench/bench_contradictions.py                  # 10k, 30k, 100k statements; reading 10,000 pages
    python bench/bench_contradictions.py --quick          # 1k, 3k, 10k statements; reading 1,000 pages
    python bench/bench_contradictions.py --sizes 100000 --pages 0 --profile
    python bench/bench_contradictions.py --generate-only /tmp/pages --pages 500   # the page corpus only

Three stages, each measured in a fresh process (`--child`) so its peak RSS is its own:

1. Comparison (the target): N statements on about N/10 pages across the bundled vocabulary's detectable subjects,
   worded from realistic phrasings ("about an hour", "45 minutes to an hour", "2 to 4 hours", hedges, number words,
   stances, study cities and journals, about 1% outliers; 70% of sentences led in by the page's own clinic or town
   name or a stock phrase, so most sentences are unique), each distinct sentence read once by
   `kb.language.statements.sentence_statements` so the values are the engine's own, relative times resolved per
   page. Then `kb.contradictions.report.find_conflicts` is timed (median of 5), with the process's peak RSS and the
   tracemalloc peak of one more call. Target (the issue's): under 5 s and 500 MB at 100,000 statements; and how the
   time grows from 10,000 to 100,000. One more row at the largest size has 10% outliers (more distinct values: the
   cost driver).
2. Reading (reported, no target): the same generator writes the pages (10 statements' worth of sentences and 4-6
   fillers each, 100 per folder) and `kb.pages.read.read_path` + `kb.language.statements.document_statements` read
   them in one process; the statements read must equal the synthesized ones. Then `kb contradictions FOLDERS
   --format json --jobs 2 --fail-on none` runs end to end on a tenth of the pages and on all of them, under a wrapper
   that caps its address space (8 GB) and reports wall time, CPU and the largest process's peak RSS.
3. Baseline: the naive comparison of every pair of statements within a subject (same `conflict_between`), timed at
   the smallest size and extrapolated by the number of pairs; it must find the same conflicting value pairs.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import harness as h
from conflicts.compare import child_compare
from conflicts.reading import child_read
from conflicts.report import report
from conflicts.stages import STRESS_OUTLIER_RATE, compare_all, prepare, read_stage
from corpus.statements import OUTLIER_RATE, write_pages

DEFAULT_SIZES = (10_000, 30_000, 100_000)
QUICK_SIZES = (1_000, 3_000, 10_000)
DEFAULT_READ_PAGES = 10_000
QUICK_READ_PAGES = 1_000
CLI_MEMORY_GB = 8.0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = h.parser(__doc__)
    parser.add_argument("--sizes", type=h.numbers, help="statements (default 10000,30000,100000)")
    parser.add_argument("--pages", type=int, help="pages to write and read in stage 2, 0 to skip (default 10000)")
    parser.add_argument("--quick", action="store_true", help="1,000, 3,000, 10,000 statements; 1,000 pages")
    parser.add_argument("--no-naive", action="store_true", help="skip the all-pairs baseline")
    parser.add_argument("--no-stress", action="store_true", help=f"skip the {STRESS_OUTLIER_RATE:.0%}%-outlier row")
    parser.add_argument(
        "--cli-pages",
        type=h.numbers,
        help="page counts for kb contradictions end to end (default: --pages/10 and --pages; 0 to skip)",
    )
    parser.add_argument("--cli-memory-gb", type=float, default=CLI_MEMORY_GB, help="address-space cap (default 8)")
    parser.add_argument("--profile", action="store_true", help="cProfile find_conflicts (largest) and reading")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--generate-only", metavar="DIR", help="write the --pages corpus to DIR and exit")
    parser.add_argument("--child", choices=("compare", "read"), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--naive", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--outlier-rate", type=float, default=OUTLIER_RATE, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.sizes = sorted(args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES))
    if args.pages is None:
        args.pages = QUICK_READ_PAGES if args.quick else DEFAULT_READ_PAGES
    if args.cli_pages is None:
        args.cli_pages = sorted({args.pages // 10, args.pages} - {0})
    args.cli_pages = [n for n in args.cli_pages if 0 < n <= args.pages]
    return args


def child(args: argparse.Namespace) -> None:
    source = h.kb_source()  # before kb is imported: others may be editing kb/ while this runs
    if args.child == "compare":
        result = child_compare(args.size, args.naive, args.profile, args.outlier_rate)
    else:
        result = child_read(Path(args.folder), args.profile, args.cli_memory_gb)
    result["kb_source"] = source
    print(json.dumps(result, default=str))


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        child(args)
        return
    if args.generate_only:
        files, size = write_pages(Path(args.generate_only), args.pages)
        print(f"{files:,} pages, {size / 2**20:.1f} MB in {args.generate_only}")
        return
    kb_cmd = h.kb_command()
    with h.work_folder(args.keep, "kb-contradictions-bench-") as root:
        h.use_bytecode_cache(root)
        h.log(f"snapshot of data/ and its index in {root}")
        setup = prepare(root, kb_cmd, Path(__file__).resolve())
        results = compare_all(args, setup)
        read, cli, note = read_stage(args, setup, kb_cmd) if args.pages else (None, [], "")
        print(report(setup, results, read, cli, note, args.cli_memory_gb), flush=True)
        for r in [*results, *([read] if read else [])]:
            if "profile" in r:
                print(r["profile"], flush=True)
        if args.json:
            h.write_json(args.json, {"compare": results, "read": read, "cli": cli})


if __name__ == "__main__":
    main()
