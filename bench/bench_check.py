"""Benchmark `kb check` on a deterministic corpus of 2,000 pages against knowledge bases of 10,000 and 100,000 claims.

Not a test: run it by hand, on a quiet machine, and read the table.

    python bench/bench_check.py                          # 10k and 100k claims; 200, 1,000 and 2,000 pages; jobs 1, 2
    python bench/bench_check.py --sizes 10000 --pages 200,2000 --jobs 1
    python bench/bench_check.py --profile --keep /tmp/kb-check-bench --json out.json
    python bench/bench_check.py --generate-only /tmp/corpus   # the corpus only

The corpus is made from the five seed pages (data/pages/*.txt): figures, wording and paragraph order varied, a
paragraph of claim-like sentences from corpus.words' word lists added, and written as .txt, .md (YAML front matter,
headings, a fenced code block) or .html (<script>, <style>, <nav>, <p>, <ul>). Each page has its own seeded
`random.Random`, so the 200- and 1,000-page corpora are the first pages of the 2,000-page one (hard links).

Each knowledge base is the bundled data/ merged with corpus.knowledge's generated claims up to the size, indexed once by
`kb index` (timed apart). Every `kb check CORPUS --format json --fail-on none --jobs N --data D --db DB` runs under a
fresh Python wrapper, so `getrusage(RUSAGE_CHILDREN).ru_maxrss` is that run's peak (the largest single process:
with --jobs 2 the parent and each worker are separate processes). `rg -c '[0-9]+' CORPUS` is the floor.

Targets (from the issue): >= 200 pages/s at 10,000 claims on a 2-core machine; cost linear in pages; 10x the claims
costs at most 2x the time.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import harness as h
from checking.measure import measure_all, profile_check, ripgrep
from checking.report import as_json, report
from corpus.pages import build_corpora, describe, write_corpus

DEFAULT_SIZES = (10_000, 100_000)
DEFAULT_PAGES = (200, 1_000, 2_000)
DEFAULT_JOBS = (1, 2)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = h.parser(__doc__)
    parser.add_argument("--sizes", type=h.numbers, default=list(DEFAULT_SIZES), help="claims (default 10000,100000)")
    parser.add_argument(
        "--pages",
        type=h.numbers,
        default=list(DEFAULT_PAGES),
        help="corpus sizes; the largest is checked at every claim size, the others at the smallest "
        "claim size only (default 200,1000,2000)",
    )
    parser.add_argument("--jobs", type=h.numbers, default=list(DEFAULT_JOBS), help="--jobs values (default 1,2)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement, median reported (default 1)")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it; knowledge bases there are reused")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="after the table, cProfile one kb check of the smallest corpus at each size",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="run processes with the environment as it is (default: a .pyc cache in the work folder)",
    )
    parser.add_argument("--generate-only", metavar="DIR", help="write the corpus (largest --pages) to DIR and exit")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.generate_only:
        files = write_corpus(Path(args.generate_only), max(args.pages))
        print(describe(Path(args.generate_only), files))
        return
    kb_cmd = h.kb_command()
    with h.work_folder(args.keep, "kb-check-bench-") as root:
        if not args.no_bytecode_cache:
            h.use_bytecode_cache(root)
        h.log(f"writing corpora of {', '.join(map(str, sorted(args.pages)))} pages in {root / 'corpus'}")
        corpora = build_corpora(root, args.pages)
        rg = ripgrep(corpora[max(corpora)], root)
        kbs, runs = measure_all(args, root, kb_cmd, corpora)
        print(report(corpora, kbs, runs, rg, args), flush=True)
        if args.json:
            h.write_json(args.json, as_json(corpora, kbs, runs, rg), default=str)
        if args.profile:
            for kb in kbs:
                print(profile_check(kb_cmd, corpora[min(corpora)], kb, root), flush=True)


if __name__ == "__main__":
    main()
