"""The report: the corpus and knowledge bases, one row per measurement, the ripgrep floor, the scaling targets
(claims x10, pages), the consistency of findings across --jobs, the pages/s target; and the --json record."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import harness as h
from corpus.pages import Corpus

from .knowledge_bases import KnowledgeBase
from .measure import RG_RUNS, Run

PAGES_PER_S_TARGET = 200.0
CLAIMS_RATIO_TARGET = 2.0
LINEAR_SLACK = 1.25  # time per page on the largest corpus may exceed that on the smallest by 25%
Record = dict[str, Any]


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
