"""disallowed-claim: a claim the knowledge base marks do-not-use, or risky absolute wording from the lexicon."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from kb.check.context import Context, Flag, judged, same_polarity
from kb.check.rule import Rule
from kb.language.knowledge import ClaimInfo
from kb.language.matching import NEGATION, Facts, number_score
from kb.records import Severity


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


def check(ctx: Context) -> Iterator[Flag]:
    for match in [] if judged(ctx) else ctx.matches[:3]:
        entity = match.claim.value.get("kind") == "entity"  # a wrong name is misattribution's to report
        if (
            match.claim.status == "do-not-use"
            and not entity
            and not match.mentions
            and same_polarity(match.claim, ctx.facts)
            and not _other_figure(match.claim, ctx.facts)
        ):
            yield Flag(f"The knowledge base marks this claim do-not-use: {match.claim.statement}", match)
            return
    for found in _lexicon_pattern(ctx.lexicon).finditer(ctx.facts.folded):
        if not NEGATION.search(ctx.facts.folded[max(0, found.start() - 30) : found.start()]):
            term = found.group(0)
            yield Flag(f"Risky absolute wording {term!r}: health claims need hedging.")
            return


RULE = Rule(
    "disallowed-claim",
    Severity.ERROR,
    "A claim marked do-not-use, or risky absolute wording (cure, non-addictive, no side effects, …).",
    "Remove the claim or use the approved, hedged wording.",
    check,
    why=(
        "Absolute promises (a cure, no risk, guaranteed results) and claims the knowledge base marks do-not-"
        "use are what advertising and consumer-protection reviews single out first; no evidence supports an "
        "absolute."
    ),
    example="Treatment X has no side effects.",
    example_fix="Side effects of treatment X were mild and uncommon in the studies so far (Author 2021).",
)
