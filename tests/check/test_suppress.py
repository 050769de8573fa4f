"""Inline suppression: `kb-disable-next-line`, `kb-disable` … `kb-enable`, `all`, and notes for bad directives."""

from __future__ import annotations

from kb.check.suppress import apply
from kb.records import Finding, Severity

PATH = "site/page.md"


def finding(line: int, rule: str = "unsupported-claim", text: str = "cures migraines") -> Finding:
    return Finding(PATH, line, 1, line, 10, rule, Severity.ERROR, "message", text)


def kept_lines(findings: list[Finding]) -> list[tuple[int, str]]:
    return [(item.line, item.rule) for item in findings]


def test_no_comments_keeps_everything() -> None:
    items = [finding(3), finding(1, "weak-evidence")]
    kept, notes = apply(items, (), PATH)
    assert kept == items and notes == []


def test_ordinary_comments_are_ignored() -> None:
    kept, notes = apply([finding(2)], ((1, 1, " TODO: rewrite "), (5, 5, "kb-check is nice")), PATH)
    assert kept_lines(kept) == [(2, "unsupported-claim")] and notes == []


def test_disable_next_line_hits_only_the_next_line_and_rule() -> None:
    items = [finding(4), finding(5), finding(5, "weak-evidence"), finding(6)]
    comments = ((4, 4, " kb-disable-next-line unsupported-claim -- quoted from the trial abstract "),)
    kept, notes = apply(items, comments, PATH)
    assert kept_lines(kept) == [(4, "unsupported-claim"), (5, "weak-evidence"), (6, "unsupported-claim")]
    assert notes == []


def test_disable_next_line_after_a_multiline_comment() -> None:
    comment = (10, 12, "\n  kb-disable-next-line weak-evidence,\n  stale-recency -- editor checked 2024-05\n")
    items = [finding(11, "weak-evidence"), finding(13, "weak-evidence"), finding(13, "stale-recency"), finding(14)]
    kept, notes = apply(items, (comment,), PATH)
    assert kept_lines(kept) == [(11, "weak-evidence"), (14, "unsupported-claim")]
    assert notes == []


def test_rules_separated_by_commas_or_spaces() -> None:
    comments = ((1, 1, "kb-disable-next-line figure-mismatch , contradiction misattribution -- legacy"),)
    items = [finding(2, "figure-mismatch"), finding(2, "contradiction"), finding(2, "misattribution"), finding(2)]
    kept, _ = apply(items, comments, PATH)
    assert kept_lines(kept) == [(2, "unsupported-claim")]


def test_all_suppresses_every_rule() -> None:
    items = [finding(8), finding(8, "weak-evidence"), finding(9)]
    kept, notes = apply(items, ((7, 7, "kb-disable-next-line all -- satire column"),), PATH)
    assert kept_lines(kept) == [(9, "unsupported-claim")] and notes == []


def test_block_from_disable_to_enable() -> None:
    comments = ((3, 3, "kb-disable figure-mismatch -- archived press release"), (9, 9, "kb-enable"))
    items = [finding(line, "figure-mismatch") for line in (2, 3, 4, 9, 10)] + [finding(5)]
    kept, notes = apply(items, comments, PATH)
    assert kept_lines(kept) == [(2, "figure-mismatch"), (10, "figure-mismatch"), (5, "unsupported-claim")]
    assert notes == []


def test_unclosed_block_runs_to_end_of_file() -> None:
    items = [finding(1), finding(2), finding(100_000)]
    kept, notes = apply(items, ((2, 2, "kb-disable unsupported-claim -- whole page is a quote"),), PATH)
    assert kept_lines(kept) == [(1, "unsupported-claim")] and notes == []


def test_enable_one_rule_keeps_the_others_disabled() -> None:
    comments = (
        (1, 1, "kb-disable all -- historical page"),
        (5, 5, "kb-enable weak-evidence"),
        (9, 9, "kb-enable"),
    )
    items = [finding(3, "weak-evidence"), finding(6, "weak-evidence"), finding(6), finding(10)]
    kept, notes = apply(items, comments, PATH)
    assert kept_lines(kept) == [(6, "weak-evidence"), (10, "unsupported-claim")] and notes == []


def test_comments_are_read_in_document_order() -> None:
    comments = ((9, 9, "kb-enable"), (3, 3, "kb-disable unsupported-claim -- quote"))
    kept, _ = apply([finding(5), finding(10)], comments, PATH)
    assert kept_lines(kept) == [(10, "unsupported-claim")]


def test_missing_reason_is_not_applied() -> None:
    comments = ((4, 4, " kb-disable-next-line unsupported-claim "), (7, 7, "kb-disable weak-evidence --   "))
    items = [finding(5), finding(8, "weak-evidence")]
    kept, notes = apply(items, comments, PATH)
    assert kept == items
    assert notes == [
        "site/page.md:4: kb-disable-next-line needs a reason after --",
        "site/page.md:7: kb-disable needs a reason after --",
    ]


def test_unknown_rule_is_not_applied_and_suggests() -> None:
    comments = ((1, 1, "kb-disable-next-line unsupported-claim, figure-mismach -- typo"),)
    items = [finding(2), finding(2, "figure-mismatch")]
    kept, notes = apply(items, comments, PATH)
    assert kept == items
    assert notes == ["site/page.md:1: unknown rule 'figure-mismach' (did you mean 'figure-mismatch'?)"]


def test_unknown_rule_without_a_close_match_lists_rules() -> None:
    _, notes = apply([], ((6, 6, "kb-disable-next-line zzz -- why"),), PATH)
    assert len(notes) == 1 and notes[0].startswith("site/page.md:6: unknown rule 'zzz' (rules are: unsupported-claim")


def test_directive_without_rules() -> None:
    _, notes = apply([], ((2, 2, "kb-disable -- no rules named"),), PATH)
    assert notes == ["site/page.md:2: kb-disable needs rule ids or 'all' before --"]


def test_near_miss_directive_is_a_note() -> None:
    kept, notes = apply([finding(2)], ((1, 1, "kb-disable-nextline unsupported-claim -- x"),), PATH)
    assert kept_lines(kept) == [(2, "unsupported-claim")]
    assert notes == ["site/page.md:1: unknown directive 'kb-disable-nextline' (did you mean 'kb-disable-next-line'?)"]


def test_enable_without_disable_is_a_note() -> None:
    _, notes = apply([], ((3, 3, "kb-enable weak-evidence"),), PATH)
    assert notes == ["site/page.md:3: kb-enable without a matching kb-disable"]


def test_rule_names_are_case_insensitive() -> None:
    kept, notes = apply([finding(2)], ((1, 1, "kb-disable-next-line Unsupported-Claim -- quote"),), PATH)
    assert kept == [] and notes == []


def test_findings_keep_their_order() -> None:
    items = [finding(9), finding(2, "weak-evidence"), finding(5), finding(1)]
    kept, _ = apply(items, ((4, 4, "kb-disable-next-line all -- x"),), PATH)
    assert kept == [items[0], items[1], items[3]]
