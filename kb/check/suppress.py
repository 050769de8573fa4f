"""Inline suppression of `kb check` findings through comments in Markdown and HTML pages, Vale-style.

One line::

    <!-- kb-disable-next-line unsupported-claim -- quoted from the trial's abstract -->
    Magnesium cures insomnia.

suppresses findings of the named rules that start on the line right after the comment's last line.

A block::

    <!-- kb-disable figure-mismatch, stale-recency -- archived 2019 press release, figures as published -->
    ...
    <!-- kb-enable -->

suppresses findings of the named rules that start anywhere from the `kb-disable` comment's first line to the
`kb-enable` comment's last line. `kb-enable` alone ends every open block; `kb-enable figure-mismatch` ends only that
rule's. A block that is never closed runs to the end of the file.

Rules are rule ids (see `kb.check.registry.RULES`), separated by commas or spaces; `all` means every rule. A reason
after `--` is required. A directive without a reason, without rules, or naming an unknown rule is not applied: it
becomes a note (``path:line: message``) so a typo never silently hides, or fails to hide, a finding.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence

from kb.check.registry import RULES
from kb.fastclass import dataclass, field
from kb.records import Finding
from kb.text.suggest import suggest

Comment = tuple[int, int, str]
ALL = "all"
KINDS = ("disable-next-line", "disable", "enable")
DIRECTIVE = re.compile(r"^kb-(?P<kind>[a-z][a-z-]*)(?=\s|$)(?P<rest>.*)$", re.DOTALL)
END_OF_FILE = sys.maxsize


@dataclass(frozen=True)
class Directive:
    kind: str
    rules: frozenset[str]
    start: int
    end: int


@dataclass
class Suppressions:
    """Where each rule is suppressed: single lines and closed line ranges (both inclusive)."""

    lines: dict[int, set[str]] = field(default_factory=dict)
    ranges: list[tuple[str, int, int]] = field(default_factory=list)
    open_blocks: dict[str, int] = field(default_factory=dict)

    def covers(self, finding: Finding) -> bool:
        if finding.rule in self.lines.get(finding.line, ()):
            return True
        return any(rule == finding.rule and first <= finding.line <= last for rule, first, last in self.ranges)


def _rule_ids(text: str) -> list[str]:
    return [name.lower() for name in re.split(r"[,\s]+", text.strip()) if name]


def _expand(names: Iterable[str]) -> frozenset[str]:
    names = set(names)
    return frozenset(RULES) if ALL in names else frozenset(names)


def _unknown(names: Sequence[str]) -> str | None:
    for name in names:
        if name != ALL and name not in RULES:
            close = suggest(name, (*RULES, ALL))
            return f"unknown rule {name!r}" + (f" ({close})" if close else f" (rules are: {', '.join(RULES)}, all)")
    return None


def parse_comment(comment: Comment, path: str) -> Directive | str | None:
    """A directive, a note explaining why this `kb-` comment is not applied, or None for any other comment."""
    start, end, text = comment
    match = DIRECTIVE.match(text.strip())
    if match is None:
        return None
    kind = match["kind"]
    where = f"{path}:{start}"
    if kind not in KINDS:  # a near miss of a directive is a note; any other `kb-…` comment is left alone
        close = suggest(f"kb-{kind}", [f"kb-{name}" for name in KINDS])
        return f"{where}: unknown directive 'kb-{kind}' ({close})" if close else None
    names_text, dashes, reason = match["rest"].partition("--")
    names = _rule_ids(names_text)
    problem = _unknown(names)
    if problem:
        return f"{where}: {problem}"
    if kind != "enable" and not names:
        return f"{where}: kb-{kind} needs rule ids or 'all' before --"
    if kind != "enable" and not (dashes and reason.strip()):
        return f"{where}: kb-{kind} needs a reason after --"
    return Directive(kind, _expand(names), start, end)


def _disable(state: Suppressions, directive: Directive) -> None:
    for rule in directive.rules:
        state.open_blocks.setdefault(rule, directive.start)


def _enable(state: Suppressions, directive: Directive, path: str) -> str | None:
    rules = directive.rules or frozenset(state.open_blocks)
    closing = [rule for rule in sorted(rules) if rule in state.open_blocks]
    for rule in closing:
        state.ranges.append((rule, state.open_blocks.pop(rule), directive.end))
    if directive.rules and not closing:
        return f"{path}:{directive.start}: kb-enable without a matching kb-disable"
    return None


def collect(comments: Iterable[Comment], path: str) -> tuple[Suppressions, list[str]]:
    """Read every `kb-` directive, in document order, into line sets and ranges."""
    state = Suppressions()
    notes: list[str] = []
    for comment in sorted(comments, key=lambda item: (item[0], item[1])):
        parsed = parse_comment(comment, path)
        if isinstance(parsed, str):
            notes.append(parsed)
        elif parsed is None:
            continue
        elif parsed.kind == "disable-next-line":
            state.lines.setdefault(parsed.end + 1, set()).update(parsed.rules)
        elif parsed.kind == "disable":
            _disable(state, parsed)
        else:
            note = _enable(state, parsed, path)
            if note:
                notes.append(note)
    for rule, first in state.open_blocks.items():
        state.ranges.append((rule, first, END_OF_FILE))
    state.open_blocks.clear()
    return state, notes


def apply(findings: Sequence[Finding], comments: Iterable[Comment], path: str) -> tuple[list[Finding], list[str]]:
    """The findings no directive suppresses (in their original order), and notes on directives not applied."""
    state, notes = collect(comments, path)
    return [finding for finding in findings if not state.covers(finding)], notes
