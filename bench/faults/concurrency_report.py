"""The concurrency test's report: runs by phase and command (exit codes, which version's output, latency),
messages in any output, failures, and whether the index served the version on disk once quiet again."""

from __future__ import annotations

import re
from collections import Counter

import harness as h

from .concurrency import Concurrency
from .work import CHECK_PAGES, QUERY, flag, mb

BAD_WORDS = ("readonly", "locked", "malformed", "no such table", "disk i/o", "not a database", "disk image")


def concurrency_report(test: Concurrency) -> str:
    """The concurrency test's report: the writer, each phase's runs by command, messages, the state when quiet."""
    work = test.work
    lines = [
        f"== concurrency test: {work.claims:,} claims, {test.readers} readers x {test.seconds:.0f} s "
        f"(even readers `kb check` on {CHECK_PAGES} pages, odd readers `kb search '{QUERY}'`), "
        "then the same with a writer",
        f"writer: {len(test.edits)} edits of claims.yaml ({mb(len(test.versions['A']))} MB; "
        f"{sum(e.mode == 'atomic' for e in test.edits)} atomic, {sum(e.mode == 'in place' for e in test.edits)} "
        f"in place) every 0.5-1.5 s, one `kb index --rebuild` kept running: {len(test.rebuilds)} rebuilds, "
        f"exit codes {dict(Counter(r.code for r in test.rebuilds))}, "
        f"{' / '.join(f'{r.seconds:.1f}' for r in test.rebuilds)} s",
        "",
        f"{'phase':<9} {'command':<7} {'runs':>5}  {'exit codes':<22} {'output A/B/other/none':<22} "
        f"{'p50 ms':>7} {'p90 ms':>7} {'max ms':>7}",
    ]
    lines.append("-" * len(lines[-1]))
    for phase in ("baseline", "writer"):
        for kind in ("check", "search"):
            group = [r for r in test.runs if r.phase == phase and r.kind == kind]
            codes = ", ".join(f"{code}: {n}" for code, n in sorted(Counter(r.code for r in group).items()))
            outputs = Counter(test.classify(kind, r.output) if r.code == 0 else "-" for r in group)
            shown = "/".join(str(outputs.get(k, 0)) for k in ("A", "B", "other", "-"))
            latency = [r.end - r.start for r in group]
            p50, p90 = h.percentile_ms(latency, 0.5), h.percentile_ms(latency, 0.9)
            lines.append(
                f"{phase:<9} {kind:<7} {len(group):>5}  {codes:<22} {shown:<22} {p50:>7.0f} "
                f"{p90:>7.0f} {1000 * max(latency, default=0):>7.0f}"
            )
    lines.append(
        "load average (1, 5, 15 min) after each phase: "
        + "; ".join(f"{phase} {value}" for phase, value in test.load.items())
    )
    lines.append("")
    everything = [*(r.stderr for r in test.runs), *(r.stderr + r.stdout for r in test.rebuilds)]
    words = {word: sum(word in text.lower() for text in everything) for word in BAD_WORDS}
    tracebacks = sum(h.TRACEBACK in text for text in everything) + sum(h.TRACEBACK in r.output for r in test.runs)
    internal = sum("internal error" in text for text in everything)
    lines.append(
        "messages in any reader's or writer's output: tracebacks "
        + str(tracebacks)
        + f", internal errors (exit 3) {internal}, "
        + ", ".join(f"'{word}' {count}" for word, count in words.items())
    )
    writer_runs = [r for r in test.runs if r.phase == "writer"]
    lines.append(
        f"reader runs that overlapped an in-place write of claims.yaml: "
        f"{sum(test.overlaps_in_place(r.start, r.end) for r in writer_runs)}/{len(writer_runs)}; writer "
        f"rebuilds that did: {sum(test.overlaps_in_place(*span) for span in test.rebuild_spans)}/"
        f"{len(test.rebuild_spans)}; writer rebuilds during which claims.yaml was edited (any way): "
        f"{sum(any(s < e.start < f for e in test.edits) for s, f in test.rebuild_spans)}/"
        f"{len(test.rebuild_spans)}"
    )
    failed = [r for r in test.runs if r.code != 0]
    during = sum(test.overlaps_in_place(r.start, r.end) for r in failed)
    lines.append(
        f"reader runs that did not exit 0: {len(failed)} ({during} of them overlapped an in-place write of claims.yaml)"
    )
    messages = Counter((r.kind, r.code, first_error(r.stderr), test.overlaps_in_place(r.start, r.end)) for r in failed)
    for (kind, code, message, overlapped), count in messages.most_common(12):
        where = "during an in-place write" if overlapped else "no in-place write running"
        lines.append(f"  {count:>4} x `kb {kind}` exit {code} ({where}): {message}")
    for ran in test.rebuilds:
        if ran.code != 0:
            lines.append(f"  writer: {ran.line()}")
    lines.append("quiet again afterwards:")
    lines += [f"  {line}" for line in test.settled]
    lines.append(f"  .kb/ extra files: {flag(test.final['orphans'])}; integrity: {test.final['integrity']}")
    if len(test.settled) > 1:
        lines.append(
            "  FAILURE: after the writer stopped, the index served the other version's claims while kb "
            "called it up to date (see above)"
        )
    return "\n".join(lines)


def first_error(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    chosen = next((line for line in lines if line.startswith("kb:")), lines[-1] if lines else "(no stderr)")
    chosen = re.sub(r"/\S*/(kb-\d+)/", r"\1/", chosen)  # the temporary work folder out of the message
    return chosen[:300]
