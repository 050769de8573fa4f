"""contradiction: a stance or name that conflicts with the source's, a value that conflicts with what the registered
pages state on the same subject, or a figure that conflicts with the subject's other, unsourced values. (A figure
at odds with its source alone is figure-mismatch's.)"""

from __future__ import annotations

from collections.abc import Iterator

from kb.check.context import Context, Flag
from kb.check.rule import Rule
from kb.check.rules.figures import figure_verdict, one_flag, stated_conflicts
from kb.records import Severity


def cross_page(ctx: Context) -> Iterator[Flag]:
    """A stance or name at odds with the source, or a value at odds with registered pages: one flag per sentence."""
    yield from one_flag(ctx, [conflict for conflict in stated_conflicts(ctx) if not conflict[2]])


def figure_conflict(ctx: Context) -> Iterator[Flag]:
    """A figure that no source backs on its subject and that conflicts with the subject's recorded values."""
    verdict = figure_verdict(ctx)
    if verdict is not None and verdict[0] == "conflict":
        yield verdict[1]


def check(ctx: Context) -> Iterator[Flag]:
    yield from cross_page(ctx)
    yield from figure_conflict(ctx)


RULE = Rule(
    "contradiction",
    Severity.WARNING,
    "A stated value that conflicts with the knowledge base's value for the same subject, "
    "or with what the known pages say.",
    "Use the source's value, or record the new source behind this one; align the pages that disagree.",
    check,
    why=(
        "A value that disagrees with the source, or with the organisation's other pages, is an error on at "
        "least one of them and undermines every page that states it; a reviewer needs one answer."
    ),
    example="Each session lasts about 3 hours.",
    example_fix="Each session lasts about an hour (Author 2020).",
)
