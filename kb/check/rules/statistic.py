"""unverified-statistic: a checkable figure (a share, a count of people or studies, money, a duration, a dose) that
no source-backed claim in the knowledge base gives, in or out of the knowledge base's scope, "study" word or not."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from kb.check.context import Context, Flag, Span, about_subject, judged, states
from kb.check.rule import Rule
from kb.check.rules.figures import another_study, figure_verdict
from kb.check.rules.wordsof import WORD, figure_words
from kb.language.attribution import SAMPLE, counts_people, sources_sized
from kb.language.commerce import commercial
from kb.language.cues import RECENT_NOUNS
from kb.language.knowledge import ClaimInfo
from kb.records import Severity
from kb.text.quantities import BOUNDS, Quantity
from kb.text.units import singular
from kb.text.wordfigures import WHO_AGED

NOT_STATISTICS = frozenset({"rank", "score"})  # "the #1 clinic" is wording, "a score of 7" needs its scale
CONFIDENCE = re.compile(r"\s*(?:ci\b|confidence)")  # the level of a confidence interval is no finding
SMALL_WORDS = frozenset({"a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "at", "by", "with", "vs"})
TITLE_SHARE = 0.8
APPROXIMATE = frozenset({"about", "almost"})  # hedges that widen a figure into a band


def agrees(stated: Quantity, known: Quantity) -> bool:
    """The page gives the known figure: its value lies in what the page's approximation admits ("about half"
    admits 49 %), or the two give the same range (containment is not agreement)."""
    if stated.dimension != known.dimension:
        return False
    if stated.qualifier in BOUNDS and known.low == known.high:
        # "up to 35 days" states 35 days, not every time below it
        bound = stated.high if stated.qualifier in ("up-to", "less-than") else stated.low
        return abs(bound - known.value) <= 0.03 * max(abs(bound), 1e-9)
    finite = [abs(x) for x in (known.low, known.high, stated.low, stated.high) if math.isfinite(x)]
    pad = 0.03 * max([*finite, 1e-9])  # an open bound ("more than 10%") has no size of its own
    if known.low == known.high:
        if stated.qualifier == "exact" and stated.low < stated.high:
            return False  # a range the page gives ("1-3 mg") is not backed by one figure inside it
        return stated.low - pad <= known.value <= stated.high + pad
    return _close(known.low, stated.low) and _close(known.high, stated.high)


def _close(a: float, b: float) -> bool:
    # Each bound on its own scale: 0.3 is not 0.5 because the other end of both ranges is 5.
    if a == b:
        return True  # equal infinities too ("more than 5 mg" twice)
    return math.isfinite(a) and math.isfinite(b) and abs(a - b) <= 0.06 * max(abs(a), abs(b))


def _counted(quantity: Quantity) -> str:
    """What a count counts, as one word: "people" for any person noun, else the noun in the singular."""
    text = quantity.text.removesuffix(SAMPLE)
    return "people" if counts_people(text) else singular(text.lower().rsplit(" ", 1)[-1])


def _comparable(stated: Quantity, figure: Quantity) -> bool:
    """A count backs a count of the same thing: a source's 6 patients back "6 patients", not "6 sessions"."""
    if figure.dimension != "count":
        return True
    if figure.text.endswith(SAMPLE):
        return _counted(stated) == "people"
    return _counted(stated) == _counted(figure)


def backed(ctx: Context, quantity: Quantity) -> bool:
    """A source gives this figure, a source-backed claim has it as its value, or a source-backed claim the
    sentence states gives it in its wording (a figure in some other claim's wording is incidental). Out of scope
    only the source the page is describing does: the same figure from a study of another condition or use is a
    coincidence."""
    giving = _sources_giving(ctx, quantity)
    if not ctx.in_scope:
        return bool(giving) and bool(giving & _described(ctx))
    stating = [match for match in ctx.matches if states(ctx, match)]  # not a match on the figure alone
    stated_sources = {source for match in stating for source in match.claim.supporting}
    # The page reports a study none of these sources is (its own patients, another sample): their figure is a
    # coincidence. Not by year: the sources' own figure with a wrong year is a misattribution.
    if giving and another_study(ctx, sorted(giving), by_year=False):
        return False
    if giving and giving & (stated_sources | _described(ctx)):  # the page's sources: worked out only if needed
        return True
    # Specific enough to back the page on their own: a bound a source states in its own words ("more than 5 mg a
    # day"), and a source's sample size given as a count of people ("eleven volunteers": that study's n).
    for figure in ctx.view.source_figures.get(quantity.dimension, ()):
        if quantity.qualifier in BOUNDS:
            specific = figure.qualifier in BOUNDS
        else:
            specific = quantity.qualifier == "exact" and figure.text.endswith(SAMPLE)
        if specific and _comparable(quantity, figure) and agrees(quantity, figure):
            return True
    stated = {match.claim.rowid for match in stating}
    # Otherwise a source-backed claim with this figure backs it only where the sentence speaks of the claim's
    # subject: some unrelated study that also reports "3 mg" or "12 weeks" is a coincidence, not a source.
    return any(
        claim.sourced
        and claim.status != "do-not-use"
        and agrees(quantity, figure)
        and (
            claim.rowid in stated
            or (claim.quantity is not None and agrees(quantity, claim.quantity) and _on(ctx, claim))
        )
        for claim, figure in ctx.view.figures_like(quantity)
    )


def _on(ctx: Context, claim: ClaimInfo) -> bool:
    """The sentence names the claim's subject (a subject that declares no words is named by no sentence)."""
    return bool(ctx.view.subject_words(claim.subject)) and about_subject(ctx, claim)


def _sources_giving(ctx: Context, quantity: Quantity) -> set[str]:
    pairs = ctx.view.figure_sources(quantity.dimension) if quantity.dimension else ()
    return {source for source, figure in pairs if _comparable(quantity, figure) and agrees(quantity, figure)}


def _described(ctx: Context) -> set[str]:
    """The sources the page names, and any source that gives two or more of the page's figures: "196 patients ...
    dropped by 2.7 days" describes the study with those figures even when it is not named (approximate figures,
    whose bands admit many a source's, do not count)."""
    seen: dict[str, int] = {}
    for quantity in set(ctx.page_figures()):
        if quantity.qualifier in APPROXIMATE:
            continue  # two approximate figures in some source's bands are no description of it
        for source in _sources_giving(ctx, quantity):
            seen[source] = seen.get(source, 0) + 1
    described = {s for s, count in seen.items() if count >= 2} | sources_sized(
        ctx.view, ctx.facts.digitised, ctx.facts.measured
    )
    return {source.id for source in ctx.page_sources()} | described


def _confidence_level(ctx: Context, quantity: Quantity) -> bool:
    text = ctx.facts.digitised
    at = text.find(quantity.text)
    return at >= 0 and bool(CONFIDENCE.match(text, at + len(quantity.text)))


def is_title(text: str) -> bool:
    """A heading or product name in title case ("Melatonin Gummies 5mg (Most Trusted)"): a label, not a claim."""
    words = [w for w in WORD.findall(text) if w.lower() not in SMALL_WORDS]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= TITLE_SHARE * len(words)


AGO = re.compile(r"\s+ago\b")
PACK_COUNT = re.compile(r"\d[- ]?(?:count|ct)$", re.IGNORECASE)
WHOLLY = re.compile(r"\s*(?:natural|pure|organic|vegan|plant-based|non-gmo|[a-z]+-free|satisfaction)\b", re.IGNORECASE)
FIRST_PERSON = re.compile(r"\b(?:i|i'm|i'll|i've|i'd|my|me)\b")


STUDY_NOUNS = frozenset(singular(word) for word in RECENT_NOUNS)
PER_UNIT = re.compile(r"\b(?:in|per|each|every)\s+an?\s+\w+$", re.IGNORECASE)


def _not_a_statistic(ctx: Context, quantity: Quantity, place: Span | None) -> bool:
    """A date ("two years ago"), a span of the writer's own day ("I'll only get 4 hours"), a unit of rate ("the
    light you get in a day"), or a figure of the shop ("10% off", kb.language.commerce): not evidence. `place` is
    the figure's words in the page."""
    text = ctx.facts.digitised
    at = text.find(quantity.text)
    sentence = ctx.span.text
    if quantity.dimension == "count" and quantity.high == 1 and _counted(quantity) in STUDY_NOUNS:
        return True  # "in one study": which evidence, not a figure of it
    if place is not None and (written := sentence.find(place.text)) >= 0:
        after = sentence[written + len(place.text) :]
        if commercial(sentence[:written], after):
            return True
        if PACK_COUNT.search(place.text):
            return True  # "60 count", "30-ct": how many a pack holds
        if quantity.dimension == "percent" and quantity.low == 100 and WHOLLY.match(after):
            return True  # "100% natural": a product's wording (its absolutes are risky wording's), not a share
    if quantity.dimension == "age" and at >= 0 and WHO_AGED.search(text[max(0, at - 40) : at]):
        return True  # "adults over 55": who, not how many
    if at < 0 or quantity.dimension != "time":
        return False
    if AGO.match(text, at + len(quantity.text)) or FIRST_PERSON.search(text):
        return True
    if place is None:
        return False
    before = ctx.span.text[: ctx.span.text.find(place.text) + len(place.text)] if place.text in ctx.span.text else ""
    return bool(PER_UNIT.search(before))


def _restated(ctx: Context, quantity: Quantity, before: Quantity | None) -> bool:
    """The same figure again in other units, in brackets: "0.3 mg (300 mcg)" is one figure."""
    if before is None or before.dimension != quantity.dimension:
        return False
    text = ctx.facts.digitised
    at = text.find(quantity.text)
    return (
        at > 0
        and text[:at].rstrip().endswith("(")
        and abs(before.value - quantity.value) <= 1e-6 * max(abs(quantity.value), 1e-9)
    )


def _unverified(ctx: Context) -> Iterator[tuple[Quantity, Span | None]]:
    """Each figure of the sentence that no source gives, with its words in the page."""
    measured = ctx.facts.measured
    for index, quantity in enumerate(measured):
        if quantity.dimension in NOT_STATISTICS or _confidence_level(ctx, quantity):
            continue
        if _restated(ctx, quantity, measured[index - 1] if index else None) or backed(ctx, quantity):
            continue
        place = figure_words(ctx, quantity)
        if not _not_a_statistic(ctx, quantity, place):
            yield quantity, place


# Figures of different kinds this close together in one clause describe one thing ("6-8 treatments over a course
# of 6-8 weeks", "a 4-week trial in 40 workers"): one statistic to source, one finding. Figures of one kind, or
# joined by "and", are a list of statistics ("20% of people and up to 20% of visits").
JOINED_WORDS = 6
CLAUSE_BREAK = re.compile(r"[;:.!?]\s|\s[-–—]\s|\b(?:and|or|but|while|whereas)\b", re.IGNORECASE)


def _joined(ctx: Context, first: Span, then: Span) -> bool:
    sentence = ctx.span.text
    end = sentence.find(first.text) + len(first.text)
    start = sentence.find(then.text, end)
    if end < len(first.text) or start < 0:
        return False
    between = sentence[end:start]
    return len(WORD.findall(between)) <= JOINED_WORDS and not CLAUSE_BREAK.search(between)


def _statements(ctx: Context) -> Iterator[list[tuple[str, Span | None]]]:
    """The unverified figures, those joined in one statement grouped together."""
    group: list[tuple[str, Span | None]] = []
    kinds: set[str | None] = set()
    for quantity, place in _unverified(ctx):
        said = place.text if place else quantity.text
        last = group[-1][1] if group else None
        fresh_kind = quantity.dimension not in kinds
        if place is not None and last is not None and fresh_kind and _joined(ctx, last, place):
            group.append((said, place))
            kinds.add(quantity.dimension)
            continue
        if group:
            yield group
        group, kinds = [(said, place)], {quantity.dimension}
    if group:
        yield group


def _spanning(ctx: Context, first: Span, last: Span) -> Span:
    sentence = ctx.span.text
    start = sentence.find(first.text)
    end = sentence.find(last.text, start + len(first.text)) + len(last.text)
    return Span(first.line, first.column, last.end_line, last.end_column, sentence[start:end])


def check(ctx: Context) -> Iterator[Flag]:
    if judged(ctx) or not ctx.facts.measured or figure_verdict(ctx) is not None:
        return  # a curated verdict, or a figure another rule compares with its source, is reported there
    if is_title(ctx.span.text):
        return
    for group in _statements(ctx):  # one finding a statement: each is a statistic someone has to source
        said = " and ".join(f"“{text}”" for text, _ in group)
        first, last = group[0][1], group[-1][1]
        span = _spanning(ctx, first, last) if len(group) > 1 and first and last else first
        these, it, figure = ("these figures", "them", "figures") if len(group) > 1 else ("this figure", "it", "figure")
        yield Flag(
            f"The page says {said}, and no source in the knowledge base gives {these}: add the source behind {it} "
            f"to the knowledge base and cite {it}, or remove the {figure}.",
            span=span,
        )


RULE = Rule(
    "unverified-statistic",
    Severity.WARNING,
    "A checkable statistic (share, count, money, duration, dose) that no source in the knowledge base gives.",
    "Add the source behind the figure to the knowledge base and cite it, or remove the figure.",
    check,
    why=(
        "A figure reads as evidence. One that no source behind the page gives cannot be defended when a reader, "
        "a platform or a regulator asks where it comes from, and figures are where pages most often go wrong."
    ),
    example="92% of users sleep better within a week.",
    example_fix="In one trial of 40 adults, people taking X fell asleep a few minutes sooner (Author 2020).",
)
