"""The options the Typer commands share, declared once, and the wrapper that applies kb's error contract."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from functools import wraps
from typing import Annotated, Any, Literal, TypeVar

import typer

from kb.errors import report

F = TypeVar("F", bound=Callable[..., Any])


class Format(str, Enum):
    text = "text"
    json = "json"


class Style(str, Enum):
    ama = "ama"
    apa = "apa"
    vancouver = "vancouver"
    bibtex = "bibtex"
    csl_json = "csl-json"
    ris = "ris"


DataOption = Annotated[str | None, typer.Option("--data", help="Data folder with claims.yaml (env KB_DATA).")]

DbOption = Annotated[str | None, typer.Option("--db", help="Database URL or SQLite path (env KB_DATABASE_URL).")]

ConfigOption = Annotated[str | None, typer.Option("--config", help="kb.toml or pyproject.toml to use.")]

JobsOption = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Parallel worker processes.")]

ColorOption = Annotated[Literal["auto", "always", "never"], typer.Option("--color", help="Colour in text output.")]

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def handle_errors(command: F) -> F:
    """One error handler: every exception becomes a one-line message on stderr and the exit code `kb.errors.outcome`
    gives it (2 cannot run, 3 internal error, 130 interrupted), never a traceback unless debugging."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - the contract covers every exception
            code = report(exc, lambda text: sys.stderr.write(text))
            raise typer.Exit(code) from None

    return wrapper  # type: ignore[return-value]


VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also say on stderr which configuration, data and index were used.")
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="No summary or notes on stderr: only the report, and errors.")
]
OutputFileOption = Annotated[
    str | None, typer.Option("--output", "-o", help="Write the report to this file (atomically), not stdout.")
]
StdinFilenameOption = Annotated[
    str | None,
    typer.Option("--stdin-filename", help="The name of the page read from stdin: its kind and the path reported."),
]
ForceExcludeOption = Annotated[
    bool,
    typer.Option("--force-exclude", help="Read a given file only if it is a page in `content` and not in `ignore`."),
]
