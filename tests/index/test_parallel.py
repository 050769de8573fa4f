"""kb.index.parallel: the second half of the claims compiled in a forked child gives the index one process gives."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

import kb.index.parallel
from kb.errors import InvalidData
from kb.index.build import refresh
from kb.index.parallel import mapped
from kb.settings import resolve
from tests.index.incremental import dump

LINUX_TWO_CORES = sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) >= 2
pytestmark = pytest.mark.skipif(not LINUX_TWO_CORES, reason="the child is forked on Linux with two cores only")


def test_mapped_in_two_processes_keeps_the_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kb.index.parallel, "MINIMUM", 0)
    parent = os.getpid()
    found = mapped(lambda n: (n * n, os.getpid() == parent), 9)
    assert [square for square, _ in found] == [n * n for n in range(9)]
    in_parent = [mine for _, mine in found]
    assert in_parent == sorted(in_parent, reverse=True)  # the parent's claims first, the child's after


def test_the_child_sends_its_results_a_batch_at_a_time_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kb.index.parallel, "MINIMUM", 0)
    monkeypatch.setattr(kb.index.parallel, "BATCH", 3)
    parent = os.getpid()

    def first() -> None:  # the child compiles most of them meanwhile: several batches, and a part one
        time.sleep(0.3)

    found = mapped(lambda n: (str(n), os.getpid() == parent), 50, first)
    assert [text for text, _ in found] == [str(n) for n in range(50)]
    assert not all(mine for _, mine in found)


def test_the_child_takes_over_while_the_parent_does_its_first_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kb.index.parallel, "MINIMUM", 0)
    parent = os.getpid()

    def one(n: int) -> tuple[int, bool]:
        (tmp_path / str(n)).touch()
        return n + 1, os.getpid() == parent

    def first() -> None:  # waits (within reason) for the child to have reached the first claim
        for _ in range(6000):
            if (tmp_path / "0").exists():
                return
            time.sleep(0.01)

    assert mapped(one, 8, first) == [(n + 1, False) for n in range(8)]


def test_an_error_in_the_first_work_stops_both(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kb.index.parallel, "MINIMUM", 0)

    def first() -> None:
        raise ValueError("invalid")

    with pytest.raises(ValueError, match="invalid"):
        mapped(lambda n: n, 5, first)


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


def test_invalid_data_compiled_in_two_processes_reports_what_one_process_reports(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = mini_data / "claims.yaml"
    claims.write_text(claims.read_text().replace("subject: addiction", "subject: no-such-subject"))
    reported = []
    for minimum in (4000, 0):  # one process, then the child compiling while the parent validates
        monkeypatch.setattr(kb.index.parallel, "MINIMUM", minimum)
        settings = resolve(str(mini_data), f"sqlite:///{tmp_path / f'{minimum}.sqlite'}")
        with pytest.raises(InvalidData) as raised:
            refresh(settings)
        reported.append(raised.value.problems)
        assert not settings.sqlite_path.exists()
    assert reported[0] == reported[1] and any("no-such-subject" in p.message for p in reported[0])
