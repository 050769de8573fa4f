"""weak-evidence: a claim whose evidence is below the configured minimum, stated without its caveat or a hedge."""

from __future__ import annotations

from collections.abc import Iterator

from kb.check.context import Context, Flag, states
from kb.check.rule import Rule
from kb.language.cues import HEDGE, NEGATION
from kb.records import Severity
from kb.text.levels import LEVEL_RANK
from kb.text.normalise import fold


def check(ctx: Context) -> Iterator[Flag]:
    if ctx.facts.hedged or NEGATION.search(ctx.facts.folded):
        return  # a hedged or negative statement ("is not a cure") does not overclaim
    if ctx.following and HEDGE.search(fold(ctx.following)):
        return  # the caveat is stated next door ("The study was small and uncontrolled.")
    if _reported(ctx):
        return  # "a review in <journal> showed that …" reports what a named source found; it states no fact
    for match in ctx.matches[:1]:
        claim = match.claim
        if not states(ctx, match):
            continue  # a shared figure and a few words do not state the finding
        if claim.status == "do-not-use" or LEVEL_RANK[claim.level] >= LEVEL_RANK[ctx.min_level]:
            continue
        if any(mention.verdict != "accurate" for mention in match.mentions):
            continue
        if any(caveat.lower()[:25] in ctx.facts.folded for caveat in claim.caveats):
            continue
        cited = [ctx.view.sources[s].short for s in claim.supporting if s in ctx.view.sources]
        basis = f" ({'; '.join(cited[:2])})" if cited else ""
        yield Flag(
            f"Stated as established, but the evidence behind it is {claim.level}{basis}, below the "
            f"{ctx.min_level} minimum: say how strong it is (“in one small study, …”) or hedge it.",
            match,
        )


def _reported(ctx: Context) -> bool:
    """The sentence credits its finding to a named journal or institution, with a study word."""
    if not ctx.facts.cites_study:
        return False
    named = ctx.view.named_entities(ctx.facts.folded)
    return bool(named.get("journal") or named.get("institution"))


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
