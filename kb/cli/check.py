"""`kb check`: option handling and output for the page audit. The work is in `kb.check.runner`; output in `kb.formats`.

Exit codes (the Vale / pip-audit contract, kb.errors): 0 nothing at or above `--fail-on`; 1 findings at or above
it; 2 usage, configuration or input error, including any page that could not be read (even when other pages have
findings: the highest code wins). `--fail-on` sets only the exit code; every finding is displayed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from kb.cli.common import read_stdin, say_settings, use_color, write_report
from kb.errors import UsageError, exit_code
from kb.pages.collect import page_files

FAIL_ON = ("error", "warning", "info", "none")


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[str, ...]
    output: str = "text"
    fail_on: str | None = None
    config: str | None = None
    baseline: str | None = None
    write_baseline: str | None = None
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
    from kb.formats.console import output_width
    from kb.formats.report import Report, summary
    from kb.index.build import ready
    from kb.pages.changed import repository_root
    from kb.settings import resolve

    if options.fail_on is not None and options.fail_on not in FAIL_ON:
        raise UsageError(f"unknown --fail-on {options.fail_on!r}", hint=f"use one of {', '.join(FAIL_ON)}")
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
    if options.baseline:
        from kb.check.baseline import load_baseline

        accepted = load_baseline(Path(options.baseline))  # read before anything is written, even to the same file
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
        write_baseline(Path(options.write_baseline), findings)
        if not options.quiet:
            sys.stderr.write(f"kb check: wrote {len(findings)} finding(s) to {options.write_baseline}\n")
        return 0
    if accepted is not None:
        from kb.check.baseline import filter_new

        findings = filter_new(findings, accepted)
    shown = findings + [problem.as_finding() for problem in result.input_errors]
    report = Report(
        result.files_checked,
        __version__,
        Path.cwd(),
        result.notes,
        use_color(options.color),
        source_root=repository_root(Path.cwd()) if options.output == "sarif" else None,
        docs_url=config.docs_url,
        width=output_width(),
    )
    write_report(render(shown, options.output, report), options.output_file)
    if options.output in ("text", "line") and not options.quiet:
        sys.stderr.write(summary(shown, report) + "\n")
    fail_on = options.fail_on or config.fail_on.label
    return exit_code((finding.severity for finding in findings), fail_on, bool(result.input_errors))
