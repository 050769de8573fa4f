"""`kb check`: option handling and output for the page audit. The work is in `kb.check.runner`; output in `kb.formats`.

Exit codes (the Vale / pip-audit contract, kb.errors): 0 nothing at or above `--fail-on`; 1 findings at or above
it; 2 usage, configuration or input error, including any page that could not be read (even when other pages have
findings: the highest code wins). `--fail-on` sets only the exit code; every finding is displayed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kb.cli import fast
from kb.cli.common import read_stdin, say_settings, use_color, write_report
from kb.cli.fast import Arg, Opt
from kb.errors import UsageError, exit_code
from kb.fastclass import dataclass, replace
from kb.pages.collect import page_files

FAIL_ON = ("error", "warning", "info", "none")
FORMATS = ("text", "line", "json", "sarif", "github", "html", "markdown")
CHECK_HELP = (
    "Audit pages against the knowledge base: unsupported, mismatched, misattributed, disallowed and weak claims."
)
CHECK_ARGUMENT = Arg("paths", "Files, folders, globs, or - for stdin.", many=True)
# Declared once: `kb.cli.app` builds the Typer command from this table, `fast_main` an argparse parser.
CHECK_OPTIONS = (
    Opt(("--format", "-f"), "output", "Output format.", default="text", choices=FORMATS),
    Opt(("--fail-on",), "fail_on", "Exit 1 on findings at or above: error, warning, info, none."),
    Opt(("--config",), "config", "kb.toml or pyproject.toml to use."),
    Opt(("--baseline",), "baseline", "Report only findings not in this file."),
    Opt(("--write-baseline",), "write_baseline", "Record today's findings as the baseline and exit 0."),
    Opt(("--reason",), "reason", "With --write-baseline: why these findings are accepted (kept in the file)."),
    Opt(("--reviewer",), "reviewer", "With --write-baseline: who accepted them."),
    Opt(("--changed-since",), "changed_since", "Only files changed since this git ref."),
    Opt(("--jobs", "-j"), "jobs", "Parallel worker processes.", default=1, kind=int, minimum=1),
    Opt(("--min-level",), "min_level", "Minimum evidence level (weak-evidence)."),
    Opt(("--threshold",), "threshold", "Match threshold, 0-100.", kind=float),
    Opt(("--data",), "data", "Data folder with claims.yaml (env KB_DATA)."),
    Opt(("--db",), "db", "Database URL or SQLite path (env KB_DATABASE_URL)."),
    Opt(("--color",), "color", "Colour in text output.", default="auto", choices=("auto", "always", "never")),
    Opt(("--quiet", "-q"), "quiet", "No summary or notes on stderr: only the report, and errors.", flag=True),
    Opt(("--output", "-o"), "output_file", "Write the report to this file (atomically), not stdout."),
    Opt(
        ("--stdin-filename",), "stdin_filename", "The name of the page read from stdin: its kind and the path reported."
    ),
    Opt(
        ("--force-exclude",),
        "force_exclude",
        "Read a given file only if it is a page in `content` and not in `ignore`.",
        flag=True,
    ),
    Opt(("--verbose", "-v"), "verbose", "Also say on stderr which configuration, data and index were used.", flag=True),
)


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[str, ...]
    output: str = "text"
    fail_on: str | None = None
    config: str | None = None
    baseline: str | None = None
    write_baseline: str | None = None
    reason: str | None = None
    reviewer: str | None = None
    changed_since: str | None = None
    jobs: int = 1
    min_level: str | None = None
    threshold: float | None = None
    data: str | None = None
    db: str | None = None
    color: str = "auto"
    quiet: bool = False
    output_file: str | None = None
    stdin_filename: str | None = None
    force_exclude: bool = False
    verbose: bool = False


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for many files in a terminal; nothing otherwise."""
    if total < 20 or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    from kb.formats.console import stderr_console

    with Progress(console=stderr_console(), transient=True) as bar:
        task = bar.add_task("kb check", total=total)
        yield lambda done: bar.advance(task, done)


def run_check(options: CheckOptions) -> int:
    from kb import __version__
    from kb.check.runner import check
    from kb.check.toml import load_config
    from kb.formats import render
    from kb.formats.report import Report, summary
    from kb.formats.width import output_width
    from kb.index.build import ready
    from kb.pages.changed import repository_root
    from kb.settings import resolve

    if options.fail_on is not None and options.fail_on not in FAIL_ON:
        raise UsageError(f"unknown --fail-on {options.fail_on!r}", hint=f"use one of {', '.join(FAIL_ON)}")
    acceptance = _acceptance(options)
    config = load_config(Path.cwd(), Path(options.config) if options.config else None)
    if options.min_level or options.threshold is not None:
        config = replace(
            config,
            min_level=options.min_level or config.min_level,
            threshold=config.threshold if options.threshold is None else options.threshold,
        )
    settings = resolve(options.data or config.data, options.db)
    files = page_files(
        options.paths, options.changed_since, config.content, config.ignore, config.root, options.force_exclude
    )
    accepted = None
    baseline = options.baseline or _configured_baseline(config.baseline)
    if baseline:
        from kb.check.baseline import load_baseline

        accepted = load_baseline(Path(baseline))  # read before anything is written, even to the same file
    stdin, unread_stdin = read_stdin(config.max_file_size) if "-" in options.paths else (None, [])
    db = ready(settings)
    if options.verbose:
        say_settings(config.path, settings.data_dir, settings.database_url, len(files))
    with _progress(len(files)) as progress:
        result = check(
            files, db, settings, config, max(1, options.jobs), stdin, progress, options.stdin_filename or "-"
        )
    if unread_stdin:
        result = replace(result, input_errors=(*unread_stdin, *result.input_errors))
    findings = list(result.findings)
    if options.write_baseline:
        from kb.check.baseline import write_baseline

        if result.input_errors:
            first = result.input_errors[0]
            raise UsageError(
                f"not writing the baseline: {len(result.input_errors)} page(s) could not be read, first {first}",
                hint="fix or exclude those pages, then write the baseline again",
            )
        # Every finding of today, accepted or new: a baseline rewritten with --baseline set keeps the accepted ones.
        write_baseline(Path(options.write_baseline), findings, acceptance)
        if not options.quiet:
            sys.stderr.write(f"kb check: wrote {len(findings)} finding(s) to {options.write_baseline}\n")
        return 0
    if accepted is not None:
        from kb.check.baseline import filter_new

        findings = filter_new(findings, accepted)
        if options.verbose:
            suppressed = len(result.findings) - len(findings)
            sys.stderr.write(f"kb check: {suppressed} finding(s) suppressed by the decisions in {baseline}\n")
    shown = findings + [problem.as_finding() for problem in result.input_errors]
    fail_on = options.fail_on or config.fail_on.label
    review = None
    if options.output in ("html", "markdown"):
        from kb.formats.review import gather
        from kb.text.paths import from_cwd

        data_dir = from_cwd(settings.data_dir)
        stdin_name = options.stdin_filename or "-"
        details = options.output == "html"
        review = gather(shown, files, db, data_dir, fail_on, stdin, stdin_name, config.max_file_size, details)
    report = Report(
        result.files_checked,
        __version__,
        Path.cwd(),
        result.notes,
        use_color(options.color),
        source_root=repository_root(Path.cwd()) if options.output == "sarif" else None,
        docs_url=config.docs_url,
        width=output_width(),
        review=review,
    )
    write_report(render(shown, options.output, report), options.output_file)
    if options.output in ("text", "line") and not options.quiet:
        sys.stderr.write(summary(shown, report) + "\n")
    return exit_code((finding.severity for finding in findings), fail_on, bool(result.input_errors))


def _configured_baseline(path: str | None) -> str | None:
    """kb.toml's `baseline`, once it exists: a decisions file not written yet holds no decisions."""
    import os

    return path if path and os.path.lexists(path) else None


def _acceptance(options: CheckOptions) -> dict[str, str] | None:
    if options.reason is None and options.reviewer is None:
        return None
    if not options.write_baseline:
        raise UsageError("--reason and --reviewer go with --write-baseline", hint="or record one finding: kb review")
    from kb.check.decisions import decision_fields

    return decision_fields("accepted", options.reason or "", options.reviewer, None)


def check_command(paths: Sequence[str] = (), **options: Any) -> int:
    """The command body both front ends call: the options as `CheckOptions`, then `run_check`."""
    return run_check(CheckOptions(tuple(paths or ()), **options))


def fast_main(argv: Sequence[str]) -> int | None:
    """Run `kb check` without Typer; None when the arguments need Typer (help, errors in usage)."""
    return fast.fast_main(argv, "kb check", CHECK_ARGUMENT, CHECK_OPTIONS, check_command)
