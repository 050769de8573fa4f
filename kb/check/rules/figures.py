"""The figure comparison two rules share: a figure against the sourced value of its subject (figure-mismatch) or,
when no source gives one, against the subject's other recorded values (contradiction). The first match that gives
a verdict decides, so one figure is reported by one rule."""

from __future__ import annotations

from typing import Literal

from kb.check.context import Context, Flag, judged
from kb.language.matching import Match

Verdict = tuple[Literal["mismatch", "conflict"], Flag]


def figure_verdict(ctx: Context) -> Verdict | None:
    if judged(ctx) or not ctx.facts.measured:
        return None
    for match in ctx.matches[:2]:
        subject = ctx.view.subject_claims(match.claim.subject)
        sourced = [c for c in subject if c.sourced and c.quantity is not None]
        stated = [q for q in ctx.facts.measured for c in sourced if q.dimension == c.quantity.dimension]  # type: ignore[union-attr]
        if sourced and stated and not any(q.overlaps(c.quantity) for q in stated for c in sourced if c.quantity):
            truth = sourced[0]
            message = f"States {stated[0].text}; the source gives {truth.statement}"
            return "mismatch", Flag(message, Match(truth, match.score))
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
            return "conflict", Flag(f"States {comparable[0].text}, which conflicts with: {listed}", match)
    return None
