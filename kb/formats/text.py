"""`text`: the human format. Findings grouped by file, one row each, the suggested fix dimmed underneath.

    docs/sleep.md
       3:14  error    unsupported-claim  Melatonin cures insomnia …
                                         → Melatonin may shorten the time to fall asleep (Ferracioli-Oda 2013)

Rendered with rich into a string, 120 columns wide, with ANSI colour only when `report.color` is set; the
environment (`COLUMNS`, `NO_COLOR`, `FORCE_COLOR`) is ignored here because the CLI has already decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import StringIO
from itertools import groupby
from typing import TYPE_CHECKING

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from kb.formats import display_path, ordered
from kb.records import Finding, Severity

if TYPE_CHECKING:
    from kb.formats import Report

WIDTH = 120
SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _console(color: bool) -> tuple[Console, StringIO]:
    out = StringIO()
    console = Console(
        file=out, width=WIDTH, color_system="standard" if color else None, force_terminal=color,
        no_color=False, highlight=False, emoji=False, soft_wrap=False, legacy_windows=False,
        _environ={},  # reproducible: no COLUMNS, NO_COLOR, TERM or FORCE_COLOR from the caller's environment
    )  # fmt: skip
    return console, out


def file_table(findings: Sequence[Finding]) -> Table:
    """The rows for one file: position, severity, rule, message (and the fix, dimmed, below the message)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True, min_width=len("warning"))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold")
    for finding in findings:
        message = Text(finding.message)
        if finding.fix:
            message.append(f"\n→ {finding.fix}", style="dim")
        severity = Text(finding.severity.label, style=SEVERITY_STYLE.get(finding.severity, ""))
        table.add_row(f"{finding.line}:{finding.column}", severity, finding.rule, message)
    return table


def render(findings: Sequence[Finding], report: Report) -> str:
    console, out = _console(report.color)
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
