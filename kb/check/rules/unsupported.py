"""unsupported-claim: a checkable statement that no source in the knowledge base backs."""

from __future__ import annotations

from collections.abc import Iterator

from kb.check.context import STATES_WORDING, Context, Flag, judged, stances_taken
from kb.check.rule import Rule
from kb.language.matching import Match
from kb.records import Severity


def _message(claim_statement: str) -> str:
    return (
        f"States what the knowledge base records with no source behind it (“{claim_statement}”): cite a source for "
        "it or reword it as the fix suggests."
    )


def _on_subject(ctx: Context, match: Match) -> bool:
    """A figure claim is stated only by a sentence that gives a figure on its subject, or in most of its words: "the
    attacks can last 4 to 72 hours" shares a unit and a few words with "each session lasts 2 to 4 hours" and says
    nothing of sessions."""
    if match.claim.quantity is None or match.mentions or match.wording >= STATES_WORDING:
        return True
    return any(statement.subject == match.claim.subject for statement in ctx.statements)


def check(ctx: Context) -> Iterator[Flag]:
    if judged(ctx):
        return
    best = ctx.matches[0] if ctx.matches else None
    if best is not None and not best.claim.sourced and best.claim.status != "do-not-use" and _on_subject(ctx, best):
        yield Flag(_message(best.claim.statement), best)
        return
    for reading in stances_taken(ctx):
        # The stance is one only unsourced claims take ("works by blocking the receptor" where the mechanism is
        # recorded with no source); a do-not-use stance is disallowed-claim's.
        if reading.backed or reading.forbidden is not None:
            continue
        claim = reading.claims[0]
        place, said = ctx.as_written(reading.statement.value.text)
        yield Flag(f"“{said}”: {_message(claim.statement)}", Match(claim, 100.0, wording=100.0), place)
        return


RULE = Rule(
    "unsupported-claim",
    Severity.ERROR,
    "A checkable statement that no source in the knowledge base backs.",
    "Cite a source for it, reword it with the approved wording of a backed claim, or remove it.",
    check,
    why=(
        "A reviewer signs off on what a page asserts; a checkable statement with no source behind it cannot "
        "be defended if a reader, a platform or a regulator asks for the evidence."
    ),
    example="Product X doubles your energy within a week.",
    example_fix=(
        "In one small study, people taking product X reported feeling less tired after four weeks (Author 2020)."
    ),
)
