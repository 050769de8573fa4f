"""weak-evidence: a claim whose evidence is below the configured minimum, stated without its caveat or a hedge."""

from __future__ import annotations

from collections.abc import Iterator

from kb.check.context import Context, Flag
from kb.check.rule import Rule
from kb.language.matching import NEGATION
from kb.records import Severity
from kb.text.levels import LEVEL_RANK


def check(ctx: Context) -> Iterator[Flag]:
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
        yield Flag(
            f"Evidence is {claim.level} (minimum {ctx.min_level}); say so or add "
            f"the caveat: {claim.caveats[0] if claim.caveats else 'hedge it'}.",
            match,
        )


RULE = Rule(
    "weak-evidence",
    Severity.WARNING,
    "A claim whose evidence is below the configured minimum, stated without its caveat or a hedge.",
    'Add the claim\'s caveat or hedge the statement ("may", "in one small study").',
    check,
    why=(
        "Stating a finding from weak evidence as settled fact overstates it; the caveat or a hedge is what "
        "keeps the sentence accurate to the evidence a reviewer can point to."
    ),
    example="Treatment X improves outcome Y.",
    example_fix="In one small study, treatment X may have improved outcome Y (Author 2018).",
)
