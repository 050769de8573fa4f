"""Benchmark the index and `kb search` on generated knowledge bases of 1,000, 10,000 and 100,000 claims.

Not a test: run it by hand and read the table.

    python bench/bench_index.py                    # 1k, 10k and 100k claims
    python bench/bench_index.py --sizes 1000,10000  # fewer sizes
    python bench/bench_index.py --sizes 100000 --profile --keep /tmp/kb-bench

For each size it reports the first build (`kb index`, one run), a no-op refresh (in-process median of 20, and
`kb index` end to end, median of 5) and `kb search` end to end for three queries (median and p90 of 10 after a
warm-up), beside `python -c pass` and `python -c "import kb.cli.app"` on the same machine.
Targets (from the issue, at 100,000 claims): `kb search` < 250 ms end to end, no-op refresh < 50 ms.

The data is `corpus.knowledge.Generator`'s: synthetic, deterministic (seeded `random.Random`), valid for `kb validate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import harness as h
from corpus.knowledge import Generator
from indexing.measure import baselines, measure_size
from indexing.profiling import profile
from indexing.report import report

DEFAULT_SIZES = (1_000, 10_000, 100_000)


def main(argv: Sequence[str] | None = None) -> None:
    cli = h.parser(__doc__)
    cli.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated claim counts (default 1000,10000,100000)",
    )
    cli.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it (default: a removed temp dir)")
    cli.add_argument(
        "--profile", action="store_true", help="after the table, profile kb search and the build at the largest size"
    )
    cli.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    cli.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="run processes with the environment as it is (by default a .pyc cache is kept in the "
        "work folder via PYTHONPYCACHEPREFIX, as a normal install has)",
    )
    cli.add_argument("--generate-only", metavar="DIR", help="write one data folder (the first size) to DIR; exit")
    args = cli.parse_args(argv)
    sizes = h.numbers(args.sizes)
    if args.generate_only:
        Generator(sizes[0]).write(Path(args.generate_only))
        return
    kb = h.kb_command()
    with h.work_folder(args.keep, "kb-bench-") as root:
        if not args.no_bytecode_cache:
            h.use_bytecode_cache(root)
        base = baselines(root)
        results = [measure_size(size, root, kb) for size in sizes]
        print(h.machine())
        print(h.bytecode_note(), flush=True)
        print(report(results, base), flush=True)
        if args.json:
            h.write_json(args.json, {"machine": h.machine(), "baselines": base, "results": [vars(r) for r in results]})
        if args.profile:
            print(profile(max(sizes), root, kb, base["python -c pass"]), flush=True)


if __name__ == "__main__":
    main()
