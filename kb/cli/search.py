"""`kb search`: its options, its body, and a lean front end that parses them without Typer.

`kb search` has an end-to-end budget of 250 ms at 100,000 claims. Typer 0.29 validates every option through a
pydantic TypeAdapter, which costs ~150 ms per process before any work is done, so `kb.cli.main` routes a plain
`kb search …` here, to argparse. The options are declared once, in `SEARCH_OPTIONS`; the Typer command in
`kb.cli.app` is generated from the same table, so `kb search --help` and anything argparse cannot parse still go
through Typer and behave exactly as every other command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kb.errors import report
from kb.text.jsontext import json_text
from kb.text.levels import LEVELS, STATUSES

SEARCH_HELP = "Ranked, number-aware fuzzy search over claims, subjects, approved wording and page quotes."
QUERY_HELP = "Words and figures, e.g. 'three out of four' or '30-100 days'. Empty: list the filtered claims."
FORMATS = ("text", "json")


@dataclass(frozen=True)
class Opt:
    flags: tuple[str, ...]
    dest: str
    help: str
    default: Any = None
    kind: type = str
    repeat: bool = False
    choices: tuple[str, ...] | None = None


SEARCH_OPTIONS = (
    Opt(("--level",), "level", f"Only this evidence level (repeatable): {', '.join(LEVELS)}.", repeat=True),
    Opt(("--min-level",), "min_level", "At least this evidence level."),
    Opt(("--status",), "status", f"Only this writer status (repeatable): {', '.join(STATUSES)}.", repeat=True),
    Opt(("--source",), "source", "Only claims citing this source id."),
    Opt(("--page",), "page", "Only claims mentioned on this page id."),
    Opt(("--subject",), "subject", "Only claims on this subject id."),
    Opt(("--limit", "-n"), "limit", "How many results.", default=10, kind=int),
    Opt(("--data",), "data", "Data folder with claims.yaml (env KB_DATA)."),
    Opt(("--db",), "db", "Database URL or SQLite path (env KB_DATABASE_URL)."),
    Opt(("--format", "-f"), "output", "Output format.", default="text", choices=FORMATS),
)


def run_search(query: str = "", **options: Any) -> None:
    """The command body shared by both front ends: search, then print JSON or a rich table."""
    from kb.errors import UsageError
    from kb.index.build import ready
    from kb.query.search import Filters, check_filters, search
    from kb.settings import resolve

    if options["limit"] < 1:
        raise UsageError(f"--limit must be at least 1, not {options['limit']}")
    filters = Filters(
        tuple(options["level"] or ()),
        options["min_level"],
        tuple(options["status"] or ()),
        options["source"],
        options["page"],
        options["subject"],
    )
    check_filters(filters)
    hits = search(ready(resolve(options["data"], options["db"])), query, filters, options["limit"])
    if options["output"] == "json":
        sys.stdout.write(json_text([hit.to_dict() for hit in hits]))
        return
    from kb.formats.cards import search_blocks, search_table
    from kb.formats.console import stdout_console

    console = stdout_console()
    console.print(search_table(hits) if console.width >= NARROW else search_blocks(hits))


NARROW = 76  # below this the table's columns cannot all fit: one block per hit instead, nothing cropped


class _CannotParse(Exception):
    """argparse met something it cannot read; Typer then handles the whole command line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise _CannotParse(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kb search", add_help=False)
    parser.add_argument("query", nargs="?", default="")
    for opt in SEARCH_OPTIONS:
        action = "append" if opt.repeat else "store"
        parser.add_argument(
            *opt.flags, dest=opt.dest, default=opt.default, type=opt.kind, action=action, choices=opt.choices
        )
    return parser


def fast_main(argv: Sequence[str]) -> int | None:
    """Run `kb search` without Typer; None when the arguments need Typer (help, errors in usage)."""
    try:
        parsed = vars(_parser().parse_args(list(argv)))
    except _CannotParse:
        return None
    try:
        run_search(**parsed)
    except BaseException as exc:  # noqa: BLE001 - the contract covers every exception (kb.errors.outcome)
        return report(exc, lambda text: sys.stderr.write(text))
    return 0
