"""What every check format shares: the output format names, the run's `Report`, the order findings are shown in,
and the summary line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from kb.fastclass import dataclass
from kb.records import Finding, Severity
from kb.text.paths import display_path

if TYPE_CHECKING:
    from kb.formats.review import Review


class OutputFormat(str, Enum):
    TEXT = "text"
    LINE = "line"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"
    HTML = "html"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class Report:
    """What the formatters need beyond the findings.

    `root` is the directory paths are shown relative to; `notes` are per-file warnings such as "page.md: invalid
    UTF-8 at line 3", shown by `text` and as SARIF tool notifications. `source_root` is SARIF's `%SRCROOT%`, the
    repository's top level (`git rev-parse --show-toplevel`), so code scanning finds the files whichever folder kb
    ran in; None means `root`. `docs_url` is the configured `docs-url`, where the rules are documented (SARIF's
    `informationUri` and each rule's `helpUri`); None: no links. `review` is what the review report (`html`,
    `markdown`) shows beyond the findings: the pages as read and the claims' sources (`kb.formats.review.gather`).
    """

    files_checked: int
    tool_version: str
    root: Path
    notes: tuple[str, ...] = ()
    color: bool = False
    source_root: Path | None = None
    docs_url: str | None = None
    width: int = 120  # columns the text format lays out for (the CLI passes the terminal's or COLUMNS)
    review: Review | None = None


Formatter = Callable[[Sequence[Finding], Report], str]


def ordered(findings: Sequence[Finding], root: PurePath) -> list[Finding]:
    """The order every format uses: (path as displayed, line, column, rule)."""
    return sorted(findings, key=lambda f: (display_path(f.path, root), f.line, f.column, f.rule))


def one_line(text: str) -> str:
    """Line-oriented formats keep each finding on one line."""
    return " ".join(text.split())


SEVERITY_LABELS = tuple(sev.label for sev in sorted(Severity, reverse=True))  # error, warning, info


def plural(count: int, word: str) -> str:
    """ "1 error", "2 warnings", "3 info" (info is uncountable)."""
    if word == "info":
        return f"{count} info"
    return f"{count} {word}" + ("" if count == 1 else "s")


def summary(findings: Sequence[Finding], report: Report) -> str:
    """The one-line count for stderr, e.g. `3 errors, 2 warnings in 5 files` (no newline)."""
    counts = [(sev, sum(1 for f in findings if f.severity == sev)) for sev in sorted(Severity, reverse=True)]
    parts = [plural(n, sev.label) for sev, n in counts if n]
    found = ", ".join(parts) if parts else "no problems"
    return f"{found} in {plural(report.files_checked, 'file')}"
