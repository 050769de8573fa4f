"""The kill test's report: one row per kill, then the counts by scenario and the failures."""

from __future__ import annotations

import re

from .kill import STAMP_CLAIMS, STAMP_TRIES, Kill
from .work import QUERY, Work, flag, mb


def tally(files: dict[str, int]) -> str:
    return f"{len(files)} ({sum(files.values())} B)" if files else "-"


def describe(files: dict[str, int]) -> str:
    """What a kill left in .kb/, in short: the index's temporary file, its journal, the stamp's temporary file."""
    parts = []
    for name, size in sorted(files.items()):
        if re.fullmatch(r"\.index\.sqlite\.\d+\.tmp", name):
            parts.append(f"index tmp {mb(size)}MB")
        elif re.fullmatch(r"\.index\.sqlite\.\d+\.tmp-journal", name):
            parts.append(f"its journal {mb(size)}MB")
        elif name.startswith(".index.sqlite.stamp.") and name.endswith(".tmp"):
            parts.append(f"stamp tmp {size}B")
        else:
            parts.append(f"{name} {size}B")
    return ", ".join(parts) or "-"


def kill_report(work: Work, build_s: float, results: list[Kill]) -> str:
    size = mb(work.index.stat().st_size)
    lines = [
        f"== kill test: {work.claims:,} claims, kill -9 of `kb index --rebuild` at a random 10-90% of the baseline",
        f"baseline: one full `kb index --rebuild` took {build_s:.2f} s; the index is {size} MB",
        "after each kill: `kb search '" + QUERY + "' --format json` (exit, ms, hits same as before the kills, what it "
        "did to the index), then `kb index` (exit, the state it reports); .kb/ listed after each",
        "scenarios: rebuild = `kb index --rebuild` killed at a random moment; cold = `kb index` with no index yet "
        "(.kb/ removed),",
        "           killed at a random moment, so the next command builds; stamp = `kb index --rebuild` killed the "
        "moment the",
        "           stamp's temporary file appears (the end of the build), on a separate knowledge base of "
        f"{STAMP_CLAIMS:,} claims",
        "",
        f"{'#':>2} {'scenario':<8} {'kill s':>6} {'%':>4} {'left by the kill':<34} {'search':>6} {'ms':>6} "
        f"{'hits':<4} {'did':<7} {'index':>5} {'state':<8} {'orph. after search':<18} {'orph. after index':<17} "
        f"{'integrity':<9} {'.kb MB':>6} {'tb':>2}",
    ]
    lines.append("-" * len(lines[-1]))
    for k in results:
        assert k.search is not None and k.index is not None
        when = f"{k.killed_s:.1f}" + ("*" if k.finished_first else "")
        share = f"{100 * k.killed_s / build_s:>3.0f}%" if k.scenario != "stamp" else "   -"
        lines.append(
            f"{k.number:>2} {k.scenario:<8} {when:>6} {share} {describe(k.left)[:34]:<34} "
            f"{k.search.code:>6} {1000 * k.search.seconds:>6.0f} {'same' if k.same_hits else 'DIFF':<4} "
            f"{k.search_state:<7} "
            f"{k.index.code:>5} {k.index_state:<8} {tally(k.after_search):<18} {tally(k.after_index):<17} "
            f"{k.integrity[:9]:<9} {mb(k.size):>6} {k.tracebacks:>2}"
        )
    if any(k.finished_first for k in results):
        lines.append("* the build ended before the kill (not a kill):")
        for k in results:
            if k.finished_first:
                tail = " | ".join(k.killed_stderr.strip().splitlines()[-2:])[:300]
                lines.append(f"  kill {k.number}: exit {k.killed_code}, stderr: {tail or '(empty)'}")
    stamps = [k for k in results if k.scenario == "stamp"]
    if stamps:
        lines.append(
            f"stamp-window kills ran on {stamps[0].claims:,} claims; builds started per kill (a kill that "
            f"came after the stamp's rename is tried again, up to {STAMP_TRIES}): "
            + ", ".join(str(k.attempts) for k in stamps)
        )
    lines.append("")
    for label, scenario in (("kills", "rebuild"), ("cold kills", "cold"), ("stamp-window kills", "stamp")):
        group = [k for k in results if k.scenario == scenario]
        if not group and scenario != "rebuild":
            continue
        count = len(group)
        lines.append(
            f"{label}: {count}, next command worked: {sum(k.worked for k in group)}/{count}, "
            f"orphans after next command: {sum(1 for k in group if k.new_after_search)}, "
            f"integrity ok: {sum(k.integrity == 'ok' for k in group)}/{count}, "
            f"tracebacks: {sum(k.tracebacks for k in group)}"
            + (f" ({ended} of them ended before the kill)" if (ended := sum(k.finished_first for k in group)) else "")
        )
    left = [k for k in results if k.left]
    lines.append(
        f"kills that left a temporary file in .kb/: {len(left)}/{len(results)} (the 'orph.' columns: "
        "whether it was still there after the next command)"
    )
    failures = [
        f"  kill {k.number}: {r.line()}"
        for k in results
        for r in (k.search, k.index)
        if r is not None and (r.code != 0 or r.traceback)
    ]
    failures += [
        f"  kill {k.number}: search hits differ from before the kills"
        for k in results
        if k.search is not None and k.search.code == 0 and not k.same_hits
    ]
    for k in results:
        new = {name: size for name, size in k.after_index.items() if name not in k.before}
        if new:
            failures.append(
                f"  kill {k.number} ({k.scenario}): left {flag(new)} in .kb/, still there after "
                "`kb search` and `kb index`"
            )
    lines += ["failures:", *failures] if failures else ["failures: none"]
    return "\n".join(lines)
