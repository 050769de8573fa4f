"""`kb contradictions`: option handling and output. The work is in `kb.contradictions.finder`; output in
`kb.formats.contradictions`.

Exit codes, as `kb check`: 0 no conflict at or above `--fail-on`; 1 conflicts at or above it (page vs source is an
error, page vs page a warning); 2 usage, configuration or input error, including a page that could not be read.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from kb.errors import UsageError, exit_code
from kb.fastclass import replace

FAIL_ON = ("error", "warning", "none")
FORMATS = ("text", "json")


@dataclass(frozen=True)
class ContradictionOptions:
    paths: tuple[str, ...]
    output: str = "text"
    fail_on: str = "warning"
    with_known: bool = False
    show_all: bool = False
    config: str | None = None
    jobs: int = 1
    data: str | None = None
    db: str | None = None
    color: str = "auto"
    only_given: bool = False
    quiet: bool = False
    output_file: str | None = None
    stdin_filename: str | None = None
    force_exclude: bool = False
    verbose: bool = False


def run_contradictions(options: ContradictionOptions) -> int:
    from kb.check.toml import load_config
    from kb.cli.common import read_stdin, say_settings, use_color, write_report
    from kb.contradictions.finder import contradictions
    from kb.formats.contradictions import json_chunks, render_text, summary
    from kb.formats.width import output_width
    from kb.index.build import ready
    from kb.pages.collect import page_files
    from kb.settings import resolve
    from kb.text.paths import from_cwd

    if options.fail_on not in FAIL_ON:
        raise UsageError(f"unknown --fail-on {options.fail_on!r}", hint=f"use one of {', '.join(FAIL_ON)}")
    if options.output not in FORMATS:
        raise UsageError(f"unknown --format {options.output!r}", hint=f"use one of {', '.join(FORMATS)}")
    config = load_config(Path.cwd(), Path(options.config) if options.config else None)
    settings = resolve(options.data or config.data, options.db)
    files = page_files(options.paths, None, config.content, config.ignore, config.root, options.force_exclude)
    stdin, unread_stdin = read_stdin(config.max_file_size) if "-" in options.paths else (None, [])
    cwd = Path.cwd().resolve()
    if options.verbose:
        say_settings(config.path, settings.data_dir, settings.database_url, len(files))
    result = contradictions(
        files,
        settings,
        ready(settings),
        options.with_known,
        max(1, options.jobs),
        stdin,
        lambda path: from_cwd(path, cwd),
        options.only_given,
        options.stdin_filename or "-",
    )
    if unread_stdin:
        result = replace(result, input_errors=(*unread_stdin, *result.input_errors))
    if options.output == "json":
        chunks = json_chunks(result.reports, result.statements, result.files_read, result.notes, result.input_errors)
        if options.output_file is not None:
            write_report("".join(chunks), options.output_file)
        else:
            for chunk in chunks:
                sys.stdout.write(chunk)
            sys.stdout.flush()  # a closed stdout fails here, inside the error contract
    else:
        write_report(
            render_text(result.reports, use_color(options.color), options.show_all, output_width()), options.output_file
        )
        for note in [] if options.quiet else result.notes:
            sys.stderr.write(f"note: {note}\n")
        for error in result.input_errors:
            sys.stderr.write(f"error: {error}\n")
        if not options.quiet:
            sys.stderr.write(summary(result.reports, result.statements, result.files_read) + "\n")
    severities = (conflict.severity for report in result.reports for conflict in report.conflicts)
    return exit_code(severities, options.fail_on, bool(result.input_errors))
