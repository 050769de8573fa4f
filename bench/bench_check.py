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
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import harness as h
from corpus import REAL_DATA, knowledge, merged
from corpus.pages import Corpus, build_corpora, describe, write_corpus

DEFAULT_SIZES = (10_000, 100_000)
DEFAULT_PAGES = (200, 1_000, 2_000)
DEFAULT_JOBS = (1, 2)
RG_RUNS = 5
PAGES_PER_S_TARGET = 200.0
CLAIMS_RATIO_TARGET = 2.0
LINEAR_SLACK = 1.25  # time per page on the largest corpus may exceed that on the smallest by 25%
Record = dict[str, Any]

# ---------------------------------------------------------------- knowledge bases


@dataclass
class KnowledgeBase:
    size: int
    data: Path
    db: Path
    real_claims: int = 0
    yaml_mb: float = 0.0
    generate_s: float = 0.0
    index_s: float = 0.0
    reused: bool = False

    def where(self) -> list[str]:
        return ["--data", str(self.data), "--db", str(self.db)]


def prepare_knowledge_base(size: int, root: Path, kb_cmd: str) -> KnowledgeBase:
    """Generate (unless a kept folder already holds this size) and index, both timed apart from the checks.

    A reused folder reports the generate and first-index times recorded when it was made (stamp.json).
    """
    home = root / f"kb-{size}"
    kb = KnowledgeBase(size, home / "data", home / "index.sqlite")
    stamp = home / "stamp.json"
    recorded = json.loads(stamp.read_text()) if stamp.is_file() else {}
    if recorded.get("size") == size and recorded.get("seed") == knowledge.SEED:
        h.log(f"{size:,} claims: reusing {kb.data}")
        kb.reused = True
        kb.real_claims = len(knowledge.load_yaml(REAL_DATA / "claims.yaml")["claims"])
        kb.generate_s, kb.index_s = recorded.get("generate_s", 0.0), recorded.get("index_s", 0.0)
        seconds = h.run([kb_cmd, "index", *kb.where()], root)[0]  # a no-op unless kb's index format changed
        kb.index_s = seconds if seconds > 5 else kb.index_s
    else:
        h.log(f"{size:,} claims: generating {kb.data}")
        start = time.perf_counter()
        kb.real_claims = merged.write_merged(kb.data, kb.size)
        kb.generate_s = time.perf_counter() - start
        kb.store.db.unlink(missing_ok=True)
        h.log(f"{size:,} claims: kb index ...")
        kb.index_s = h.run([kb_cmd, "index", *kb.where()], root)[0]
    kb.yaml_mb = h.folder_size(kb.data) / 1e6
    stamp.write_text(
        json.dumps({"size": size, "seed": knowledge.SEED, "generate_s": kb.generate_s, "index_s": kb.index_s})
    )
    return kb


# ---------------------------------------------------------------- measuring


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


# ---------------------------------------------------------------- report


def find(runs: Sequence[Run], claims: int, pages: int, jobs: int) -> Run | None:
    return next((r for r in runs if (r.claims, r.pages, r.jobs) == (claims, pages, jobs)), None)


def run_rows(runs: Sequence[Run]) -> list[str]:
    """One row per measurement; the pages/s target is marked on the 10,000-claim rows of the largest corpus."""
    largest = max((r.pages for r in runs), default=0)
    header = (
        f"{'kb check':<10} {'claims':>8} {'pages':>6} {'jobs':>4} {'wall s':>7} {'pages/s':>8} {'MB/s':>6} "
        f"{'cpu s':>6} {'peak MB':>8} {'findings':>9} {'files hit':>9}  target"
    )
    lines = h.ruled(header)
    for r in runs:
        target = ""
        if r.claims == 10_000 and r.pages == largest:
            target = f">={PAGES_PER_S_TARGET:.0f} pages/s {h.mark(r.pages_per_s >= PAGES_PER_S_TARGET)}"
        lines.append(
            f"{'':<10} {r.claims:>8,} {r.pages:>6,} {r.jobs:>4} {r.wall:>7.2f} {r.pages_per_s:>8.0f} "
            f"{r.mb_per_s:>6.2f} {r.cpu:>6.1f} {r.peak_mb:>8.0f} {r.findings:>9,} {r.files_with_findings:>9,}"
            f"  {target}"
        )
    return lines


def claims_rows(runs: Sequence[Run], sizes: Sequence[int], pages: int, jobs: Sequence[int]) -> list[str]:
    small, large = min(sizes), max(sizes)
    if small == large:
        return []
    lines = []
    for j in jobs:
        a, b = find(runs, small, pages, j), find(runs, large, pages, j)
        if a and b:
            ratio = b.wall / a.wall
            lines.append(
                f"claims x{large / small:g} ({small:,} -> {large:,}), {pages:,} pages, --jobs {j}: time x"
                f"{ratio:.2f} (target <= {CLAIMS_RATIO_TARGET:g}x) {h.mark(ratio <= CLAIMS_RATIO_TARGET)}"
            )
    return lines


def linearity_rows(runs: Sequence[Run], size: int, counts: Sequence[int], jobs: Sequence[int]) -> list[str]:
    """Linear in pages: the time per page at the largest corpus is at most LINEAR_SLACK times that at the smallest
    (a fixed start-up cost makes it fall; superlinear work would make it rise). The least-squares fit is shown."""
    ordered = sorted(counts)
    if len(ordered) < 2:
        return []
    lines = []
    for j in jobs:
        chosen = [r for r in (find(runs, size, n, j) for n in ordered) if r]
        if len(chosen) != len(ordered):
            continue
        per_page = [1000 * r.wall / r.pages for r in chosen]
        fixed, slope = h.fit([(r.pages, r.wall) for r in chosen])
        growth = per_page[-1] / per_page[0]
        lines.append(
            f"pages {' -> '.join(f'{n:,}' for n in ordered)} at {size:,} claims, --jobs {j}: "
            + " -> ".join(f"{ms:.1f}" for ms in per_page)
            + f" ms/page (x{growth:.2f}, target <= x{LINEAR_SLACK:g}); fit {fixed:.2f} s + "
            f"{1000 * slope:.1f} ms/page {h.mark(growth <= LINEAR_SLACK)}"
        )
    return lines


def consistency_rows(runs: Sequence[Run]) -> list[str]:
    """The same corpus and knowledge base must give the same findings whatever --jobs is; one kb source for all."""
    sources = list(dict.fromkeys(r.kb_source for r in runs))
    lines = (
        [f"kb source measured: {sources[0]}"]
        if len(sources) == 1
        else [
            f"WARNING: kb/ changed during the run ({len(sources)} versions); rows are not comparable: "
            + "; ".join(f"{r.claims:,}/{r.pages:,}/j{r.jobs}: {r.kb_source}" for r in runs)
        ]
    )
    for r in runs:
        other = next((o for o in runs if (o.claims, o.pages) == (r.claims, r.pages) and o.jobs > r.jobs), None)
        if other and other.findings != r.findings:
            lines.append(
                f"NOTE: {r.claims:,} claims, {r.pages:,} pages: {r.findings:,} findings with --jobs {r.jobs}"
                f" but {other.findings:,} with --jobs {other.jobs} (kb/ edited between runs, or a bug)"
            )
    return lines


def report(
    corpora: dict[int, Corpus],
    kbs: Sequence[KnowledgeBase],
    runs: Sequence[Run],
    rg: tuple[float, int] | None,
    args: argparse.Namespace,
) -> str:
    big = corpora[max(corpora)]
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(big.kinds.items()))
    lines = [
        h.machine(),
        h.bytecode_note(),
        f"corpus: {big.pages:,} pages, {big.mb:.2f} MB ({kinds}); sha256/16 {big.digest}; subsets "
        + ", ".join(f"{c.pages:,} pages {c.mb:.2f} MB" for n, c in sorted(corpora.items()) if n != max(corpora)),
    ]
    for kb in kbs:
        reused = " (recorded when made; reused here)" if kb.reused else ""
        lines.append(
            f"knowledge base {kb.size:,} claims ({kb.real_claims} bundled + {kb.size - kb.real_claims:,} "
            f"generated): {kb.yaml_mb:.1f} MB of data; generate {kb.generate_s:.1f} s, kb index "
            f"{kb.index_s:.1f} s{reused}, not in the check figures"
        )
    lines += [
        f"each kb check: median of {args.repeat} run(s) after one warm-up per knowledge base; end to end; "
        "peak MB = largest single process (ru_maxrss)",
        "",
    ]
    lines += run_rows(runs)
    if rg is not None:
        seconds, counted = rg
        base = find(runs, min(kb.size for kb in kbs), big.pages, 1) or (runs[0] if runs else None)
        speed = f"; kb check --jobs 1 is x{base.wall / seconds:,.0f} the floor" if base else ""
        lines.append(
            f"{'rg floor':<10} {'':>8} {big.pages:>6,} {'':>4} {seconds:>7.3f} {big.pages / seconds:>8,.0f} "
            f"{big.mb / seconds:>6.0f}   (rg -c '[0-9]+', median of {RG_RUNS}, {counted:,} lines{speed})"
        )
    else:
        lines.append("rg floor: ripgrep not installed (apt-get install ripgrep)")
    lines.append("")
    sizes = [kb.size for kb in kbs]
    lines += claims_rows(runs, sizes, big.pages, args.jobs)
    lines += linearity_rows(runs, min(sizes), sorted(corpora), args.jobs)
    lines += consistency_rows(runs)
    best = max((r.pages_per_s for r in runs if r.claims == 10_000 and r.pages == big.pages), default=None)
    if best is not None:
        lines.append(
            f"pages/s at 10,000 claims, {big.pages:,} pages, best of --jobs {','.join(map(str, args.jobs))}:"
            f" {best:.0f} (target >= {PAGES_PER_S_TARGET:.0f}) {h.mark(best >= PAGES_PER_S_TARGET)}"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- profiling


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


# ---------------------------------------------------------------- main


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


def as_json(
    corpora: dict[int, Corpus], kbs: Sequence[KnowledgeBase], runs: Sequence[Run], rg: tuple[float, int] | None
) -> Record:
    return {
        "machine": h.machine(),
        "corpora": {n: asdict(c) for n, c in corpora.items()},
        "knowledge_bases": [asdict(kb) for kb in kbs],
        "runs": [asdict(r) | {"wall": r.wall, "pages_per_s": r.pages_per_s, "mb_per_s": r.mb_per_s} for r in runs],
        "rg_seconds": rg[0] if rg else None,
    }


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
