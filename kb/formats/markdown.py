"""`markdown`: the review report as GitHub-flavoured Markdown, for a pull-request comment.

A summary table by page and rule, then per page a list of findings: `path:line:column`, severity, rule, message,
the page's words and the suggested wording. Text from pages and from the knowledge base is escaped (`md`): every
ASCII punctuation character Markdown gives a meaning to is backslash-escaped and `<`, `>`, `&` become entities, so a
page containing `|`, backticks, `<script>` or `](javascript:…)` can neither break the table nor make a link or a tag.

GitHub refuses comments over 65,536 characters: past `LIMIT` the list stops, with a note saying how many findings
were left out (the summary always counts them all).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb.formats.report import SEVERITY_LABELS as SEVERITIES
from kb.formats.report import Report, ordered, plural
from kb.formats.review import Counts, add_counts, tally
from kb.records import Finding
from kb.text.paths import display_path

LIMIT = 65_536
# Inline punctuation Markdown (and GitHub's tables, strikethrough and maths) gives a meaning to anywhere in a line.
_SPECIAL = re.compile(r"[\\`*_\[\]|~$]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# What starts a block at the beginning of a line: a heading, a quote, a list item, a thematic break.
_BLOCK_START = re.compile(r"^(?:[#>+=-]|\d{1,9}(?=[.)]))")


def md(text: object, line_start: bool = False) -> str:
    """Page or knowledge-base text as literal Markdown on one line (`line_start`: it begins a line)."""
    flat = " ".join(str(text).split())
    flat = re.sub(r"[&<>]", lambda m: _ENTITIES[m.group()], flat)
    flat = _SPECIAL.sub(lambda m: "\\" + m.group(), flat)
    flat = flat.replace("://", ":\\/\\/").replace("www.", "www\\.")  # no autolink from page text
    if line_start and (m := _BLOCK_START.match(flat)):
        flat = f"{flat[: m.end()]}\\{flat[m.end() :]}" if m.group().isdigit() else "\\" + flat
    return flat


def code(text: str) -> str:
    """A code span (its content is literal: no markup, no link), fenced by more backticks than it contains."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {' '.join(text.split())} {fence}"


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _counts(counts: Counts) -> list[str]:
    return [str(counts.get(sev, 0)) for sev in SEVERITIES] + [str(sum(counts.values()))]


def _summary(findings: Sequence[Finding], pages: Sequence[str], report: Report) -> list[str]:
    lines = [_row(["page", "rule", *SEVERITIES, "total"]), _row(["---", "---", *(["---:"] * (len(SEVERITIES) + 1))])]
    grand: Counts = {}
    for page, rules in tally(findings, pages):
        shown = md(display_path(page, report.root))
        if not rules:
            lines.append(_row([shown, "no findings", *_counts({})]))
        for rule, counts in rules:
            lines.append(_row([shown, md(rule), *_counts(counts)]))
            add_counts(grand, counts)
    lines.append(_row(["**all pages**", "", *(f"**{n}**" for n in _counts(grand))]))
    return lines


def _finding(finding: Finding, where: str) -> str:
    evidence = f" (evidence: {md(finding.evidence)})" if finding.evidence else ""
    lines = [f"- {code(where)} **{finding.severity.label}** {code(finding.rule)}{evidence}: {md(finding.message)}"]
    if finding.text:
        lines.append(f"  > {md(finding.text, line_start=True)}")
    if finding.sentence:
        lines.append(f"  - sentence: {md(finding.sentence)}")
    if finding.fix:
        lines.append(f"  - suggested wording: {md(finding.fix)}")
    return "\n".join(lines) + "\n"


def _header(findings: Sequence[Finding], report: Report) -> list[str]:
    facts = [f"kb {md(report.tool_version)}"]
    review = report.review
    if review is not None:
        facts += [f"knowledge base {md(review.data_dir)}", md(review.run_date.isoformat())]
        facts.append(f"fail\\-on {md(review.fail_on)}")
    counts = [plural(n, sev) for sev in SEVERITIES if (n := sum(f.severity.label == sev for f in findings))]
    total = ", ".join(counts)
    pages = report.files_checked
    return [
        "## kb check: review report",
        "",
        " · ".join(facts),
        "",
        f"{total or 'No findings'} on {plural(pages, 'page')} checked.",
        "",
    ]


def render(findings: Sequence[Finding], report: Report) -> str:
    findings = ordered(findings, report.root)
    review = report.review
    pages = sorted(
        dict.fromkeys([*(review.pages if review else ()), *(f.path for f in findings)]),
        key=lambda page: display_path(page, report.root),
    )
    head = "\n".join([*_header(findings, report), *_summary(findings, pages, report), ""]) + "\n"
    reserve = 200  # room for the note on what was left out
    parts, size, written, current = [head], len(head), 0, None
    for finding in findings:
        shown = display_path(finding.path, report.root)
        block = _finding(finding, f"{shown}:{finding.line}:{finding.column}")
        heading = f"\n### {md(shown, line_start=True)}\n\n" if finding.path != current else ""
        if size + len(heading) + len(block) > LIMIT - reserve:
            break
        parts += [heading, block]
        size += len(heading) + len(block)
        written, current = written + 1, finding.path
    if written < len(findings):
        left = len(findings) - written
        parts.append(
            f"\n_{left} more finding{'s' if left != 1 else ''} left out: a pull-request comment holds at most "
            f"{LIMIT:,} characters. Run `kb check --format html` for the whole report._\n"
        )
    return "".join(parts)
