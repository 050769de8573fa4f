"""Readings from the issue's classes of failure, in sentences written for them (not from the corpus): a study named
by its sample, another study's share, a figure bound to another thing, one finding per defect."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb.cli.app import app
from kb.text.quantities import digits, extract_digits

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sixth") / "index.sqlite"


def _findings(index: Path, tmp_path: Path, text: str) -> list[dict[str, Any]]:
    page = tmp_path / "page.txt"
    page.write_text(text + "\n", encoding="utf-8")
    runner = CliRunner(env={"KB_DATA": None, "KB_DATABASE_URL": None, "NO_COLOR": "1"})
    argv = ["check", str(page), "--data", str(DATA), "--db", str(index), "--format", "json", "--fail-on", "none"]
    result = runner.invoke(app, argv, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def test_a_share_of_all_is_never_more_than_all() -> None:
    (share,) = extract_digits(digits("6 of 6 patients improved"))
    assert share.dimension == "percent" and share.high == 100.0


def test_another_studys_share_is_not_held_against_this_subjects_source(index: Path, tmp_path: Path) -> None:
    """6 of 6 is the six-patient case series' own figure (its quote says so), not a misreading of the 61-patient
    study's share."""
    assert _findings(index, tmp_path, "In one small study, 6 of 6 patients with chronic migraine improved.") == []
    (wrong,) = _findings(index, tmp_path, "In the study of 61 patients, 90 percent improved.")
    assert wrong["rule"] == "figure-mismatch" and wrong["text"] == "90 percent"


def test_a_do_not_use_misreading_of_a_figure_is_one_finding_with_the_sources_figure(
    index: Path, tmp_path: Path
) -> None:
    (finding,) = _findings(index, tmp_path, "In the study of 61 patients, 40 percent improved.")
    assert finding["rule"] == "disallowed-claim" and finding["text"] == "40 percent"
    assert "(Also figure-mismatch: The page says “40 percent” (40%); Schwenk 2018" in finding["message"]


def test_a_recent_study_named_by_its_sample_is_dated(index: Path, tmp_path: Path) -> None:
    text = "A recent study of 61 patients with chronic migraine found that most improved."
    (stale,) = [f for f in _findings(index, tmp_path, text) if f["rule"] == "stale-recency"]
    assert stale["text"] == "recent" and "Schwenk 2018" in stale["message"]


def test_how_long_something_else_lasts_is_not_the_unsourced_sessions_length(index: Path, tmp_path: Path) -> None:
    found = _findings(index, tmp_path, "Migraine attacks can last from 4 to 72 hours.")
    assert [f["rule"] for f in found] == ["unverified-statistic"]


def test_a_figure_the_source_gives_otherwise_and_an_unsourced_claim_states_is_one_finding(
    index: Path, tmp_path: Path
) -> None:
    (finding,) = _findings(index, tmp_path, "Each infusion takes about 45 minutes.")
    assert finding["rule"] == "figure-mismatch" and "5.1 days" in finding["message"]
    assert "(Also unsupported-claim: " in finding["message"]


def test_a_stance_conflict_quotes_both_sides(index: Path, tmp_path: Path) -> None:
    (finding,) = _findings(index, tmp_path, "Ketamine is FDA-approved for the treatment of migraine.")
    assert finding["rule"] == "contradiction"
    assert "this page says “FDA-approved”" in finding["message"]
    assert (
        "“is not approved by the U.S. Food and Drug Administration for the treatment of migraines”"
        in (finding["message"])
    )


def test_in_one_study_is_which_evidence_not_a_figure(index: Path, tmp_path: Path) -> None:
    found = _findings(index, tmp_path, "Ketamine at 2 mg/kg was given to patients with cancer pain in one study.")
    assert [f["text"] for f in found if f["rule"] == "unverified-statistic"] == ["2 mg/kg"]


def test_an_unsourced_figure_said_again_in_its_paragraph_is_one_finding(index: Path, tmp_path: Path) -> None:
    text = "Most sessions use 35 mg of ketamine. Ask before you take 35 mg at home."
    assert [f["text"] for f in _findings(index, tmp_path, text) if f["rule"] == "unverified-statistic"] == ["35 mg"]
