"""disallowed-claim: a claim the knowledge base marks do-not-use, or risky absolute wording from the lexicon."""

from __future__ import annotations

from collections.abc import Iterator

from kb.check.context import STATES_WORDING, Context, Flag, Span, judged, overlap, same_polarity, stances_taken
from kb.check.rule import Rule
from kb.language.cues import REPORTED
from kb.language.knowledge import ClaimInfo
from kb.language.matching import Facts, Match, number_score
from kb.language.wording import risky_wording
from kb.records import Severity


def _other_figure(claim: ClaimInfo, facts: Facts) -> bool:
    """The sentence gives a figure of the claim's kind, and not the claim's: "three quarters improved" does not
    state the do-not-use "40 percent responded to the first dose", however many words they share."""
    value = claim.quantity
    if value is None:
        return False
    return any(q.dimension == value.dimension for q in facts.measured) and not number_score(facts, claim)


def _figure_place(ctx: Context, claim: ClaimInfo) -> Span | None:
    """Where the sentence gives the do-not-use claim's figure ("can last 30 to 100 days"): the defect's words."""
    value = claim.quantity
    stated = next((q for q in ctx.facts.measured if value is not None and q.overlaps(value)), None)
    return ctx.words(stated.text) if stated is not None else None


def _forbidden_stances(ctx: Context) -> list[Flag]:
    """Stances only a do-not-use claim takes ("generally safe" where the knowledge base marks "very safe, minimal
    side effects" do-not-use), read from the sentence's statements whatever its other words: one flag each."""
    flags = []
    for reading in stances_taken(ctx):
        claim = reading.forbidden
        if claim is None or reading.backed:
            continue  # a sourced claim that takes the stance outranks a do-not-use one
        place, said = ctx.as_written(reading.statement.value.text)
        message = f"“{said}” states what the knowledge base marks do-not-use: “{claim.statement}”"
        flags.append(Flag(message, Match(claim, 100.0, wording=100.0), span=place))
    return flags


def check(ctx: Context) -> Iterator[Flag]:
    wordings = list(risky_wording(ctx.facts.folded, ctx.lexicon, ctx.view.risky_wording))
    stances = [] if judged(ctx) else _forbidden_stances(ctx)
    for stance in stances:
        # One finding per defect: risky words inside the stance's own words are this finding's, not another.
        wordings = [w for w in wordings if not overlap(ctx.words(ctx.facts.folded[w.start : w.end]), stance.span)]
        yield stance
    reported = REPORTED.search(ctx.facts.folded) is not None  # "some clinics claim X cures Y": not the page's claim
    for match in [] if judged(ctx) or stances or reported else ctx.matches[:3]:
        entity = match.claim.value.get("kind") == "entity"  # a wrong name is misattribution's to report
        if (
            match.claim.status == "do-not-use"
            and match.wording >= STATES_WORDING  # a do-not-use claim is stated in words, not by a figure alone
            and not entity
            and not match.mentions
            and same_polarity(match.claim, ctx.facts)
            and not _other_figure(match.claim, ctx.facts)
        ):
            # One finding per defect: the claim's own risky words (the first) are this finding's place.
            first = wordings.pop(0) if wordings else None
            place = ctx.words(ctx.facts.folded[first.start : first.end]) if first else _figure_place(ctx, match.claim)
            message = f"States what the knowledge base marks do-not-use: “{match.claim.statement}”"
            yield Flag(message, match, span=place)
            break
    categories: set[str] = set()
    for wording in wordings:
        if wording.category in categories:
            continue  # one finding per defect: "trials have shown that X is effective for" is one claim of proof
        categories.add(wording.category)
        place, said = ctx.as_written(ctx.facts.folded[wording.start : wording.end])
        yield Flag(f"Risky wording ({wording.category}): “{said}”. {wording.advice}", span=place)


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
    fragments=True,
)
