"""The text format without rich (kb.formats.plain_text) is byte for byte what rich lays out, or it gives way."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from kb.fastclass import replace
from kb.formats.plain_text import ONE_CELL, render_plain
from kb.formats.report import Report
from kb.formats.text import render_rich
from kb.records import Finding, Severity

# Words as pages have them, long ones (URLs, ids) that must be folded, one-cell punctuation, runs of spaces.
WORD = st.one_of(
    st.sampled_from(["the", "claim", "0.5%", "“quoted”", "→", "…", "—", "e.g.", "(Smith 2019)", "naïve", "", "  "]),
    st.sampled_from(["≥3", "5 μg", "½", "€20", "Ω", "ж", "①"]),
    st.text(st.sampled_from("abcxyz-/:"), min_size=1, max_size=140),
    st.text(st.sampled_from("ab. "), min_size=1, max_size=12),
)
TEXT = st.lists(WORD, max_size=40).map(" ".join)
FINDING = st.builds(
    Finding,
    path=st.sampled_from(["docs/page.md", "a b/c d.txt", "x" * 130, "site/été.html"]),
    line=st.integers(1, 20_000),
    column=st.integers(1, 999),
    end_line=st.just(1),
    end_column=st.just(1),
    rule=st.sampled_from(["unsupported-claim", "weak-evidence", "contradiction", "input-error", "r" * 60]),
    severity=st.sampled_from(list(Severity)),
    message=st.one_of(TEXT, st.lists(TEXT, min_size=1, max_size=3).map("\n".join)),
    text=TEXT,
    fix=st.one_of(st.none(), TEXT),
    sentence=st.one_of(st.none(), TEXT, st.text(st.sampled_from("ab "), min_size=230, max_size=300)),
)


def _report(width: int, notes: tuple[str, ...] = ()) -> Report:
    return Report(3, "0", Path("/srv/site"), notes, color=False, width=width)


@settings(max_examples=400, deadline=None)
@given(st.lists(FINDING, max_size=6), st.sampled_from([120, 80, 200, 60, 40]), st.lists(TEXT, max_size=2))
@example([], 120, [])
def test_same_as_rich(findings: list[Finding], width: int, notes: list[str]) -> None:
    report = _report(width, tuple(notes))
    plain = render_plain(findings, report)
    if plain is not None:
        assert plain == render_rich(findings, report)


def test_used_for_ordinary_findings_not_for_wide_or_control_characters() -> None:
    finding = Finding("p.md", 3, 14, 3, 20, "unsupported-claim", Severity.ERROR, "No source backs this.", "X cures.")
    assert render_plain([finding], _report(120)) is not None
    for odd in ("\t", "全", "\u00a0", "\u200b", "\x0c"):
        assert render_plain([replace(finding, message=f"No{odd}source")], _report(120)) is None


def test_one_cell_characters_are_one_cell_in_rich() -> None:
    assert all(cell_len(character) == 1 and character.isprintable() for character in ONE_CELL)
