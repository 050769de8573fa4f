"""The Typer command `kb contradictions`: its options, handed to `kb.cli.contradictions`. Registered on the app by
`kb.cli.app` (`kb check` is generated there from its table in `kb.cli.check`)."""

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
