"""`kb add source | claim | mention`: new entries in the YAML knowledge base without opening a YAML file.

Each command builds the entry (`kb.data.authoring`) and hands it to the one writer (`kb.data.write.transaction`),
which validates the whole knowledge base before it writes anything. Messages go to stderr: `kb add: added claim X
to data/claims.yaml:2216`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from kb.cli.options import ConfigOption, DataOption, handle_errors
from kb.errors import UsageError

add_app = typer.Typer(
    help="Add a source (from BibTeX, RIS, CSL-JSON or PubMed), a claim or a page mention; validated, then written.",
    no_args_is_help=True,
)
VERIFIED_HELP = (
    'Where you checked the identifiers, e.g. "PubMed record 29923953, 2026-12-01": without it DOI, PMID, PMCID, NCT, '
    "volume, issue, pages, URL and date are left out (and listed as unverified)."
)


def data_root(data: str | None, config: str | None) -> Path:
    """The data folder a writing command changes: --data, else kb.toml's `data`, else the nearest data/."""
    from kb.check.toml import load_config
    from kb.settings import resolve

    found = load_config(Path.cwd(), Path(config) if config else None)
    return resolve(data or found.data, None).data_dir


def _say(written: Any) -> None:
    for addition, path, line in written.added:
        typer.echo(f"kb add: added {addition.what} to {path}:{line}", err=True)


def _read_input(spec: str) -> Any:
    """YAML or JSON (JSON is YAML) from a file or `-`: a mapping, a list, or {subjects: [...], claims: [...]}."""
    from kb.data.yamlload import decode, load_text, read_regular

    if spec == "-":
        text, shown = sys.stdin.read(), "<stdin>"
    else:
        text = decode(read_regular(Path(spec), spec, what="a YAML file", missing="check the path"), spec)
        shown = spec
    stripped = text.lstrip()
    if stripped.startswith("["):
        return json.loads(text)
    if not stripped.startswith(("{", "claims:", "subjects:")) and stripped.startswith("-"):
        return load_text(f"claims:\n{text}", shown)["claims"]
    return load_text(text, shown)


@add_app.command("source")
@handle_errors
def add_source(
    bibtex: Annotated[str | None, typer.Option("--bibtex", help="A BibTeX file.")] = None,
    ris: Annotated[str | None, typer.Option("--ris", help="An RIS file.")] = None,
    csl_json: Annotated[str | None, typer.Option("--csl-json", help="A CSL-JSON file.")] = None,
    pubmed: Annotated[str | None, typer.Option("--pubmed", help="PubMed XML, or MEDLINE text (PubMed format).")] = None,
    ident: Annotated[str | None, typer.Option("--id", help="The source's id (default: first author and year).")] = None,
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Only this record: its key (citation key, PMID) or number.")
    ] = None,
    design: Annotated[str | None, typer.Option("--design", help="The study design (docs/data-format.md).")] = None,
    verified_at: Annotated[str | None, typer.Option("--verified-at", help=VERIFIED_HELP)] = None,
    finding: Annotated[
        list[str] | None,
        typer.Option("--finding", help='A finding, "ID=the source\'s verbatim words" (one record; repeat).'),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Without a file: the title.")] = None,
    author: Annotated[list[str] | None, typer.Option("--author", help='Without a file: "Family, Given".')] = None,
    journal: Annotated[str | None, typer.Option("--journal", help="Without a file: the journal.")] = None,
    year: Annotated[str | None, typer.Option("--year", help="Without a file: YYYY[-MM[-DD]].")] = None,
    doi: Annotated[str | None, typer.Option("--doi", help="Without a file: the DOI.")] = None,
    pmid: Annotated[str | None, typer.Option("--pmid", help="Without a file: the PMID.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Without a file: the URL.")] = None,
    kind: Annotated[str, typer.Option("--type", help="Without a file: the CSL type.")] = "article-journal",
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Add sources from a bibliographic file (every record, or --select) or from field options."""
    from kb.cli.sources_input import records_from
    from kb.data import authoring
    from kb.data.write.transaction import edit

    files = {"bibtex": bibtex, "ris": ris, "csl-json": csl_json, "pubmed": pubmed}
    fields = {
        "title": title,
        "authors": author,
        "container_title": journal,
        "issued": year,
        "doi": doi,
        "pmid": pmid,
        "url": url,
        "type": kind,
    }
    records = records_from(files, fields, select or [])
    if ident is not None and len(records) > 1:
        raise UsageError(f"--id names one source but the file holds {len(records)} records", hint="add --select KEY")
    if finding and len(records) > 1:
        raise UsageError(f"--finding is for one source; the file holds {len(records)}", hint="add --select KEY")
    root = data_root(data, config)
    notes: list[str] = []

    def plan(dataset: Any) -> Any:
        taken = [source.id for source in dataset.sources.sources] if dataset.sources else []
        prepared = []
        for record in records:
            chosen = ident or authoring.default_id(record)
            authoring.refuse_taken("source", chosen, taken)
            taken.append(chosen)
            item = authoring.prepare_source(record, chosen, design, verified_at, finding or ())
            if item.dropped:
                notes.append(
                    f"kb add: {chosen}: left out {', '.join(item.dropped)} (identifiers enter only with "
                    '--verified-at "the record you checked, date"); listed under `unverified`'
                )
            prepared.append(item)
        return authoring.source_additions(prepared)

    written = edit(root, plan)
    for note in notes:
        typer.echo(note, err=True)
    _say(written)


@add_app.command("claim")
@handle_errors
def add_claim(
    ident: Annotated[str | None, typer.Option("--id", help="The claim's id (kebab-case).")] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="The subject's id.")] = None,
    statement: Annotated[str | None, typer.Option("--statement", help="The canonical, neutral statement.")] = None,
    status: Annotated[
        str, typer.Option("--status", help="approved, use-with-caveat or do-not-use.")
    ] = "use-with-caveat",
    wording: Annotated[str | None, typer.Option("--wording", help="The approved wording for writers.")] = None,
    caveat: Annotated[list[str] | None, typer.Option("--caveat", help="A caveat (repeat for more).")] = None,
    supports: Annotated[list[str] | None, typer.Option("--supports", help="A source id that supports it.")] = None,
    contradicts: Annotated[list[str] | None, typer.Option("--contradicts", help="A source id against it.")] = None,
    context: Annotated[list[str] | None, typer.Option("--context", help="A source id that gives context.")] = None,
    quote: Annotated[str | None, typer.Option("--quote", help="The source's words (with one source only).")] = None,
    value: Annotated[str | None, typer.Option("--value", help='A figure: "77 percent", "30-100 day".')] = None,
    qualifier: Annotated[str | None, typer.Option("--qualifier", help="exact, about, up-to, at-least, …")] = None,
    stance: Annotated[str | None, typer.Option("--stance", help="A stance value (of the subject).")] = None,
    entity: Annotated[str | None, typer.Option("--entity", help="An entity value (a city, a journal).")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeat for more).")] = None,
    from_yaml: Annotated[
        str | None, typer.Option("--from-yaml", help="Claims (and subjects) as YAML or JSON, from a file or -.")
    ] = None,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Add a claim from options, or claims and subjects from YAML/JSON (--from-yaml)."""
    from kb.cli.sources_input import claim_from_options, entries_from_document
    from kb.data import authoring
    from kb.data.write.transaction import edit

    if from_yaml is not None:
        subjects, claims = entries_from_document(_read_input(from_yaml))
    else:
        links = [("supports", s) for s in supports or []] + [("contradicts", s) for s in contradicts or []]
        links += [("context", s) for s in context or []]
        claim = claim_from_options(ident, subject, statement, status, wording, caveat or [], links, quote, tag or [])
        claim_value = authoring.parse_value(value, qualifier, stance, entity)
        if claim_value is not None:
            claim = {**dict(list(claim.items())[:3]), "value": claim_value, **dict(list(claim.items())[3:])}
        subjects, claims = [], [claim]

    def plan(dataset: Any) -> Any:
        additions = [authoring.subject_addition(dataset, s) for s in subjects]
        new_subjects = [str(s.get("id", "")) for s in subjects]  # claims may be on the subjects added with them
        return additions + [authoring.claim_addition(dataset, c, new_subjects) for c in claims]

    _say(edit(data_root(data, config), plan))


@add_app.command("mention")
@handle_errors
def add_mention(
    claim: Annotated[str, typer.Option("--claim", help="The claim the page states.")],
    page: Annotated[str, typer.Option("--page", help="The page's id (pages.yaml).")],
    quote: Annotated[str, typer.Option("--quote", help="The page's words, verbatim (checked against the page).")],
    verdict: Annotated[str, typer.Option("--verdict", help="accurate, overstated, understated, misattributed, …")],
    note: Annotated[str, typer.Option("--note", help="One line: why.")],
    attribution: Annotated[str | None, typer.Option("--attribution", help="Whom the page credits.")] = None,
    data: DataOption = None,
    config: ConfigOption = None,
) -> None:
    """Record how a registered page states a claim: the quote, the verdict and why."""
    from kb.data import authoring
    from kb.data.write.transaction import edit

    mention = {"page": page, "quote": quote, "attribution": attribution, "verdict": verdict, "note": note}
    mention = {key: value for key, value in mention.items() if value is not None}
    _say(edit(data_root(data, config), lambda dataset: [authoring.mention_addition(dataset, claim, mention)]))
