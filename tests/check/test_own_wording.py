"""A knowledge base adds the risky wording of its own topic (`risky_wording` in claims.yaml)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run


def test_a_knowledge_bases_own_risky_phrases_are_reported_under_its_category(
    run: Run, mini_data: Path, db_path: Path, tmp_path: Path
) -> None:
    claims = mini_data / "claims.yaml"
    own = "risky_wording:\n  promise of sleep: [sleep like a baby]\n"
    claims.write_text(own + claims.read_text(encoding="utf-8"), encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("With our gummies you will sleep like a baby every night.\n", encoding="utf-8")
    code, out, err = run("check", page, "--data", mini_data, "--db", db_path, "--format", "json", "--fail-on", "none")
    assert code == 0, err
    (found,) = json.loads(out)
    assert (found["rule"], found["text"]) == ("disallowed-claim", "sleep like a baby")
    assert found["message"].startswith("Risky wording (promise of sleep): “sleep like a baby”.")


def test_a_knowledge_bases_phrases_may_be_written_with_choices(
    run: Run, mini_data: Path, db_path: Path, tmp_path: Path
) -> None:
    claims = mini_data / "claims.yaml"
    own = "risky_wording:\n  promise of sleep: ['sleep like a {baby|log}']\n"
    claims.write_text(own + claims.read_text(encoding="utf-8"), encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("With our gummies you will sleep like a log every night.\n", encoding="utf-8")
    code, out, err = run("check", page, "--data", mini_data, "--db", db_path, "--format", "json", "--fail-on", "none")
    assert code == 0, err
    (found,) = json.loads(out)
    assert (found["rule"], found["text"]) == ("disallowed-claim", "sleep like a log")


def test_nested_braces_in_a_knowledge_bases_phrase_are_a_validation_problem(
    run: Run, mini_data: Path, db_path: Path
) -> None:
    claims = mini_data / "claims.yaml"
    own = "risky_wording:\n  promise of sleep: ['sleep like a {baby|{log|rock}}']\n"
    claims.write_text(own + claims.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run("validate", "--data", mini_data)
    assert code == 1  # validate's findings are problems in the data
    assert "claims.yaml:2:22: bad-value" in out + err and "nested braces" in out + err
