"""`kb review mention | false-positive | accept`: record a reviewer's decision on one `kb check` finding.

The finding is named by its fingerprint or `PATH:LINE:COLUMN`; the command re-runs `kb check` (on that page, or on
the configured content for a fingerprint) and refuses when the finding is not there or the name is ambiguous.
`mention` writes a curated page mention into claims.yaml through the one writer (the next `kb check` reports the
sentence with that verdict and note); `false-positive` and `accept` add an entry with reason, reviewer and date to
the decisions file (`baseline` in kb.toml, or --baseline), which `kb check` then honours.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from kb.cli.options import ConfigOption, DataOption, DbOption, handle_errors
from kb.errors import UsageError
from kb.text.paths import from_cwd

review_app = typer.Typer(
    help="Record decisions on kb check findings: a curated verdict, a false positive, an accepted exception.",
    no_args_is_help=True,
)
FindingArgument = Annotated[
    str, typer.Argument(help="The finding: its fingerprint (kb check --format json) or PATH:LINE:COLUMN.")
]
RuleOption = Annotated[str | None, typer.Option("--rule", help="The rule, when several findings start there.")]
PageOption = Annotated[
    list[str] | None, typer.Option("--page", help="Pages to look in for a fingerprint (default: `content`).")
]
BaselineOption = Annotated[
    str | None, typer.Option("--baseline", help="The decisions file (default: `baseline` in kb.toml).")
]


def _finding(
    ident: str, rule: str | None, pages: list[str] | None, config: str | None, data: str | None, db: str | None
) -> tuple[Any, Any, Any]:
    """Today's finding `ident` names, with the configuration and settings the check ran with."""
    from kb.check.decisions import find, page_of
    from kb.check.runner import check
    from kb.check.toml import load_config
    from kb.index.build import ready
    from kb.pages.collect import page_files
    from kb.settings import resolve

    found = load_config(Path.cwd(), Path(config) if config else None)
    settings = resolve(data or found.data, db)
    page = page_of(ident)
    paths = [page] if page else (pages or [])
    files = page_files(paths, None, found.content, found.ignore, found.root)
    result = check(files, ready(settings), settings, found)
    if result.input_errors:
        raise UsageError(f"cannot check the page: {result.input_errors[0]}", hint="fix the path")
    return find(result.findings, ident, rule), found, settings


def _decide(
    decision: str,
    ident: str,
    rule: str | None,
    pages: list[str] | None,
    reason: str,
    reviewer: str | None,
    date: str | None,
    baseline: str | None,
    config: str | None,
    data: str | None,
    db: str | None,
) -> None:
    from kb.check.decisions import decision_fields, record

    fields = decision_fields(decision, reason, reviewer, date)
    finding, found, _ = _finding(ident, rule, pages, config, data, db)
    target = baseline or found.baseline
    if not target:
        raise UsageError(
            "no decisions file configured",
            hint='add `baseline = ".kb-decisions.json"` to kb.toml (kb check then honours it), or pass --baseline',
        )
    record(Path(target), finding, fields)
    typer.echo(
        f"kb review: {finding.path}:{finding.line}:{finding.column} {finding.rule} recorded as {decision} in "
        f"{from_cwd(Path(target))}",
        err=True,
    )


@review_app.command("false-positive")
@handle_errors
def false_positive(
    finding: FindingArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why the finding is wrong.")],
    reviewer: Annotated[str | None, typer.Option("--reviewer", help="Who decided.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).")] = None,
    rule: RuleOption = None,
    page: PageOption = None,
    baseline: BaselineOption = None,
    config: ConfigOption = None,
    data: DataOption = None,
    db: DbOption = None,
) -> None:
    """Mark a finding as a false positive: kb check stops reporting it."""
    _decide("false-positive", finding, rule, page, reason, reviewer, date, baseline, config, data, db)


@review_app.command("accept")
@handle_errors
def accept(
    finding: FindingArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why the page may say it.")],
    reviewer: Annotated[str, typer.Option("--reviewer", help="Who accepted the exception.")],
    date: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).")] = None,
    rule: RuleOption = None,
    page: PageOption = None,
    baseline: BaselineOption = None,
    config: ConfigOption = None,
    data: DataOption = None,
    db: DbOption = None,
) -> None:
    """Record an accepted exception (a true finding the page keeps): kb check stops reporting it."""
    _decide("accepted", finding, rule, page, reason, reviewer, date, baseline, config, data, db)


def _page_id(dataset: Any, root: Path, path: str) -> str:
    assert dataset.pages is not None
    wanted = Path(path).resolve()
    for page in dataset.pages.pages:
        if (root / page.file).resolve() == wanted:
            return str(page.id)
    raise UsageError(
        f"{path} is not a page registered in pages.yaml",
        hint="register it (a curated mention needs a page id), or use `kb review false-positive` / `accept`",
    )


@review_app.command("mention")
@handle_errors
def mention(
    finding: FindingArgument,
    verdict: Annotated[str, typer.Option("--verdict", help="accurate, overstated, understated, misattributed, …")],
    note: Annotated[str, typer.Option("--note", help="One line: why.")],
    claim: Annotated[str | None, typer.Option("--claim", help="The claim (default: the finding's).")] = None,
    quote: Annotated[str | None, typer.Option("--quote", help="The page's words (default: the sentence).")] = None,
    attribution: Annotated[str | None, typer.Option("--attribution", help="Whom the page credits.")] = None,
    rule: RuleOption = None,
    page: PageOption = None,
    config: ConfigOption = None,
    data: DataOption = None,
    db: DbOption = None,
) -> None:
    """Turn a finding into a curated page mention in claims.yaml, with its verdict and note."""
    from kb.data import authoring
    from kb.data.write.transaction import edit

    found, _, settings = _finding(finding, rule, page, config, data, db)
    claim_id = claim or found.claim_id
    if claim_id is None:
        raise UsageError("this finding names no claim", hint="pass --claim ID (see `kb search`)")
    entry = {
        "page": "",
        "quote": quote or found.sentence or found.text,
        "attribution": attribution,
        "verdict": verdict,
        "note": note,
    }

    def plan(dataset: Any) -> Any:
        entry["page"] = _page_id(dataset, settings.data_dir, found.path)
        item = {key: value for key, value in entry.items() if value is not None}
        return [authoring.mention_addition(dataset, claim_id, item)]

    for addition, path, line in edit(settings.data_dir, plan).added:
        typer.echo(f"kb review: added {addition.what} ({verdict}) to {path}:{line}", err=True)
