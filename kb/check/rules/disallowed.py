"""disallowed-claim: a claim the knowledge base marks do-not-use, or risky absolute wording from the lexicon."""

from __future__ import annotations

from collections.abc import Iterator

from kb.check.context import STATES_WORDING, Context, Flag, Span, judged, overlap, same_polarity, stances_taken
from kb.check.rule import Rule
from kb.fastclass import replace
from kb.language.cues import REPORTED
from kb.language.knowledge import ClaimInfo
from kb.language.matching import Facts, Match, number_score
from kb.language.wording import SAFETY, risky_wording
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


# Categories whose phrases in one sentence are each a claim of its own: "non-addictive, and it is completely safe"
# promises two things (phrases side by side are still one: kb.language.wording.SAME_CLAIM).
EACH_A_CLAIM = frozenset({SAFETY})
LISTING = frozenset({"and", "or", "plus", "also", "&"})
BESIDE_WORDS = 3  # risky words this close to a do-not-use stance's words, with no clause between, are its


def _beside(ctx: Context, wording: Span | None, stance: Span | None) -> bool:
    if wording is None or stance is None:
        return False
    if overlap(wording, stance):
        return True
    sentence = ctx.span.text
    first, second = sorted((wording.text, stance.text), key=lambda text: sentence.find(text))
    start = sentence.find(first) + len(first)
    between = sentence[start : sentence.find(second, start)] if start >= len(first) else ";"
    words = between.lower().split()
    # "non-habit forming and has no hangover effects" lists two claims; "free from side effects, even at high
    # doses" is one claim and how far it goes.
    return len(words) <= BESIDE_WORDS and not any(mark in between for mark in ".;:!?") and not LISTING & set(words)


def _widened(ctx: Context, stance: Flag, beside: list[Span | None]) -> Flag:
    """The stance's finding over the risky words beside it too: the quote shows the whole claim."""
    sentence = ctx.span.text
    texts = [span.text for span in (stance.span, *beside) if span is not None]
    starts = [sentence.find(text) for text in texts]
    if min(starts) < 0:
        return stance
    end = max(start + len(text) for start, text in zip(starts, texts, strict=True))
    return replace(stance, span=ctx.words(sentence[min(starts) : end]) or stance.span)


def _one_a_claim(ctx: Context, stances: list[Flag]) -> list[Flag]:
    """Two do-not-use stances side by side ("free from side effects, even at high doses") are one claim the page
    makes: one finding over both, naming both claims."""
    kept: list[Flag] = []
    for stance in stances:
        host = next((k for k in kept if _beside(ctx, stance.span, k.span)), None)
        if host is None or stance.match is None:
            kept.append(stance)
            continue
        widened = _widened(ctx, host, [stance.span])
        said = widened.span.text if widened.span is not None else ""
        claims = f"“{host.match.claim.statement}” and “{stance.match.claim.statement}”" if host.match else ""
        message = f"“{said}” states what the knowledge base marks do-not-use: {claims}"
        kept[kept.index(host)] = replace(widened, message=message)
    return kept


def check(ctx: Context) -> Iterator[Flag]:
    wordings = list(risky_wording(ctx.facts.folded, ctx.lexicon, ctx.view.risky_wording))
    stances = [] if judged(ctx) else _one_a_claim(ctx, _forbidden_stances(ctx))
    for stance in stances:
        # One finding per defect: risky words inside the stance's own words, or next to them ("free from side
        # effects, even at high doses"), are this finding's, not another.
        beside = [w for w in wordings if _beside(ctx, ctx.words(ctx.facts.folded[w.start : w.end]), stance.span)]
        wordings = [w for w in wordings if w not in beside]
        if beside and stance.span is not None:
            stance = _widened(ctx, stance, [ctx.words(ctx.facts.folded[w.start : w.end]) for w in beside])
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
        if wording.category in categories and wording.category not in EACH_A_CLAIM:
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
