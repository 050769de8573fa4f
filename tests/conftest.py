"""Shared fixtures: a private copy of the mini knowledge base and an in-process `kb` runner.

Typer 0.29 vendors click's testing code; its CliRunner keeps stdout and stderr apart (`result.stderr`) and has no
`mix_stderr` switch, so `run` returns the two streams separately.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli.app import app

MINI = Path(__file__).parent / "fixtures" / "mini"
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def mini_data(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/mini (3 claims, 2 sources, 1 page)."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where tests put the index; never inside the repository."""
    return tmp_path / "i.sqlite"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """`run("search", "x", "--data", d)` -> (exit code, stdout, stderr), in-process.

    Runs from tmp_path so relative paths and the `data/` look-up can never reach the repository. Exceptions are not
    caught: a traceback fails the test instead of hiding in `result.exception`.
    """
    monkeypatch.chdir(tmp_path)
    runner = CliRunner(env={"KB_DATA": None, "KB_DATABASE_URL": None, "COLUMNS": "200", "NO_COLOR": "1"})

    def _run(*args: object) -> tuple[int, str, str]:
        result = runner.invoke(app, [str(arg) for arg in args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return _run


@pytest.fixture
def edit() -> Callable[[Path, str, str], int]:
    """Replace the first `old` in a file by `new`; returns the 1-based line where `new` starts."""

    def _edit(path: Path, old: str, new: str) -> int:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        start = text.index(old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return text.count("\n", 0, start) + 1

    return _edit


@pytest.fixture
def line_of() -> Callable[..., int]:
    """`line_of(path, needle, occurrence=1)`: 1-based line of the n-th occurrence of `needle` in a file."""

    def _line_of(path: Path, needle: str, occurrence: int = 1) -> int:
        text = path.read_text(encoding="utf-8")
        start = -1
        for _ in range(occurrence):
            start = text.index(needle, start + 1)
        return text.count("\n", 0, start) + 1

    return _line_of


class _PinnedDate(date):
    """The day the pinned outputs were written: "recent" is judged against it, so they never go stale."""

    @classmethod
    def today(cls) -> _PinnedDate:
        return cls(2026, 12, 1)


@pytest.fixture
def pinned_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """`kb check` as on 2026-12-01, for tests that compare whole outputs with files written that day."""
    import kb.check.context
    import kb.formats.review

    monkeypatch.setattr(kb.check.context, "date", _PinnedDate)
    monkeypatch.setattr(kb.formats.review, "date", _PinnedDate)  # the review report's date of the run
