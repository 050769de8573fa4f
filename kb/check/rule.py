"""What a rule is: its public description and the function that flags sentences."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kb.check.context import Context, Flag
from kb.records import Finding, Severity


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    help: str
    check: Callable[[Context], Iterator[Flag]]

    def run(self, ctx: Context) -> Iterator[Finding]:
        """The rule's findings on one sentence, every one under this rule's id."""
        for flag in self.check(ctx):
            yield ctx.finding(self.id, self.severity, flag)
