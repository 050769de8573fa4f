"""The `kb check` rules: stable ids, default severities and the one-line descriptions SARIF and the docs use.

Ids are a public contract (baselines, suppressions and code-scanning history refer to them): never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.records import Severity


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: Severity
    summary: str
    help: str


RULES: dict[str, RuleInfo] = {
    rule.id: rule
    for rule in (
        RuleInfo(
            "unsupported-claim",
            Severity.ERROR,
            "A checkable statement that no source in the knowledge base backs.",
            "Cite a source for it, reword it with the approved wording of a backed claim, or remove it.",
        ),
        RuleInfo(
            "figure-mismatch",
            Severity.ERROR,
            "A figure that differs from the source's figure for the same subject.",
            "Use the source's figure and its context (what was measured, and when).",
        ),
        RuleInfo(
            "misattribution",
            Severity.ERROR,
            "A known finding credited to the wrong institution, city, journal, author or year.",
            "Name the study as the source does: institution, city, journal, year.",
        ),
        RuleInfo(
            "disallowed-claim",
            Severity.ERROR,
            "A claim marked do-not-use, or risky absolute wording (cure, non-addictive, no side effects, …).",
            "Remove the claim or use the approved, hedged wording.",
        ),
        RuleInfo(
            "weak-evidence",
            Severity.WARNING,
            "A claim whose evidence is below the configured minimum, stated without its caveat or a hedge.",
            'Add the claim\'s caveat or hedge the statement ("may", "in one small study").',
        ),
        RuleInfo(
            "stale-recency",
            Severity.WARNING,
            '"A recent / new / latest study" where the source is older than the recency window.',
            'Drop "recent" or give the year.',
        ),
        RuleInfo(
            "contradiction",
            Severity.WARNING,
            "A stated value that conflicts with the knowledge base's value for the same subject, "
            "or with what the known pages say.",
            "Use the source's value, or record the new source behind this one; align the pages that disagree.",
        ),
    )
}
