"""Output formats for `kb check`: one module per format, each a `render(findings, report) -> str`.

Every format returns the whole output as one string: empty when there is nothing to print (`line`, `github`, and
`text` without notes), otherwise ending in exactly one newline, so the CLI writes it as is (`sys.stdout.write`, or
`typer.echo(out, nl=False)`). `json` prints `[]` when clean. The `summary` line is chatter: print it to stderr.

Formatter modules are imported on first use, so `--format json` never imports rich.
"""

from __future__ import annotations

from collections.abc import Sequence

from kb.formats.report import Formatter, OutputFormat, Report
from kb.records import Finding


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


def _html(findings: Sequence[Finding], report: Report) -> str:
    from kb.formats import html

    return html.render(findings, report)


def _markdown(findings: Sequence[Finding], report: Report) -> str:
    from kb.formats import markdown

    return markdown.render(findings, report)


FORMATTERS: dict[OutputFormat, Formatter] = {
    OutputFormat.TEXT: _text,
    OutputFormat.LINE: _line,
    OutputFormat.JSON: _json,
    OutputFormat.SARIF: _sarif,
    OutputFormat.GITHUB: _github,
    OutputFormat.HTML: _html,
    OutputFormat.MARKDOWN: _markdown,
}


def render(findings: Sequence[Finding], fmt: OutputFormat | str, report: Report) -> str:
    """All of `kb check`'s stdout for `findings` in format `fmt`."""
    return FORMATTERS[OutputFormat(fmt)](findings, report)
