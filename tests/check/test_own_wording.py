"""A knowledge base adds the risky wording of its own topic (`risky_wording` in claims.yaml)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run


def _own_finding(run: Run, data: Path, db: Path, tmp_path: Path, phrases: str, text: str) -> dict[str, str]:
    """The one finding on a page, with `phrases` (YAML) as the knowledge base's own `promise of sleep` wording."""
    claims = data / "claims.yaml"
    own = f"risky_wording:\n  promise of sleep: {phrases}\n"
    claims.write_text(own + claims.read_text(encoding="utf-8"), encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(text + "\n", encoding="utf-8")
    code, out, err = run("check", page, "--data", data, "--db", db, "--format", "json", "--fail-on", "none")
    assert code == 0, err
    (found,) = json.loads(out)
    assert isinstance(found, dict)
    return found


@pytest.mark.parametrize(
    ("phrases", "said"),
    [("[sleep like a baby]", "sleep like a baby"), ("['sleep like a {baby|log}']", "sleep like a log")],
)
def test_a_knowledge_bases_own_risky_phrases_are_reported_under_its_category(
    run: Run, mini_data: Path, db_path: Path, tmp_path: Path, phrases: str, said: str
) -> None:
    """Written plainly or with choices ({a|b})."""
    text = f"With our gummies you will {said} every night."
    found = _own_finding(run, mini_data, db_path, tmp_path, phrases, text)
    assert (found["rule"], found["text"]) == ("disallowed-claim", said)
    assert found["message"].startswith(f"Risky wording (promise of sleep): “{said}”.")


def test_nested_braces_in_a_knowledge_bases_phrase_are_a_validation_problem(
    run: Run, mini_data: Path, db_path: Path
) -> None:
    claims = mini_data / "claims.yaml"
    own = "risky_wording:\n  promise of sleep: ['sleep like a {baby|{log|rock}}']\n"
    claims.write_text(own + claims.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run("validate", "--data", mini_data)
    assert code == 1  # validate's findings are problems in the data
    assert "claims.yaml:2:22: bad-value" in out + err and "nested braces" in out + err
