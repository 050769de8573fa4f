"""Doses pages recommend, compared page against page (the melatonin example's typical and maximum doses), in
sentences written for the test: an exclusion speaks for its clause, and a negated bound is an upper bound."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb.cli.app import app
from kb.text.quantities import extract

MELATONIN = Path(__file__).resolve().parents[2] / "examples" / "melatonin"


def _report(tmp_path: Path, *pages: str) -> dict[str, Any]:
    paths = []
    for number, text in enumerate(pages):
        path = tmp_path / f"page{number}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        paths.append(str(path))
    runner = CliRunner(env={"KB_DATA": None, "KB_DATABASE_URL": None, "NO_COLOR": "1"})
    argv = ["contradictions", *paths, "--data", str(MELATONIN), "--db", str(tmp_path / "i.sqlite"), "--format", "json"]
    result = runner.invoke(app, [*argv, "--all", "--fail-on", "none"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


@pytest.mark.parametrize("text", ["not exceeding 10 mg", "not more than 10 mg", "a maximum of 10 mg"])
def test_a_negated_or_named_maximum_is_an_upper_bound(text: str) -> None:
    (bound,) = extract(text)
    assert (bound.low, bound.high, bound.qualifier) == (0.0, 10.0, "up-to")


def test_a_figure_in_an_excluded_clause_gives_way_to_one_in_the_subjects_own_clause(tmp_path: Path) -> None:
    """The nearest figure to "recommend" is the maximum's, in a clause the typical dose excludes; the typical
    range in the clause before is still the typical dose."""
    report = _report(
        tmp_path, "A typical range is 1-3 mg before bed, and experts recommend not exceeding 10 mg at a time."
    )
    (typical,) = [g for g in report["subjects"] if g["id"] == "typical-sleep-dose"]
    assert [v["value"]["text"] for v in typical["values"]] == ["1-3 mg"]
    (maximum,) = [g for g in report["subjects"] if g["id"] == "maximum-recommended-dose"]
    assert [v["value"]["text"] for v in maximum["values"]] == ["not exceeding 10 mg"]


def test_two_pages_with_different_typical_doses_conflict_and_agreeing_ones_do_not(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        "The typical recommended dosage is 0.5 milligrams.",
        "The usual dose for adults is 3 to 5 mg.",
        "A typical dose range is 0.3 to 1 mg.",
    )
    (typical,) = [g for g in report["subjects"] if g["id"] == "typical-sleep-dose"]
    pages = [sorted(s["path"].rsplit("/", 1)[-1] for s in _sides(typical, c)) for c in typical["conflicts"]]
    assert sorted(map(tuple, pages)) == [("page0.txt", "page1.txt"), ("page1.txt", "page2.txt")]


def _sides(group: dict[str, Any], conflict: dict[str, Any]) -> list[dict[str, Any]]:
    values = {v["id"]: v for v in group["values"]}
    statements = {s["id"]: s for s in group["statements"]}
    ids = [*values[conflict["value"]]["statements"], *values[conflict["against"]["value"]]["statements"]]
    return [statements[i] for i in ids]


def test_a_figure_given_with_another_confidence_interval_conflicts_with_its_source(tmp_path: Path) -> None:
    report = _report(
        tmp_path,
        "Melatonin reduced sleep onset latency by 7.06 minutes (95% CI: -12.1 to -2.0) in the meta-analysis.",
        "Melatonin reduced sleep onset latency by 7.06 minutes (95% CI 4.37 to 9.75) in the meta-analysis.",
    )
    (onset,) = [g for g in report["subjects"] if g["id"] == "sleep-onset-latency-change"]
    reasons = [(c["kind"], c["reason"]) for c in onset["conflicts"]]
    wrong = "95% CI 2 to 12.1 (“95% CI: -12.1 to -2.0”) vs 95% CI 4.37 to 9.75 for the same figure"
    assert [kind for kind, reason in reasons if reason.startswith(wrong)] == ["page-vs-source", "page-vs-page"]
    assert len(reasons) == 2  # the page that gives the paper's interval agrees with it


def test_each_statement_of_a_sentence_takes_the_figure_of_its_own_clause(tmp_path: Path) -> None:
    report = _report(
        tmp_path, "Ingestions in children rose by 530% in ten years, and 84% of the children had no symptoms."
    )
    stated = {g["id"]: [s["value"]["text"] for s in g["statements"]] for g in report["subjects"]}
    assert stated["pediatric-ingestion-increase"] == ["530%"]
    assert stated["pediatric-asymptomatic-share"] == ["84%"]
