"""Output formats for `kb check`: one module per format, each a `render(findings, report) -> str`.

Every format returns the whole output as one string: empty when there is nothing to print (`line`, `github`, and
`text` without notes), otherwise ending in exactly one newline, so the CLI writes it as is (`sys.stdout.write`, or
`typer.echo(out, nl=False)`). `json` prints `[]` when clean. The `summary` line is chatter: print it to stderr.

Formatter modules are imported on first use, so `--format json` never imports rich.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path, PurePath

from kb.records import Finding, Severity
from kb.text.paths import display_path


class OutputFormat(str, Enum):
    TEXT = "text"
    LINE = "line"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"


@dataclass(frozen=True)
class Report:
    """What the formatters need beyond the findings.

    `root` is the directory paths are shown relative to (and SARIF's `%SRCROOT%`); `notes` are per-file warnings
    such as "page.md: invalid UTF-8 at line 3", shown by `text` and as SARIF tool notifications.
    """

    files_checked: int
    tool_version: str
    root: Path
    notes: tuple[str, ...] = ()
    color: bool = False


Formatter = Callable[[Sequence[Finding], Report], str]


def ordered(findings: Sequence[Finding], root: PurePath) -> list[Finding]:
    """The order every format uses: (path as displayed, line, column, rule)."""
    return sorted(findings, key=lambda f: (display_path(f.path, root), f.line, f.column, f.rule))


def one_line(text: str) -> str:
    """Line-oriented formats keep each finding on one line."""
    return " ".join(text.split())


def _plural(count: int, word: str) -> str:
    if word == "info":
        return f"{count} info"
    return f"{count} {word}" + ("" if count == 1 else "s")


def summary(findings: Sequence[Finding], report: Report) -> str:
    """The one-line count for stderr, e.g. `3 errors, 2 warnings in 5 files` (no newline)."""
    counts = [(sev, sum(1 for f in findings if f.severity == sev)) for sev in sorted(Severity, reverse=True)]
    parts = [_plural(n, sev.label) for sev, n in counts if n]
    found = ", ".join(parts) if parts else "no problems"
    return f"{found} in {_plural(report.files_checked, 'file')}"


def _text(findings: Sequence[Finding], report: Report) -> str:
    from kb.formats import text

    return text.render(findings, report)


def _line(findings: Sequence[Finding], report: Report) -> str:
    from kb.formats import line

    return line.render(findings, report)


def _json(findings: Sequence[Finding], report: Report) -> str:
    from kb.formats import json

    return json.render(findings, report)


def _sarif(findings: Sequence[Finding], report: Report) -> str:
    from kb.formats import sarif

    return sarif.render(findings, report)


def _github(findings: Sequence[Finding], report: Report) -> str:
    from kb.formats import github

    return github.render(findings, report)


FORMATTERS: dict[OutputFormat, Formatter] = {
    OutputFormat.TEXT: _text,
    OutputFormat.LINE: _line,
    OutputFormat.JSON: _json,
    OutputFormat.SARIF: _sarif,
    OutputFormat.GITHUB: _github,
}


def render(findings: Sequence[Finding], fmt: OutputFormat | str, report: Report) -> str:
    """All of `kb check`'s stdout for `findings` in format `fmt`."""
    return FORMATTERS[OutputFormat(fmt)](findings, report)
