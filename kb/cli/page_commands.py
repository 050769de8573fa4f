"""The Typer commands that read pages, `kb contradictions` and `kb check`: their options, handed to `kb.cli.check`
and `kb.cli.contradictions`. Registered on the app by `kb.cli.app`."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from kb.cli.options import (
    ColorOption,
    ConfigOption,
    DataOption,
    DbOption,
    ForceExcludeOption,
    JobsOption,
    OutputFileOption,
    QuietOption,
    StdinFilenameOption,
    VerboseOption,
)


def contradictions(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Pages: files, folders, globs, or - for stdin (default: content).")
    ] = None,
    output: Annotated[Literal["text", "json"], typer.Option("--format", "-f", help="Output format.")] = "text",
    fail_on: Annotated[
        Literal["error", "warning", "none"],
        typer.Option("--fail-on", help="Exit 1 on conflicts at or above: error (page vs source), warning, none."),
    ] = "warning",
    with_known: Annotated[
        bool, typer.Option("--with-known", help="Also compare with the pages registered in the knowledge base.")
    ] = False,
    show_all: Annotated[bool, typer.Option("--all", help="Also list subjects whose statements agree.")] = False,
    only_given: Annotated[
        bool,
        typer.Option("--only-given", help="Only conflicts that involve a page given (what a commit changed)."),
    ] = False,
    config: ConfigOption = None,
    jobs: JobsOption = 1,
    data: DataOption = None,
    db: DbOption = None,
    color: ColorOption = "auto",
    quiet: QuietOption = False,
    output_file: OutputFileOption = None,
    stdin_filename: StdinFilenameOption = None,
    force_exclude: ForceExcludeOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Find where pages contradict each other and their sources, grouped by subject."""
    from kb.cli.contradictions import ContradictionOptions, run_contradictions

    options = ContradictionOptions(
        tuple(paths or ()),
        output,
        fail_on,
        with_known,
        show_all,
        config,
        jobs,
        data,
        db,
        color,
        only_given,
        quiet,
        output_file,
        stdin_filename,
        force_exclude,
        verbose,
    )
    raise typer.Exit(run_contradictions(options))


def check(
    paths: Annotated[list[str] | None, typer.Argument(help="Files, folders, globs, or - for stdin.")] = None,
    output: Annotated[
        Literal["text", "line", "json", "sarif", "github"], typer.Option("--format", "-f", help="Output format.")
    ] = "text",
    fail_on: Annotated[
        str | None, typer.Option("--fail-on", help="Exit 1 on findings at or above: error, warning, info, none.")
    ] = None,
    config: ConfigOption = None,
    baseline: Annotated[str | None, typer.Option("--baseline", help="Report only findings not in this file.")] = None,
    write_baseline: Annotated[
        str | None, typer.Option("--write-baseline", help="Record today's findings as the baseline and exit 0.")
    ] = None,
    changed_since: Annotated[
        str | None, typer.Option("--changed-since", help="Only files changed since this git ref.")
    ] = None,
    jobs: JobsOption = 1,
    min_level: Annotated[
        str | None, typer.Option("--min-level", help="Minimum evidence level (weak-evidence).")
    ] = None,
    threshold: Annotated[float | None, typer.Option("--threshold", help="Match threshold, 0-100.")] = None,
    data: DataOption = None,
    db: DbOption = None,
    color: ColorOption = "auto",
    quiet: QuietOption = False,
    output_file: OutputFileOption = None,
    stdin_filename: StdinFilenameOption = None,
    force_exclude: ForceExcludeOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Audit pages against the knowledge base: unsupported, mismatched, misattributed, disallowed and weak claims."""
    from kb.cli.check import CheckOptions, run_check

    options = CheckOptions(
        tuple(paths or ()),
        output,
        fail_on,
        config,
        baseline,
        write_baseline,
        changed_since,
        jobs,
        min_level,
        threshold,
        data,
        db,
        color,
        quiet,
        output_file,
        stdin_filename,
        force_exclude,
        verbose,
    )
    raise typer.Exit(run_check(options))
