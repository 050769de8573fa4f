"""`kb search`: its options, its body, and its front end without Typer (`kb.cli.fast`).

`kb search` has an end-to-end budget of 250 ms at 100,000 claims, which Typer's start-up alone would spend, so
`kb.cli.main` routes a plain `kb search …` to argparse. The options are declared once, in `SEARCH_OPTIONS`; the
Typer command in `kb.cli.app` is generated from the same table.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from kb.cli import fast
from kb.cli.fast import Arg, Opt
from kb.text.jsontext import json_text
from kb.text.levels import LEVELS, STATUSES

SEARCH_HELP = (
    "Ranked, number-aware fuzzy search over claims, subjects, approved wording and page quotes; each hit with its "
    "approved wording, usable claims first at near-equal scores."
)
QUERY_HELP = "Words and figures, e.g. 'three out of four' or '30-100 days'. Empty: list the filtered claims."
FORMATS = ("text", "json")


SEARCH_ARGUMENT = Arg("query", QUERY_HELP)
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


def fast_main(argv: Sequence[str]) -> int | None:
    """Run `kb search` without Typer; None when the arguments need Typer (help, errors in usage)."""
    return fast.fast_main(argv, "kb search", SEARCH_ARGUMENT, SEARCH_OPTIONS, run_search)
