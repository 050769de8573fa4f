"""`text`: the human format. Findings grouped by file, one row each: the message, the sentence judged (in italics)
and the suggested fix (dimmed) underneath.

    docs/sleep.md
       3:14  error    unsupported-claim  No source in the knowledge base backs this …
                                         “Melatonin cures insomnia.”
                                         → Melatonin may shorten the time to fall asleep (Ferracioli-Oda 2013)

Rendered with rich into a string, 120 columns wide, with ANSI colour only when `report.color` is set; the
environment (`COLUMNS`, `NO_COLOR`, `FORCE_COLOR`) is ignored here because the CLI has already decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from kb.formats.plain_text import QUOTED, render_plain
from kb.formats.report import ordered
from kb.records import Finding, Severity
from kb.text.paths import display_path

if TYPE_CHECKING:
    from rich.table import Table

    from kb.formats.report import Report

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def file_table(findings: Sequence[Finding]) -> Table:
    """The rows for one file: position, severity, rule, message (and the fix, dimmed, below the message)."""
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True, min_width=len("warning"))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for finding in findings:
        message = Text(finding.message)
        judged = finding.sentence or finding.text
        if judged and judged != finding.message:
            shown = judged if len(judged) <= QUOTED else judged[: QUOTED - 1].rstrip() + "…"
            message.append(f"\n“{shown}”", style="italic")
        if finding.fix:
            message.append(f"\n→ {finding.fix}", style="dim")
        severity = Text(finding.severity.label, style=SEVERITY_STYLE.get(finding.severity, ""))
        table.add_row(f"{finding.line}:{finding.column}", severity, finding.rule, message)
    return table


def render(findings: Sequence[Finding], report: Report) -> str:
    plain = None if report.color else render_plain(findings, report)  # the same text, without importing rich
    return render_rich(findings, report) if plain is None else plain


def render_rich(findings: Sequence[Finding], report: Report) -> str:
    from rich.padding import Padding
    from rich.text import Text

    from kb.formats.console import report_console

    console, out = report_console(report.color, report.width)
    for path, group in groupby(ordered(findings, report.root), key=lambda f: display_path(f.path, report.root)):
        console.print(Text(path, style="bold underline"))
        console.print(Padding(file_table(list(group)), (0, 0, 1, 2), expand=False))
    if report.notes:
        console.print(Text("notes", style="bold underline"))
        for note in report.notes:
            console.print(Text(f"warning: {note}", style="yellow"))
        console.print()
    lines = [line.rstrip(" ") for line in out.getvalue().rstrip().splitlines()]
    return "".join(line + "\n" for line in lines)
