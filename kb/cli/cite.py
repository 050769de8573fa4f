"""`kb cite`: its options, the bibliography it prints, and the copy-ready block of `--with-wording`. Registered on
the app by `kb.cli.app`; the library side is `kb.query.bibliography` and `kb.query.cite`."""

from __future__ import annotations

from typing import Annotated

import typer

from kb.cli.options import DataOption, DbOption, Style
from kb.errors import CiteRefused, KBError, UsageError
from kb.settings import resolve
from kb.store.db import Database


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
    from kb.query.bibliography import bibliography

    given = list(ids or [])
    if not given and page is None and subject is None:
        raise UsageError("name a claim or source id, or --page or --subject", hint="e.g. `kb cite schwenk-2018`")
    database = ready(resolve(data, db))
    if with_wording:
        typer.echo(_copy_block(database, given, page, subject, style.value))
        return
    from kb.query.cite import format_citations

    records = bibliography(database, given, page, subject)
    if not records:
        raise KBError("nothing to cite", hint="the page or subject has no claim that a source supports")
    typer.echo(format_citations(records, style.value).rstrip("\n"))


def _copy_block(database: Database, ids: list[str], page: str | None, subject: str | None, style: str) -> str:
    """Each claim's approved wording with its in-text citation, then the references (`kb cite --with-wording`)."""
    from kb.query.bibliography import cited_claim, page_claims, subject_claims
    from kb.query.cards import source_record
    from kb.query.cite import PROSE_STYLES, copy_block

    if style not in PROSE_STYLES:
        raise UsageError(f"--with-wording comes in {', '.join(PROSE_STYLES)}, not {style}")
    claims = [cited_claim(database, ident) for ident in ids]
    claims += page_claims(database, page) if page else []
    claims += subject_claims(database, subject) if subject else []
    claims = list({claim.id: claim for claim in claims}.values())
    wordless = [claim.id for claim in claims if not claim.approved_wording]
    if wordless and ids and set(wordless) & set(ids):
        raise CiteRefused(
            f"{', '.join(sorted(set(wordless) & set(ids)))} has no approved wording",
            hint="write the claim's approved_wording first, or cite its sources without --with-wording",
        )
    claims = [claim for claim in claims if claim.approved_wording]
    if not claims:
        raise KBError("nothing to cite", hint="no claim here has an approved wording and a supporting source")
    sources = []
    for source_id in dict.fromkeys(s for claim in claims for s in claim.sources):
        record = source_record(database, source_id)
        if record is not None:
            sources.append(record)
    wordings = [(str(claim.approved_wording), claim.sources) for claim in claims]
    return copy_block(wordings, sources, style)
