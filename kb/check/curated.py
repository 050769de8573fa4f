"""Curated verdicts: a pre-pass, not a rule. A sentence that states a page mention the knowledge base already
judged gets that verdict, reported under the rule the verdict belongs to (and the rules then leave the sentence
alone, see `kb.check.context.judged`)."""

from __future__ import annotations

from collections.abc import Iterator

from kb.check.context import Context, Flag
from kb.check.registry import RULES
from kb.records import Finding

VERDICT_RULE = {
    "misattributed": "misattribution",
    "misquoted": "figure-mismatch",
    "unsupported": "unsupported-claim",
    "contradicted": "contradiction",
}


def curated(ctx: Context) -> Iterator[Finding]:
    for match in ctx.matches:
        for mention in match.mentions:
            rule = VERDICT_RULE.get(mention.verdict)
            if mention.verdict == "overstated":
                rule = (
                    "disallowed-claim"
                    if match.claim.status == "do-not-use"
                    else ("figure-mismatch" if match.claim.quantity is not None else "weak-evidence")
                )
            if rule is None:
                continue
            where = f" ({mention.attribution})" if mention.attribution else ""
            message = f"{mention.verdict.capitalize()}{where}: {mention.note}"
            yield ctx.finding(rule, RULES[rule].severity, Flag(message, match, ctx.locate(mention.raw_quote)))
