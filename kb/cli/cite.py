"""`kb cite`: its options, the bibliography it prints, and the copy-ready block of `--with-wording`. Registered on
the app by `kb.cli.app`; the library side is `kb.query.bibliography` and `kb.query.cite`."""

from __future__ import annotations

from typing import Annotated

import typer

from kb.cli.options import DataOption, DbOption, Style
from kb.errors import UsageError
from kb.settings import resolve


def cite(
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            help="Claim ids (cite their supporting sources) or source ids; several at once.", show_default=False
        ),
    ] = None,
    style: Annotated[Style, typer.Option("--style", "-s", help="Citation style.")] = Style.ama,
    page: Annotated[
        str | None, typer.Option("--page", help="Also the sources behind a registered page's claims.")
    ] = None,
    subject: Annotated[
        str | None, typer.Option("--subject", help="Also the sources behind a subject's claims.")
    ] = None,
    with_wording: Annotated[
        bool,
        typer.Option(
            "--with-wording", help="A copy-ready block: each claim's approved wording, cited, then the references."
        ),
    ] = False,
    data: DataOption = None,
    db: DbOption = None,
) -> None:
    """Formatted citations for claims, sources, a page or a subject (citeproc-py and CSL styles). A claim marked
    do-not-use, or whose sources only contradict it, is refused (exit 1): cite a source by its id to mean it."""
    from kb.index.build import ready
    from kb.query.bibliography import bibliography, wording_block

    given = list(ids or [])
    if not given and page is None and subject is None:
        raise UsageError("name a claim or source id, or --page or --subject", hint="e.g. `kb cite schwenk-2018`")
    database = ready(resolve(data, db))
    if with_wording:
        typer.echo(wording_block(database, given, page, subject, style.value))
        return
    from kb.query.cite import format_citations

    typer.echo(format_citations(bibliography(database, given, page, subject), style.value).rstrip("\n"))
