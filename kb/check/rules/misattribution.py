"""misattribution: a known finding credited to the wrong institution, city, journal, author or year."""

from __future__ import annotations

from collections.abc import Iterator

from kb.check.context import Context, Flag, judged
from kb.check.rule import Rule
from kb.language.attribution import YEAR_SLACK, credited_year
from kb.language.matching import Match
from kb.language.names import compatible, credited_names
from kb.records import Severity
from kb.text.normalise import fold

ATTRIBUTION_TYPES = ("city", "journal", "institution")  # where and in what a study appeared (not who said what)


def _wrong_entity(ctx: Context) -> Iterator[Flag]:
    """The sentence names an entity the knowledge base records as a wrong attribution for a subject."""
    for match in ctx.matches[:3]:
        claim = match.claim
        if claim.value.get("entity_type") not in ATTRIBUTION_TYPES or claim.sourced:
            continue
        right = [c for c in ctx.view.subject_claims(claim.subject) if c.sourced and c.value.get("entity")]
        if right:
            cited = ", ".join(ctx.view.sources[s].short for s in right[0].supporting[:1] if s in ctx.view.sources)
            yield Flag(
                f"Names {claim.value['entity']}; the knowledge base gives "
                f"{right[0].value['entity']}" + (f" ({cited})." if cited else "."),
                Match(right[0], match.score),
                ctx.words(fold(str(claim.value["entity"]))),
            )
            return


def _wrong_year(ctx: Context, stated: list[Match]) -> Flag | None:
    """The sentence dates its study to a year none of the stated claim's sources is from."""
    said = credited_year(ctx.span.text)
    if said is None:
        return None
    year, written = said
    for match in stated:
        sources = [ctx.view.sources[s] for s in match.claim.supporting if s in ctx.view.sources]
        dated = [source for source in sources if source.year]
        quantity = match.claim.quantity
        figures = [q for q in ctx.facts.measured if quantity is not None and q.dimension == quantity.dimension]
        if quantity is not None and figures and not any(q.overlaps(quantity) for q in figures):
            continue  # another year and another figure: another study (its figure is unverified-statistic's)
        if dated and all(abs(year - (source.year or 0)) > YEAR_SLACK for source in dated):
            source = dated[0]
            place = ctx.words(written)
            return Flag(f"Credits the finding to a {year} study; {source.short} is from {source.year}.", match, place)
    return None


def check(ctx: Context) -> Iterator[Flag]:
    if judged(ctx):
        return
    entity_flags = list(_wrong_entity(ctx))
    if entity_flags:
        yield from entity_flags
        return
    stated = _stated(ctx)
    if not any(match.claim.supporting for match in stated):
        return
    wrong_year = _wrong_year(ctx, stated)
    if wrong_year is not None:
        yield wrong_year
        return
    named = ctx.view.named_entities(ctx.facts.folded)
    credited = credited_names(ctx.span.text)  # names the knowledge base does not list ("Mayo Clinic")
    for match in stated:
        for source_id in match.claim.supporting:
            source = ctx.view.sources.get(source_id)
            if source is None:
                continue
            for kind, truth in (
                ("city", source.city),
                ("journal", source.journal),
                ("institution", source.institution),
            ):
                if not truth or truth.lower() in ctx.facts.folded:
                    continue
                wrong = [n for n in named[kind] if n not in truth.lower() and truth.lower() not in n]
                if not wrong and kind in credited:
                    # Names the knowledge base lists were judged just above; "the Lullora trial" names what was
                    # tested, not who tested it.
                    wrong = [
                        fold(n)
                        for n in credited[kind]
                        if not compatible(n, truth)
                        and fold(n) not in named[kind]
                        and fold(n) not in fold(match.claim.statement)
                    ]
                if wrong:
                    place, said = ctx.as_written(wrong[0])  # the wrong name itself, not the sentence around it
                    yield Flag(
                        f"Credits the finding to “{said}”; {source.short} gives the {kind} as {truth}.", match, place
                    )
                    return


def _stated(ctx: Context) -> list[Match]:
    """The claims the sentence states: those it matches, else the sourced claims of the subjects it states a
    figure on ("Researchers at the Mayo Clinic found that 75% of 61 patients improved")."""
    if ctx.matches:
        return ctx.matches[:3]
    found = []
    for statement in ctx.statements:
        if statement.value.dimension is None:
            continue  # a stance or a name: its own rules judge it
        found += [Match(c, 0.0) for c in ctx.view.subject_claims(statement.subject) if c.sourced][:1]
    return found


RULE = Rule(
    "misattribution",
    Severity.ERROR,
    "A known finding credited to the wrong institution, city, journal, author or year.",
    "Name the study as the source does: institution, city, journal, year.",
    check,
    why=(
        "Crediting a finding to the wrong institution, journal, author or year misleads readers about who "
        "stands behind it and cannot be verified against the record; it reads as borrowed authority."
    ),
    example="A 2015 study from University A found that most participants improved.",
    example_fix="A 2017 study at University B found that most participants improved (Author 2017).",
)
