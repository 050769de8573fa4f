"""`github`: GitHub Actions workflow commands, which show findings as annotations on the pull request's diff.

    ::error file=docs/sleep.md,line=3,col=14,endLine=3,endColumn=30,title=kb unsupported-claim::Melatonin cures …

GitHub shows at most 10 annotations of each level (error, warning, notice) per step and 50 per job, and drops the
rest silently. So the first 10 of each level become annotations and every other finding is printed as a plain log
line, `path:line:col: severity rule: message`, after a line saying how many were not annotated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kb.formats.report import one_line, ordered
from kb.records import Finding, Severity
from kb.text.paths import display_path

if TYPE_CHECKING:
    from kb.formats.report import Report

PER_LEVEL = 10
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """The message after `::` (GitHub's toolkit `escapeData`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A `key=value` property (GitHub's toolkit `escapeProperty`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, path: str) -> str:
    properties = {
        "file": path,
        "line": finding.line,
        "col": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "title": f"kb {finding.rule}",
    }
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    message = finding.message + (f"\n→ {finding.fix}" if finding.fix else "")
    return f"::{COMMANDS[finding.severity]} {props}::{escape_data(message)}"


def log_line(finding: Finding, path: str) -> str:
    where = f"{path}:{finding.line}:{finding.column}"
    return f"{where}: {finding.severity.label} {finding.rule}: {one_line(finding.message)}"


def render(findings: Sequence[Finding], report: Report) -> str:
    seen: Counter[Severity] = Counter()
    annotated: list[str] = []
    rest: list[str] = []
    for finding in ordered(findings, report.root):
        path = display_path(finding.path, report.root)
        seen[finding.severity] += 1
        if seen[finding.severity] <= PER_LEVEL:
            annotated.append(annotation(finding, path))
        else:
            rest.append(log_line(finding, path))
    if rest:
        annotated.append(f"{len(rest)} more not annotated (GitHub shows at most {PER_LEVEL} of each level per step):")
    return "".join(line + "\n" for line in annotated + rest)
