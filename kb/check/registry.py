"""The rule registry: every `kb check` rule as one unit (id, default severity, summary, help and the function that
emits that id), looked up by id. Ids are a public contract (baselines, suppressions and code-scanning history refer
to them): never rename one. The order is the order of the documentation and of SARIF's rule list.
"""

from __future__ import annotations

from kb.check.rule import Rule
from kb.check.rules import (
    contradiction,
    disallowed,
    figure_mismatch,
    misattribution,
    recency,
    statistic,
    unsupported,
    weak,
)

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        unsupported.RULE,
        figure_mismatch.RULE,
        misattribution.RULE,
        disallowed.RULE,
        weak.RULE,
        recency.RULE,
        contradiction.RULE,
        statistic.RULE,
    )
}
