"""Whole-output snapshots of the bundled run: `kb check` and `kb contradictions` as JSON on the bundled pages.

They pin every finding, message and position the bundled knowledge base produces, so a change that was meant to
move code and not behaviour shows up as a diff here. Set KB_UPDATE_SNAPSHOTS=1 to rewrite them after an intended
change, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import Run

ROOT = Path(__file__).parents[2]
SNAPSHOTS = Path(__file__).parents[1] / "snapshots"
COMMANDS = {
    "check.json": ("check", "--format", "json", "--fail-on", "none"),
    "contradictions.json": ("contradictions", "--format", "json", "--fail-on", "none"),
    "check.html": ("check", "--format", "html", "--fail-on", "none"),
    "check.md": ("check", "--format", "markdown", "--fail-on", "none"),
}


pytestmark = pytest.mark.usefixtures("pinned_date")  # "recent" judged against the day the outputs were written


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_bundled_output(name: str, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run(*COMMANDS[name], "--db", tmp_path / "index.sqlite")
    assert code == 0, err
    target = SNAPSHOTS / name
    if os.environ.get("KB_UPDATE_SNAPSHOTS"):
        target.write_text(out, encoding="utf-8")
    assert out == target.read_text(encoding="utf-8")
