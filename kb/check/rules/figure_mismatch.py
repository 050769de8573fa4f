"""figure-mismatch: a figure that differs from the source's figure for the same subject."""

from __future__ import annotations

from collections.abc import Iterator

from kb.check.context import Context, Flag
from kb.check.rule import Rule
from kb.check.rules.figures import figure_verdict, interval_mismatch, one_flag, stated_conflicts
from kb.records import Severity


def check(ctx: Context) -> Iterator[Flag]:
    verdict = figure_verdict(ctx)
    if verdict is not None and verdict[0] == "mismatch":
        yield verdict[1]
        return
    interval = interval_mismatch(ctx)  # an effect size or confidence interval sized otherwise in the source
    if interval is not None:
        yield interval
        return
    # a figure the sentence states on a subject ("over several hours"), at odds with the subject's source alone
    yield from one_flag(ctx, [conflict for conflict in stated_conflicts(ctx) if conflict[2]])


RULE = Rule(
    "figure-mismatch",
    Severity.ERROR,
    "A figure that differs from the source's figure for the same subject.",
    "Use the source's figure and its context (what was measured, and when).",
    check,
    why=(
        "A wrong figure is a factual error the source itself contradicts: readers trust numbers more than "
        "words, and a figure taken out of its context (what was measured, in whom, when) overstates the "
        "evidence."
    ),
    example="80% of participants improved.",
    example_fix="About 8% of participants improved after 12 weeks (Author 2019).",
)
