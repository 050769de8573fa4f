"""`line`: one finding per line, `path:line:col:severity:rule:message` (Vale's "line" format), for editors and grep.

Whitespace in messages (newlines included) collapses to single spaces; nothing at all when clean.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kb.formats.report import one_line, ordered
from kb.records import Finding
from kb.text.paths import display_path

if TYPE_CHECKING:
    from kb.formats.report import Report


def format_finding(finding: Finding, path: str) -> str:
    fields = (path, str(finding.line), str(finding.column), finding.severity.label, finding.rule)
    return ":".join((*fields, one_line(finding.message)))


def render(findings: Sequence[Finding], report: Report) -> str:
    rows = [format_finding(f, display_path(f.path, report.root)) for f in ordered(findings, report.root)]
    return "".join(row + "\n" for row in rows)
