"""kb.index.statements: the registered pages read in two processes give the statements, and the record of what the
reading asked of the claims, that one process gives."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

import kb.index.statements
from kb.index.build import refresh
from kb.index.forked import available
from kb.settings import resolve
from tests.index.incremental import dump

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not available(), reason="the child is forked on Linux with two cores only")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the repository's data: several registered pages, with statements on more than one."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def _built(data: Path, path: Path) -> str:
    settings = resolve(str(data), f"sqlite:///{path}")
    assert refresh(settings, force=True) == "rebuilt"
    return settings.database_url


def test_pages_read_in_two_processes_give_what_one_gives(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = _built(data, tmp_path / "one.sqlite")  # a few pages: under SHARED, read in one process
    monkeypatch.setattr(kb.index.statements, "SHARED", 0)
    parent, marker = os.getpid(), tmp_path / "child-read"

    class Noted(kb.index.statements.SqliteDatabase):
        def __init__(self, path: str) -> None:
            if os.getpid() != parent:
                marker.touch()  # the child opened its own connection: the pages were shared
            super().__init__(path)

    monkeypatch.setattr(kb.index.statements, "SqliteDatabase", Noted)
    two = _built(data, tmp_path / "two.sqlite")
    assert marker.exists()
    assert dump(one) == dump(two)
    with sqlite3.connect(tmp_path / "two.sqlite") as connection:
        pages = connection.execute("SELECT COUNT(DISTINCT page_id), MAX(id), COUNT(*) FROM kb_statement").fetchone()
        reads = connection.execute("SELECT value FROM kb_meta WHERE key = 'statement_reads'").fetchone()[0]
    assert pages[0] >= 2 and pages[1] == pages[2]  # statements of several pages, numbered 1..n
    assert reads.startswith("[[")


def test_a_failing_child_is_not_trusted(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = _built(data, tmp_path / "one.sqlite")
    monkeypatch.setattr(kb.index.statements, "SHARED", 0)
    parent = os.getpid()

    class Failing(kb.index.statements.SqliteDatabase):
        def rows(self, sql: str, params: object = None) -> list[tuple[object, ...]]:
            if os.getpid() != parent:
                raise RuntimeError("child")
            return super().rows(sql, params)  # type: ignore[arg-type]

    monkeypatch.setattr(kb.index.statements, "SqliteDatabase", Failing)
    assert dump(one) == dump(_built(data, tmp_path / "two.sqlite"))
