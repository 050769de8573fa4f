"""What a rule is: its public description and the function that flags sentences.

The description is what a reviewer reads in every viewer (the README, SARIF's rule help in code scanning):
`summary` (one line: what is flagged), `help` (one line: how to fix), `why` (why it matters to a compliance
reviewer) and one `example` of a flagged sentence with its `example_fix`. The wording is domain-neutral: what a rule
knows of any subject comes from the knowledge base, never from its description.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kb.check.context import Context, Flag
from kb.fastclass import dataclass
from kb.records import Finding, Severity


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    help: str
    check: Callable[[Context], Iterator[Flag]]
    why: str = ""
    example: str = ""
    example_fix: str = ""
    # Also run on fragments (fewer than MIN_WORDS content words): "X is completely safe." is short, and still a claim.
    fragments: bool = False

    def run(self, ctx: Context) -> Iterator[Finding]:
        """The rule's findings on one sentence, every one under this rule's id."""
        for flag in self.check(ctx):
            yield ctx.finding(self.id, self.severity, flag)

    def help_text(self) -> str:
        """The longer help as plain text: what is flagged, why it matters, how to fix, and an example."""
        parts = [self.summary, self.why, f"How to fix: {self.help}"]
        if self.example:
            parts.append(f"Example, flagged: {self.example}\nFixed: {self.example_fix}")
        return "\n\n".join(part for part in parts if part)

    def help_markdown(self) -> str:
        """The same help in Markdown, as GitHub code scanning shows it."""
        parts = [f"**{self.id}**: {self.summary}"]
        if self.why:
            parts.append(f"**Why it matters.** {self.why}")
        parts.append(f"**How to fix.** {self.help}")
        if self.example:
            parts.append(f"**Example.** Flagged:\n\n> {self.example}\n\nFixed:\n\n> {self.example_fix}")
        return "\n\n".join(parts)
