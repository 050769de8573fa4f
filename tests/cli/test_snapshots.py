"""Whole-output snapshots of the bundled run: `kb check` and `kb contradictions` as JSON on the bundled pages.

They pin every finding, message and position the bundled knowledge base produces, so a change that was meant to
move code and not behaviour shows up as a diff here. Set KB_UPDATE_SNAPSHOTS=1 to rewrite them after an intended
change, then review the diff.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

import kb.check.context
from tests.conftest import Run

ROOT = Path(__file__).parents[2]
SNAPSHOTS = Path(__file__).parents[1] / "snapshots"
COMMANDS = {
    "check.json": ("check", "--format", "json", "--fail-on", "none"),
    "contradictions.json": ("contradictions", "--format", "json", "--fail-on", "none"),
}


class _PinnedDate(date):
    """The day the expected outputs were written: "recent" is judged against it, so they never go stale."""

    @classmethod
    def today(cls) -> _PinnedDate:
        return cls(2026, 12, 1)


@pytest.fixture(autouse=True)
def _pinned_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kb.check.context, "date", _PinnedDate)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_bundled_output(name: str, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run(*COMMANDS[name], "--db", tmp_path / "index.sqlite")
    assert code == 0, err
    target = SNAPSHOTS / name
    if os.environ.get("KB_UPDATE_SNAPSHOTS"):
        target.write_text(out, encoding="utf-8")
    assert out == target.read_text(encoding="utf-8")
