"""The `kb check` rules. Each takes what one sentence says and the claims it matched, and returns findings.

Curated page mentions are authoritative: a sentence that states a mention the knowledge base already judged gets
that verdict (and a mention judged accurate is never flagged as misattributed or mismatched). Sentences the
knowledge base has not seen are judged from their figures, names and wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from kb.check.rulebook import RULES
from kb.check.rules.contradiction import KnownPages, cross_page
from kb.language.knowledge import ClaimInfo, Knowledge
from kb.language.matching import NEGATION, Facts, Match, number_score
from kb.language.values import Statement
from kb.records import Finding
from kb.text.levels import LEVEL_RANK

ATTRIBUTION_TYPES = ("city", "journal", "institution")  # where and in what a study appeared (not who said what)
VERDICT_RULE = {
    "misattributed": "misattribution",
    "misquoted": "figure-mismatch",
    "unsupported": "unsupported-claim",
    "contradicted": "contradiction",
}


@dataclass(frozen=True)
class Span:
    """Where a finding points: 1-based, end column exclusive, in the original file."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str


@dataclass
class Context:
    """One sentence being checked, with everything the rules may consult."""

    path: str
    span: Span
    facts: Facts
    matches: list[Match]
    view: Knowledge
    min_level: str
    recency_years: float
    lexicon: tuple[str, ...]
    locate: Callable[[str], Span | None]
    today: date = field(default_factory=date.today)
    statements: tuple[Statement, ...] = ()  # what the sentence states on each subject (kb.language.statements)
    known: KnownPages | None = None

    def finding(self, rule: str, message: str, match: Match | None = None, span: Span | None = None) -> Finding:
        where = span or self.span
        claim = match.claim if match else None
        return Finding(
            self.path,
            where.line,
            where.column,
            where.end_line,
            where.end_column,
            rule,
            RULES[rule].severity,
            message,
            where.text,
            claim.id if claim else None,
            match.score if match else None,
            claim.level if claim else None,
            fix_for(claim, self.view) if claim else None,
        )


def fix_for(claim: ClaimInfo, view: Knowledge) -> str | None:
    """The approved wording of the best-sourced claim on the subject, with its short citation."""
    options = [claim] + [c for c in view.subject_claims(claim.subject) if c.id != claim.id]
    usable = [c for c in options if c.approved_wording and c.status != "do-not-use"]
    usable.sort(key=lambda c: (not c.sourced, -LEVEL_RANK[c.level]))
    if not usable:
        return None
    best = usable[0]
    cited = [view.sources[s].short for s in best.supporting if s in view.sources]
    return f"{best.approved_wording} ({'; '.join(cited[:2])})" if cited else best.approved_wording


def _same_polarity(claim: ClaimInfo, facts: Facts) -> bool:
    """ "Ketamine is not a cure" does not state the claim "ketamine cures migraine"."""
    return bool(NEGATION.search(claim.statement.lower())) == bool(NEGATION.search(facts.folded))


def curated(ctx: Context) -> Iterator[Finding]:
    for match in ctx.matches:
        for mention in match.mentions:
            rule = VERDICT_RULE.get(mention.verdict)
            if mention.verdict == "overstated":
                rule = (
                    "disallowed-claim"
                    if match.claim.status == "do-not-use"
                    else ("figure-mismatch" if match.claim.quantity is not None else "weak-evidence")
                )
            if rule is None:
                continue
            where = f" ({mention.attribution})" if mention.attribution else ""
            message = f"{mention.verdict.capitalize()}{where}: {mention.note}"
            yield ctx.finding(rule, message, match, ctx.locate(mention.raw_quote))


def _judged(ctx: Context) -> bool:
    return any(m.mentions for m in ctx.matches)


@cache
def _lexicon_pattern(lexicon: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation for the whole lexicon, longest terms first, compiled once per configuration."""
    terms = sorted({term.lower() for term in lexicon}, key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, terms))})(?![\w-])")


def _other_figure(claim: ClaimInfo, facts: Facts) -> bool:
    """The sentence gives a figure of the claim's kind, and not the claim's: "three quarters improved" does not
    state the do-not-use "40 percent responded on the first infusion", however many words they share."""
    value = claim.quantity
    if value is None:
        return False
    return any(q.dimension == value.dimension for q in facts.measured) and not number_score(facts, claim)


def disallowed(ctx: Context) -> Iterator[Finding]:
    for match in [] if _judged(ctx) else ctx.matches[:3]:
        entity = match.claim.value.get("kind") == "entity"  # a wrong name is misattribution's to report
        if (
            match.claim.status == "do-not-use"
            and not entity
            and not match.mentions
            and _same_polarity(match.claim, ctx.facts)
            and not _other_figure(match.claim, ctx.facts)
        ):
            yield ctx.finding(
                "disallowed-claim", f"The knowledge base marks this claim do-not-use: {match.claim.statement}", match
            )
            return
    for found in _lexicon_pattern(ctx.lexicon).finditer(ctx.facts.folded):
        if not NEGATION.search(ctx.facts.folded[max(0, found.start() - 30) : found.start()]):
            term = found.group(0)
            yield ctx.finding("disallowed-claim", f"Risky absolute wording {term!r}: health claims need hedging.")
            return


def _wrong_entity(ctx: Context) -> Iterator[Finding]:
    """The sentence names an entity the knowledge base records as a wrong attribution for a subject."""
    for match in ctx.matches[:3]:
        claim = match.claim
        if claim.value.get("entity_type") not in ATTRIBUTION_TYPES or claim.sourced:
            continue
        right = [c for c in ctx.view.subject_claims(claim.subject) if c.sourced and c.value.get("entity")]
        if right:
            cited = ", ".join(ctx.view.sources[s].short for s in right[0].supporting[:1] if s in ctx.view.sources)
            yield ctx.finding(
                "misattribution",
                f"Names {claim.value['entity']}; the knowledge base gives "
                f"{right[0].value['entity']}" + (f" ({cited})." if cited else "."),
                Match(right[0], match.score),
            )
            return


def misattribution(ctx: Context) -> Iterator[Finding]:
    if _judged(ctx):
        return
    entity_findings = list(_wrong_entity(ctx))
    if entity_findings:
        yield from entity_findings
        return
    if not any(match.claim.supporting for match in ctx.matches[:3]):
        return
    named = ctx.view.named_entities(ctx.facts.folded)
    for match in ctx.matches[:3]:
        for source_id in match.claim.supporting:
            source = ctx.view.sources.get(source_id)
            if source is None:
                continue
            for kind, truth in (
                ("city", source.city),
                ("journal", source.journal),
                ("institution", source.institution),
            ):
                wrong = [
                    ctx.view.entities[kind][n]
                    for n in named[kind]
                    if truth and n not in truth.lower() and truth.lower() not in n
                ]
                if truth and wrong and not any(n in ctx.facts.folded for n in (truth.lower(),)):
                    yield ctx.finding(
                        "misattribution",
                        f"Credits the finding to {wrong[0]}; {source.short} gives the {kind} as {truth}.",
                        match,
                    )
                    return


def figures(ctx: Context) -> Iterator[Finding]:
    """figure-mismatch against a sourced value; contradiction against the subject's other values."""
    if _judged(ctx) or not ctx.facts.measured:
        return
    for match in ctx.matches[:2]:
        subject = ctx.view.subject_claims(match.claim.subject)
        sourced = [c for c in subject if c.sourced and c.quantity is not None]
        stated = [q for q in ctx.facts.measured for c in sourced if q.dimension == c.quantity.dimension]  # type: ignore[union-attr]
        if sourced and stated and not any(q.overlaps(c.quantity) for q in stated for c in sourced if c.quantity):
            truth = sourced[0]
            yield ctx.finding(
                "figure-mismatch",
                f"States {stated[0].text}; the source gives {truth.statement}",
                Match(truth, match.score),
            )
            return
        others = [c for c in subject if c.quantity is not None]
        comparable = [
            q for q in ctx.facts.measured if any(q.dimension == c.quantity.dimension for c in others if c.quantity)
        ]
        if (
            not sourced
            and comparable
            and not any(q.overlaps(c.quantity) for q in comparable for c in others if c.quantity)
        ):
            listed = "; ".join(c.statement for c in others[:2])
            yield ctx.finding("contradiction", f"States {comparable[0].text}, which conflicts with: {listed}", match)
            return


def weak_evidence(ctx: Context) -> Iterator[Finding]:
    if ctx.facts.hedged or NEGATION.search(ctx.facts.folded):
        return  # a hedged or negative statement ("is not a cure") does not overclaim
    for match in ctx.matches[:1]:
        claim = match.claim
        if claim.status == "do-not-use" or LEVEL_RANK[claim.level] >= LEVEL_RANK[ctx.min_level]:
            continue
        if any(mention.verdict != "accurate" for mention in match.mentions):
            continue
        if any(caveat.lower()[:25] in ctx.facts.folded for caveat in claim.caveats):
            continue
        yield ctx.finding(
            "weak-evidence",
            f"Evidence is {claim.level} (minimum {ctx.min_level}); say so or add "
            f"the caveat: {claim.caveats[0] if claim.caveats else 'hedge it'}.",
            match,
        )


def stale_recency(ctx: Context) -> Iterator[Finding]:
    if not (ctx.facts.says_recent and ctx.facts.cites_study):
        return
    for match in ctx.matches[:3]:
        years = [ctx.view.sources[s].year for s in match.claim.supporting if s in ctx.view.sources]
        newest = max((y for y in years if y), default=None)
        if newest and ctx.today.year - newest > ctx.recency_years:
            yield ctx.finding(
                "stale-recency",
                f"Calls a {newest} source recent ({ctx.today.year - newest} years old; "
                f"window {ctx.recency_years:g} years).",
                match,
            )
            return


def unsupported(ctx: Context) -> Iterator[Finding]:
    if _judged(ctx):
        return
    best = ctx.matches[0] if ctx.matches else None
    if best is not None and not best.claim.sourced and best.claim.status != "do-not-use":
        yield ctx.finding("unsupported-claim", f"No source backs this: {best.claim.statement}", best)
    elif best is None and ctx.facts.measured and ctx.facts.cites_study:
        yield ctx.finding("unsupported-claim", "A study figure that matches nothing in the knowledge base.")


RULE_FUNCTIONS: tuple[Callable[[Context], Iterator[Finding]], ...] = (
    curated,
    cross_page,
    disallowed,
    misattribution,
    figures,
    weak_evidence,
    stale_recency,
    unsupported,
)
