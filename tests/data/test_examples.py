"""The example knowledge bases are real knowledge bases: each validates and runs through every command."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import Run

ROOT = Path(__file__).resolve().parents[2]
MELATONIN = ROOT / "examples" / "melatonin"
CORPUS = ROOT.parent / "shared" / "corpus" / "melatonin"


@pytest.fixture
def kb(run: Run, tmp_path: Path) -> Run:
    def _kb(*args: object) -> tuple[int, str, str]:
        return run(*args, "--data", MELATONIN, "--db", tmp_path / "index.sqlite")

    return _kb


def test_the_melatonin_knowledge_base_validates(run: Run) -> None:
    code, out, err = run("validate", "--data", MELATONIN)
    assert code == 0, out + err


def test_it_checks_a_real_page_and_finds_its_overclaims(kb: Run) -> None:
    page = CORPUS / "03_workoutwise-melatonin-perfect-sleep-pill.txt"
    code, out, err = kb("check", page, "--format", "json", "--fail-on", "none")
    assert code == 0, err
    rules = {finding["rule"] for finding in json.loads(out)}
    assert "disallowed-claim" in rules


def test_it_finds_contradictions_searches_and_cites(kb: Run) -> None:
    code, out, err = kb("contradictions", CORPUS, "--format", "json", "--fail-on", "none")
    assert code == 0, err
    assert json.loads(out)["summary"]["files"] == len(list(CORPUS.glob("*.txt")))
    code, out, err = kb("search", "fall asleep faster", "--format", "json")
    assert code == 0, err
    hits = json.loads(out)
    assert hits and any("asleep" in hit["statement"].lower() for hit in hits)
    code, out, err = kb("cite", "sleep-onset-about-7-minutes-sooner", "--style", "apa")
    assert code == 0, err
    assert "Ferracioli-Oda" in out and "10.1371/journal.pone.0063773" in out


def test_a_confidence_interval_sized_otherwise_than_the_papers_is_a_figure_mismatch(kb: Run, tmp_path: Path) -> None:
    """The meta-analysis gives 7.06 minutes [95% CI 4.37 to 9.75]: a page's own interval is checked against it,
    by size (a page may write the reduction as negative), and the right one passes."""
    wrong = tmp_path / "wrong.md"
    wrong.write_text("Melatonin shortened sleep onset latency by 7.06 minutes (95% CI: -8.81 to -5.30).\n")
    right = tmp_path / "right.md"
    right.write_text("Melatonin shortened sleep onset latency by 7.06 minutes (95% CI: -9.75 to -4.37).\n")
    code, out, err = kb("check", wrong, "--format", "json", "--fail-on", "none")
    assert code == 0, err
    (finding,) = [f for f in json.loads(out) if f["rule"] == "figure-mismatch"]
    assert finding["text"] == "95% CI: -8.81 to -5.30" and finding["claim_id"] == "sleep-onset-about-7-minutes-sooner"
    assert "the 95% CI 5.3 to 8.81" in finding["message"] and "the 95% CI 4.37 to 9.75" in finding["message"]
    code, out, _ = kb("check", right, "--format", "json", "--fail-on", "none")
    assert [f for f in json.loads(out) if f["rule"] == "figure-mismatch"] == []


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("Melatonin supplements are safe for long-term use.", True),  # the do-not-use stance, asserted
        ("It is not clear whether melatonin is safe for long-term use.", False),  # asked, not asserted
        ("Ask your doctor if melatonin is safe for long-term use.", False),
        ("No study has shown that melatonin cures insomnia.", False),  # the page says it is not shown
    ],
)
def test_a_question_or_a_claim_said_to_be_unshown_does_not_state_a_do_not_use_claim(
    kb: Run, tmp_path: Path, sentence: str, flagged: bool
) -> None:
    page = tmp_path / "page.txt"
    page.write_text(sentence + "\n")
    code, out, err = kb("check", page, "--format", "json", "--fail-on", "none")
    assert code == 0, err
    assert any(f["rule"] == "disallowed-claim" for f in json.loads(out)) is flagged


def test_a_study_named_by_its_sample_size_is_dated_by_its_source(kb: Run, tmp_path: Path) -> None:
    """ "A recent trial of 196 participants" is the 2016 trial with 196 participants: stale; 200 names no study."""
    page = tmp_path / "page.txt"
    page.write_text(
        "A recent trial of 196 participants found that melatonin helped them sleep.\n\n"
        "A recent trial of 200 participants found that melatonin helped them sleep.\n"
    )
    code, out, err = kb("check", page, "--format", "json", "--fail-on", "none")
    assert code == 0, err
    (stale,) = [f for f in json.loads(out) if f["rule"] == "stale-recency"]
    assert stale["line"] == 1 and stale["text"] == "recent"
    assert "Gonçalves 2016" in stale["message"] and f"{date.today().year - 2016} years old" in stale["message"]
