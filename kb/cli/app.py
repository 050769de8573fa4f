"""The `kb` command: parses options, calls one library function, renders, exits. No data logic lives here.

Exit codes (kb.errors): 0 success / clean, 1 findings (validation problems), 2 cannot run (usage, configuration,
input, data), 3 internal error, 130 interrupted.
Heavy modules are imported inside commands so `kb search` does not pay for the ORM (see README, "Speed").
"""

from __future__ import annotations

import inspect
import json
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal

import typer

from kb.cli import cite as cite_command
from kb.cli import page_commands
from kb.cli.check import CHECK_ARGUMENT, CHECK_HELP, CHECK_OPTIONS, check_command
from kb.cli.fast import Arg, Opt
from kb.cli.options import (
    ConfigOption,
    DataOption,
    DbOption,
    Format,
    FormatOption,
    handle_errors,
)
from kb.cli.search import SEARCH_ARGUMENT, SEARCH_HELP, SEARCH_OPTIONS, run_search
from kb.errors import DEBUG_ENV, UsageError
from kb.settings import Settings, resolve
from kb.text.jsontext import json_text

app = typer.Typer(
    help="Evidence-claims knowledge base: find, check and cite the health claims on web pages.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        from kb import __version__

        sys.stdout.write(f"kb {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help=f"Show the traceback of an internal error (or set {DEBUG_ENV}=1).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", help="Print kb's version and exit.", is_eager=True, callback=_show_version),
    ] = False,
) -> None:
    if debug:
        import os

        os.environ[DEBUG_ENV] = "1"


def _settings(data: str | None, db: str | None) -> Settings:
    return resolve(data, db)


def _print_json(value: Any) -> None:
    sys.stdout.write(json_text(value))


@app.command()
@handle_errors
def init(
    folder: Annotated[str, typer.Argument(help="Where the content repository is (default: here).")] = ".",
    data: Annotated[str, typer.Option("--data", help="The data folder to create, relative to FOLDER.")] = "data",
    content: Annotated[str, typer.Option("--content", help="Where the pages are, relative to FOLDER.")] = "content",
) -> None:
    """Start a knowledge base: empty data files with commented examples, kb.toml, and .kb/ in .gitignore."""
    from pathlib import Path

    from kb.data.skeleton import write

    made = write(Path(folder), data, content)
    for path in made.written:
        typer.echo(f"kb init: wrote {path}", err=True)
    if made.gitignore is not None:
        typer.echo(f"kb init: added .kb/ to {made.gitignore}", err=True)
    typer.echo("kb init: next, `kb validate`, then add your first source and claim (see the examples)", err=True)


@app.command("config")
@handle_errors
def show_config(
    config: ConfigOption = None, data: DataOption = None, db: DbOption = None, output: FormatOption = Format.text
) -> None:
    """The configuration kb uses here, and where each value came from (file:line, option, environment, default)."""
    from pathlib import Path

    from kb.check.toml import load_config
    from kb.cli.settings_report import report

    found = report(load_config(Path.cwd(), Path(config) if config else None), data, db)
    if output is Format.json:
        _print_json([{"key": s.key, "value": s.value, "origin": s.origin} for s in found])
        return
    width = max(len(s.key) for s in found)
    for setting in found:
        value = setting.value if isinstance(setting.value, str) else json.dumps(setting.value, ensure_ascii=False)
        sys.stdout.write(f"{setting.key:<{width}}  {value}  # {setting.origin}\n")


@app.command("sync")
@handle_errors
def sync_command(config: ConfigOption = None) -> None:
    """Fetch the knowledge base kb.toml's [sync] pins (a git repository at a tag or commit) into .kb/."""
    from pathlib import Path

    from kb.check.toml import load_config
    from kb.data.sync import SYNC_FOLDER, sync

    found = load_config(Path.cwd(), Path(config) if config else None)
    if found.sync is None:
        raise UsageError("no [sync] in the configuration", hint='add [sync] with git = "…" and ref = "…" to kb.toml')
    commit = sync(found.root, found.sync)
    typer.echo(f"kb sync: {found.sync.git} at {found.sync.ref} ({commit[:12]}) in {found.root / SYNC_FOLDER}", err=True)


@app.command()
@handle_errors
def validate(data: DataOption = None, output: FormatOption = Format.text) -> None:
    """Check the data: schema, ids, references, identifiers, verification records and quotes."""
    from kb.data.checked import load_checked

    settings = _settings(data, None)
    problems = load_checked(settings.data_dir)[1]
    if output is Format.json:
        _print_json([problem.to_dict() for problem in problems])
    else:
        for problem in problems:
            typer.echo(str(problem))
        summary = f"{len(problems)} problem(s)" if problems else "valid"
        typer.echo(f"kb validate: {settings.data_dir}: {summary}", err=True)
    raise typer.Exit(1 if problems else 0)


@app.command()
@handle_errors
def index(
    data: DataOption = None, db: DbOption = None, rebuild: bool = typer.Option(False, help="Rebuild even if fresh.")
) -> None:
    """Compile the YAML into the index now (other commands do this automatically when the YAML changed)."""
    from kb.index.build import refresh

    settings = _settings(data, db)
    state = refresh(settings, force=rebuild)
    typer.echo(f"kb index: {state}: {settings.database_url}", err=True)


def _search_command(query: str = "", **options: Any) -> None:
    run_search(query, **options)


def _check_command(paths: list[str] | None = None, **options: Any) -> None:
    raise typer.Exit(check_command(paths or (), **options))


def _typer_signature(command: Callable[..., None], argument: Arg, options: Sequence[Opt]) -> None:
    """Give a Typer command the argument and options of its table (`kb.cli.fast`), declared once beside its body."""
    if argument.many:
        default: Any = typer.Argument(None, help=argument.help, show_default=False)
        annotated: Any = list[str] | None
    else:
        default, annotated = typer.Argument("", help=argument.help, show_default=False), str
    parameters = [
        inspect.Parameter(argument.dest, inspect.Parameter.KEYWORD_ONLY, annotation=annotated, default=default)
    ]
    for opt in options:
        kind: Any = Literal[opt.choices] if opt.choices else opt.kind
        if opt.flag:
            annotation: Any = bool
        elif opt.repeat:
            annotation = list[kind] | None
        else:
            annotation = kind if opt.default is not None else kind | None
        minimum = opt.minimum if opt.minimum is not None else (1 if opt.kind is int else None)
        option = typer.Option(False if opt.flag else opt.default, *opt.flags, help=opt.help, min=minimum)
        parameters.append(
            inspect.Parameter(opt.dest, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=option)
        )
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined,unused-ignore]
    command.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": None}


_typer_signature(_search_command, SEARCH_ARGUMENT, SEARCH_OPTIONS)
_typer_signature(_check_command, CHECK_ARGUMENT, CHECK_OPTIONS)
app.command("search", help=SEARCH_HELP)(handle_errors(_search_command))


@app.command()
@handle_errors
def show(
    claim_id: Annotated[str, typer.Argument(help="A claim id (see `kb search`).")],
    data: DataOption = None,
    db: DbOption = None,
    output: FormatOption = Format.text,
) -> None:
    """The claim card: value, evidence and why, status and wording, cited sources, page mentions, related claims."""
    from kb.index.build import ready
    from kb.query.cards import claim_card
    from kb.query.cite import format_citations

    card = claim_card(ready(_settings(data, db)), claim_id)
    citations = {ident: format_citations([record], "ama").removeprefix("1. ") for ident, record in card.sources.items()}
    if output is Format.json:
        _print_json(card.to_dict() | {"citations": citations})
        return
    from kb.formats.cards import claim_panel
    from kb.formats.console import stdout_console

    stdout_console().print(claim_panel(card, citations))


app.command("cite")(handle_errors(cite_command.cite))  # kb.cli.cite; registered here to keep the help's order


@app.command()
@handle_errors
def sources(data: DataOption = None, db: DbOption = None, output: FormatOption = Format.text) -> None:
    """List the sources with their design, identifiers and evidence level."""
    from kb.index.build import ready
    from kb.query.cards import all_sources

    rows = all_sources(ready(_settings(data, db)))
    if output is Format.json:
        _print_json(rows)
        return
    from kb.formats.cards import sources_table
    from kb.formats.console import stdout_console

    stdout_console().print(sources_table(rows))


@app.command()
@handle_errors
def pages(data: DataOption = None, db: DbOption = None, output: FormatOption = Format.text) -> None:
    """List the pages with their publisher, seed file and how many mentions are flagged."""
    from kb.index.build import ready
    from kb.query.cards import all_pages

    rows = list(all_pages(ready(_settings(data, db))).values())
    if output is Format.json:
        _print_json(rows)
        return
    from kb.formats.cards import pages_table
    from kb.formats.console import stdout_console

    stdout_console().print(pages_table(rows))


@app.command()
@handle_errors
def subjects(data: DataOption = None, db: DbOption = None, output: FormatOption = Format.text) -> None:
    """List the subjects with how many claims each has, by writer status (most usable claims first)."""
    from kb.index.build import ready
    from kb.query.cards import all_subjects

    rows = all_subjects(ready(_settings(data, db)))
    if output is Format.json:
        _print_json(rows)
        return
    from kb.cli.search import NARROW
    from kb.formats.cards import subjects_blocks, subjects_table
    from kb.formats.console import stdout_console

    console = stdout_console()
    console.print(subjects_table(rows) if console.width >= NARROW else subjects_blocks(rows))


# Writing commands (kb.cli.authoring, kb.cli.review): sub-command groups.
from kb.cli.authoring import add_app  # noqa: E402
from kb.cli.review import review_app  # noqa: E402

app.add_typer(add_app, name="add")
app.add_typer(review_app, name="review")

# The page commands live in kb.cli.page_commands; registered here, last, in the order the help lists them.
app.command("contradictions")(handle_errors(page_commands.contradictions))
app.command("check", help=CHECK_HELP)(handle_errors(_check_command))
