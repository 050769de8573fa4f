"""Cross-file checks: duplicate ids, dangling references, identifier syntax, verification records, quotes (page
mentions in their pages, source quotes in their sources' recorded words), and page files inside the data folder."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from kb.data.dataset import Dataset
from kb.data.enums import Level, Status
from kb.data.evidence import assess
from kb.data.quotes import closest_text, page_texts, quoted, source_texts
from kb.data.schema import Claim, Source, Subject
from kb.records import Problem
from kb.text.choices import expand
from kb.text.normalise import normalise
from kb.text.occurrences import Occurrences
from kb.text.suggest import did_you_mean, suggest
from kb.text.units import GENERIC, UnitTable, unit_table

IDENTIFIERS: dict[str, tuple[re.Pattern[str], str]] = {
    "doi": (
        re.compile(r"^10\.\d{4,9}/[^\s]+$"),
        "a DOI looks like 10.1097/AAP.0000000000000827, without https://doi.org/",
    ),
    "pmid": (re.compile(r"^[1-9]\d{0,8}$"), "a PMID is digits only, e.g. 29923953"),
    "pmcid": (re.compile(r"^PMC\d{4,9}$"), "a PMCID looks like PMC4014022"),
    "nct": (re.compile(r"^NCT\d{8}$"), "an NCT number is NCT followed by 8 digits"),
    "url": (re.compile(r"^https?://[^\s/$.?#][^\s]*$"), "a URL starts with http:// or https:// and has no spaces"),
}
BRACES = 'write "{a|b} c": one choice at a time, no braces inside braces'
ISSN = re.compile(r"^\d{4}-\d{3}[\dX]$")
# Fields that must name where they were verified when filled.
VERIFIABLE = ("doi", "pmid", "pmcid", "nct", "volume", "issue", "pages", "url", "issued")


def _duplicates(dataset: Dataset, name: str, key: str, ids: list[str]) -> None:
    seen: dict[str, int] = {}
    for index, ident in enumerate(ids):
        if ident in seen:
            first = dataset.position(name, key, seen[ident])[0]
            dataset.problem(
                name,
                (key, index, "id"),
                "duplicate-id",
                f"duplicate id {ident!r} (first on line {first})",
                "give each entry its own id",
            )
        else:
            seen[ident] = index


def _check_source(dataset: Dataset, index: int, source: Source, source_ids: set[str]) -> None:
    loc = ("sources", index)
    for field_name, (pattern, hint) in IDENTIFIERS.items():
        value = getattr(source, field_name)
        if value is not None and not pattern.match(value):
            dataset.problem("sources", (*loc, field_name), "bad-identifier", f"malformed {field_name} {value!r}", hint)
    for position, issn in enumerate(source.issn):
        if not ISSN.match(issn):
            dataset.problem(
                "sources",
                (*loc, "issn", position),
                "bad-identifier",
                f"malformed ISSN {issn!r}",
                "an ISSN looks like 1532-8651",
            )
    for field_name in VERIFIABLE:
        filled = getattr(source, field_name) is not None
        if filled and field_name not in source.verified_at:
            dataset.problem(
                "sources",
                (*loc, field_name),
                "unverified-field",
                f"{source.id}: `{field_name}` has no entry in verified_at",
                f'add `verified_at: {{{field_name}: "VERIFIED: <record you saw>"}}` or remove the field',
            )
        if filled and field_name in source.unverified:
            dataset.problem(
                "sources",
                (*loc, field_name),
                "unverified-field",
                f"{source.id}: `{field_name}` is listed as unverified but is filled in",
                "remove the value: unverified facts stay out of the knowledge base",
            )
    if source.reports is not None and source.reports not in source_ids:
        dataset.problem(
            "sources",
            (*loc, "reports"),
            "unknown-id",
            f"unknown source {source.reports!r}",
            did_you_mean(source.reports, source_ids),
        )
    finding_ids = [finding.id for finding in source.findings]
    for position, ident in enumerate(finding_ids):
        if ident in finding_ids[:position]:
            dataset.problem(
                "sources",
                (*loc, "findings", position, "id"),
                "duplicate-id",
                f"duplicate finding id {ident!r} in {source.id}",
                "give each finding its own id",
            )


OTHER_DIMENSIONS = ("year", "rate")  # dimensions a subject may have that no unit word reads


def _declared(dataset: Dataset) -> UnitTable:
    """The generic units and the knowledge base's own."""
    return unit_table(dataset.claims.units.model_dump()) if dataset.claims is not None else GENERIC


def _check_value(
    dataset: Dataset,
    loc: tuple[str, int],
    claim: Claim,
    subject: Subject | None,
    sources: dict[str, Source],
    known: set[str],
) -> None:
    """The value fits its subject, its unit is one kb can compare (`known`: the unit words), and an approved claim
    rests on evidence."""
    value = claim.value
    if value is not None and subject is not None and value.kind is not subject.kind:
        dataset.problem(
            "claims",
            (*loc, "value", "kind"),
            "bad-value",
            f"{claim.id}: a {value.kind.value} value on {subject.kind.value} subject {subject.id!r}",
            f"use kind: {subject.kind.value}, or another subject",
        )
    if value is not None and value.unit is not None and value.unit.lower() not in known:
        dataset.problem(
            "claims",
            (*loc, "value", "unit"),
            "bad-value",
            f"{claim.id}: unknown unit {value.unit!r}",
            suggest(value.unit, known)
            or f"declare it in claims.yaml: `units: {{counted: [{value.unit}s]}}` for a thing counted, or "
            f"`units: {{words: [{{word: {value.unit}, dimension: …}}]}}` (docs/data-format.md lists kb's units)",
        )
    if value is not None and value.low is not None and value.high is not None and value.low > value.high:
        dataset.problem(
            "claims",
            (*loc, "value"),
            "bad-value",
            f"{claim.id}: low {value.low} is above high {value.high}",
            "swap them",
        )
    if claim.status is Status.APPROVED and assess(claim, sources).level is Level.NONE:
        dataset.problem(
            "claims",
            (*loc, "status"),
            "approved-without-evidence",
            f"{claim.id}: approved for writers but no source supports it",
            "add a supporting source, or make it use-with-caveat / do-not-use",
        )


def _check_claim(
    dataset: Dataset,
    index: int,
    claim: Claim,
    sources: dict[str, Source],
    subjects: dict[str, Subject],
    pages: dict[str, Occurrences | None],
    known: set[str],
    normalised: dict[str, dict[str, str]],
) -> None:
    loc = ("claims", index)
    if claim.subject not in subjects:
        dataset.problem(
            "claims",
            (*loc, "subject"),
            "unknown-id",
            f"unknown subject {claim.subject!r}",
            did_you_mean(claim.subject, subjects),
        )
    _check_value(dataset, loc, claim, subjects.get(claim.subject), sources, known)
    for position, link in enumerate(claim.sources):
        where = (*loc, "sources", position)
        source = sources.get(link.source)
        if source is None:
            dataset.problem(
                "claims",
                (*where, "source"),
                "unknown-id",
                f"unknown source {link.source!r}",
                did_you_mean(link.source, sources),
            )
            continue
        if source.id not in normalised:  # once per source, not per link: sources are cited by many claims
            normalised[source.id] = {finding.id: normalise(finding.quote) for finding in source.findings}
        findings = normalised[source.id]
        quote = normalise(link.quote) if link.quote else None
        if link.finding is not None and link.finding not in findings:
            dataset.problem(
                "claims",
                (*where, "finding"),
                "unknown-id",
                f"unknown finding {link.finding!r} in source {source.id}",
                did_you_mean(link.finding, findings),
            )
        elif link.finding is not None and quote and not quoted(quote, [findings[link.finding]]):
            dataset.problem(
                "claims",
                (*where, "quote"),
                "quote-not-found",
                f"quote is not part of finding {source.id}/{link.finding}",
                "copy the quote from the finding",
            )
        elif link.finding is None and quote:
            texts = source_texts(source)
            if not quoted(quote, [text for _, text in texts]):
                dataset.problem(
                    "claims",
                    (*where, "quote"),
                    "quote-not-in-source",
                    f"{claim.id}: quote is not in the recorded text (title or findings) of source {source.id}",
                    closest_text(quote, texts),
                )
    for position, mention in enumerate(claim.mentions):
        where = (*loc, "mentions", position)
        if mention.page not in pages:
            dataset.problem(
                "claims",
                (*where, "page"),
                "unknown-id",
                f"unknown page {mention.page!r}",
                did_you_mean(mention.page, pages),
            )
            continue
        page = pages[mention.page]
        if page is not None and normalise(mention.quote) not in page:
            nearest = fuzz.partial_ratio_alignment(normalise(mention.quote), page.text)
            closest = page.text[nearest.dest_start : nearest.dest_end] if nearest else ""
            dataset.problem(
                "claims",
                (*where, "quote"),
                "quote-not-found",
                f"quote not found in page {mention.page}",
                f"copy it verbatim; closest text: {closest[:80]!r}",
            )


def _check_subject(
    dataset: Dataset,
    index: int,
    subject: Subject,
    subjects: dict[str, Subject],
    sources: set[str],
    dimensions: set[str],
) -> None:
    """The ids a subject's detection vocabulary refers to exist, and its dimension is one of `dimensions`."""
    loc = ("subjects", index)
    if subject.source is not None and subject.source not in sources:
        hint = did_you_mean(subject.source, sources)
        dataset.problem("claims", (*loc, "source"), "unknown-id", f"unknown source {subject.source!r}", hint)
    if subject.dimension is not None and subject.dimension not in dimensions:
        dataset.problem(
            "claims",
            (*loc, "dimension"),
            "bad-value",
            f"{subject.id}: unknown dimension {subject.dimension!r}",
            suggest(subject.dimension, dimensions) or "declare a unit of that dimension under units.words",
        )
    if subject.relative_to is not None and subject.relative_to not in subjects:
        hint = did_you_mean(subject.relative_to, subjects)
        dataset.problem("claims", (*loc, "relative_to"), "unknown-id", f"unknown subject {subject.relative_to!r}", hint)


def check(dataset: Dataset) -> list[Problem]:
    """All problems in the dataset, sorted by file and position. Empty means valid."""
    if dataset.sources is not None and dataset.claims is not None and dataset.pages is not None:
        sources = {source.id: source for source in dataset.sources.sources}
        _duplicates(dataset, "sources", "sources", [s.id for s in dataset.sources.sources])
        _duplicates(dataset, "claims", "claims", [c.id for c in dataset.claims.claims])
        _duplicates(dataset, "claims", "subjects", [s.id for s in dataset.claims.subjects])
        _duplicates(dataset, "pages", "pages", [p.id for p in dataset.pages.pages])
        for index, source in enumerate(dataset.sources.sources):
            _check_source(dataset, index, source, set(sources))
        pages = {page: None if text is None else Occurrences(text) for page, text in page_texts(dataset).items()}
        subjects = {subject.id: subject for subject in dataset.claims.subjects}
        units = _declared(dataset).by_word  # once: building the unit table per subject and claim cost seconds
        dimensions = {*OTHER_DIMENSIONS, *(dimension for dimension, _ in units.values())}
        source_ids, known = set(sources), set(units)
        for index, subject in enumerate(dataset.claims.subjects):
            _check_subject(dataset, index, subject, subjects, source_ids, dimensions)
        for category, phrases in dataset.claims.risky_wording.items():
            for number, phrase in enumerate(phrases):
                try:
                    expand(phrase)
                except ValueError as error:
                    dataset.problem("claims", ("risky_wording", category, number), "bad-value", str(error), BRACES)
        normalised: dict[str, dict[str, str]] = {}
        for index, claim in enumerate(dataset.claims.claims):
            _check_claim(dataset, index, claim, sources, subjects, pages, known, normalised)
    return sorted(set(dataset.problems))
