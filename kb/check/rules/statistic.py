"""unverified-statistic: a checkable figure (a share, a count of people or studies, money, a duration, a dose) that
no source-backed claim in the knowledge base gives, in or out of the knowledge base's scope, "study" word or not."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from kb.check.context import Context, Flag, Span, judged
from kb.check.rule import Rule
from kb.check.rules.figures import figure_verdict
from kb.records import Severity
from kb.text.quantities import Quantity
from kb.text.units import PEOPLE as PEOPLE_NOUNS

NOT_STATISTICS = frozenset({"rank", "score"})  # "the #1 clinic" is wording, "a score of 7" needs its scale
CONFIDENCE = re.compile(r"\s*(?:ci\b|confidence)")  # the level of a confidence interval is no finding
SAMPLE = " count"  # how a source's sample size reads (kb.store.knowledge.source_figures)
PEOPLE = frozenset(PEOPLE_NOUNS)
WORD = re.compile(r"[^\W\d_][\w'’-]*")
SMALL_WORDS = frozenset({"a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "at", "by", "with", "vs"})
TITLE_SHARE = 0.8
BOUNDS = frozenset({"up-to", "less-than", "at-least", "more-than"})


def agrees(stated: Quantity, known: Quantity) -> bool:
    """The page gives the known figure: its value lies in what the page's wording admits ("about half" admits
    49 %), or the two give the same range."""
    if stated.dimension != known.dimension:
        return False
    if stated.qualifier in BOUNDS and known.low == known.high:
        # "up to 35 days" states 35 days, not every time below it
        bound = stated.high if stated.qualifier in ("up-to", "less-than") else stated.low
        return abs(bound - known.value) <= 0.03 * max(abs(bound), 1e-9)
    finite = [abs(x) for x in (known.low, known.high, stated.low, stated.high) if math.isfinite(x)]
    pad = 0.03 * max([*finite, 1e-9])  # an open bound ("more than 10%") has no size of its own
    if known.low == known.high:
        return stated.low - pad <= known.value <= stated.high + pad
    return _close(known.low, stated.low, pad) and _close(known.high, stated.high, pad)


def _close(a: float, b: float, pad: float) -> bool:
    return a == b or abs(a - b) <= 2 * pad  # equal infinities ("more than 5 mg" twice) are close


def _comparable(stated: Quantity, figure: Quantity) -> bool:
    """A source's sample size counts people: it backs "6 patients", not "6 sessions"."""
    if figure.dimension != "count" or not figure.text.endswith(SAMPLE):
        return True
    return stated.text.lower().rsplit(" ", 1)[-1] in PEOPLE


def backed(ctx: Context, quantity: Quantity) -> bool:
    """A source gives this figure, a source-backed claim has it as its value, or a source-backed claim the
    sentence states gives it in its wording (a figure in some other claim's wording is incidental)."""
    same_kind = ctx.view.source_figures.get(quantity.dimension, ())
    if any(agrees(quantity, figure) for figure in same_kind if _comparable(quantity, figure)):
        return True
    stated = {match.claim.rowid for match in ctx.matches}
    return any(
        claim.sourced
        and claim.status != "do-not-use"
        and agrees(quantity, figure)
        and (claim.rowid in stated or (claim.quantity is not None and agrees(quantity, claim.quantity)))
        for claim, figure in ctx.view.figures_like(quantity)
    )


def _place(ctx: Context, quantity: Quantity) -> Span | None:
    """The figure's own words in the page ("242 people"), else its number, when they can be found there."""
    return ctx.words(quantity.text) or ctx.words(quantity.text.split()[0])


def _confidence_level(ctx: Context, quantity: Quantity) -> bool:
    text = ctx.facts.digitised
    at = text.find(quantity.text)
    return at >= 0 and bool(CONFIDENCE.match(text, at + len(quantity.text)))


def is_title(text: str) -> bool:
    """A heading or product name in title case ("Melatonin Gummies 5mg (Most Trusted)"): a label, not a claim."""
    words = [w for w in WORD.findall(text) if w.lower() not in SMALL_WORDS]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= TITLE_SHARE * len(words)


def check(ctx: Context) -> Iterator[Flag]:
    if judged(ctx) or not ctx.facts.measured or figure_verdict(ctx) is not None:
        return  # a curated verdict, or a figure another rule compares with its source, is reported there
    if is_title(ctx.span.text):
        return
    unbacked = [
        q
        for q in ctx.facts.measured
        if q.dimension not in NOT_STATISTICS and not _confidence_level(ctx, q) and not backed(ctx, q)
    ]
    for quantity in unbacked:  # one finding a figure: each is a statistic someone has to source
        yield Flag(
            f"The page says “{quantity.text}”, and no source in the knowledge base gives this figure: add the "
            "source behind it to the knowledge base and cite it, or remove the figure.",
            span=_place(ctx, quantity),
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
