"""Suppression directives in plain-text pages: `# kb-…` on a line of its own, same semantics as the Markdown and
HTML comments; the directive line is not prose and the other lines keep their numbers and columns."""

from __future__ import annotations

from pathlib import Path

from kb.pages.read import read_bytes
from tests.conftest import Run

STAT = "About {share} percent of patients are pain-free after {n} sessions."  # three figures: one finding each
PAGE = f"""Intro line of the page, with some words.
# kb-disable-next-line unverified-statistic -- quoted from the clinic brochure
{STAT.format(share=12, n=3)}
  #kb-disable-next-line unverified-statistc -- a typo
{STAT.format(share=13, n=5)}
# kb-disable-next-line unverified-statistic
{STAT.format(share=14, n=8)}
"""


def test_directive_lines_are_comments_not_prose() -> None:
    doc = read_bytes(PAGE.encode(), "page.txt")
    assert [line for line, _, _ in doc.comments] == [2, 4, 6]
    assert doc.comments[0][2] == "kb-disable-next-line unverified-statistic -- quoted from the clinic brochure"
    assert not any("kb-" in sentence.text for sentence in doc.sentences)
    assert [(s.line, s.column) for s in doc.sentences if s.text.startswith("About")] == [(3, 1), (5, 1), (7, 1)]


def test_prose_mentioning_a_directive_or_a_hashtag_is_prose() -> None:
    doc = read_bytes(b"We rank #1 in town.\nWrite # kb-disable in a page to hide it.\n", "page.txt")
    assert doc.comments == ()


def test_kb_check_applies_them_with_reason_required_and_unknown_rules_noted(run: Run, tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(PAGE, encoding="utf-8")
    data = Path(__file__).resolve().parent.parent.parent / "data"
    code, out, err = run(
        "check", "page.txt", "--format", "line", "--fail-on", "none", "--data", data, "--db", tmp_path / "i.sqlite"
    )
    assert code == 0, err
    flagged = {int(line.split(":")[1]) for line in out.splitlines() if ":unverified-statistic:" in line}
    assert flagged == {5, 7}  # line 3 suppressed; a typo and a missing reason suppress nothing
    _, text, _ = run("check", "page.txt", "--fail-on", "none", "--data", data, "--db", tmp_path / "i.sqlite")
    assert "page.txt:4: unknown rule 'unverified-statistc' (did you mean 'unverified-statistic'?)" in text
    assert "page.txt:6: kb-disable-next-line needs a reason after --" in text
