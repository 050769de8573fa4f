"""kb.index.parallel: the second half of the claims compiled in a forked child gives the index one process gives."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import kb.index.parallel
from kb.index.build import refresh
from kb.index.parallel import mapped
from kb.settings import resolve
from tests.index.incremental import dump

LINUX_TWO_CORES = sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) >= 2
pytestmark = pytest.mark.skipif(not LINUX_TWO_CORES, reason="the child is forked on Linux with two cores only")


def test_mapped_in_two_processes_keeps_the_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kb.index.parallel, "MINIMUM", 0)
    parent = os.getpid()
    assert mapped(lambda n: (n * n, os.getpid() == parent), 9) == [(n * n, n < 4) for n in range(9)]


def test_a_failing_child_is_not_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kb.index.parallel, "MINIMUM", 0)
    parent = os.getpid()

    def fails_in_the_child(n: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("child")
        return n

    assert mapped(fails_in_the_child, 7) == list(range(7))


def test_the_index_built_in_two_processes_equals_one_built_in_one(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = resolve(str(mini_data), f"sqlite:///{tmp_path / 'one.sqlite'}")
    assert refresh(one) == "rebuilt"
    monkeypatch.setattr(kb.index.parallel, "MINIMUM", 0)
    two = resolve(str(mini_data), f"sqlite:///{tmp_path / 'two.sqlite'}")
    assert refresh(two) == "rebuilt"
    assert dump(one.database_url) == dump(two.database_url)
