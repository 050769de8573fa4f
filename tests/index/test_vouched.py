"""kb.index.build: the fast YAML reading's walk runs while the claims compile; when it declines a file, the build
starts again and gives the index a build that walks each file before using it gives."""

from __future__ import annotations

from pathlib import Path

import pytest

import kb.index.build
import kb.index.parallel
from kb.data.dataset import load
from kb.index.build import refresh
from kb.settings import resolve
from tests.index.incremental import dump

FLOW = "  - {id: addiction, label: addiction potential, kind: stance}\n"  # valid; the fast outline declines it


@pytest.mark.parametrize("minimum", [4000, 0])  # one process; the child compiling while the parent validates
def test_a_file_declined_after_its_values_were_used_is_read_again(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, minimum: int
) -> None:
    monkeypatch.setattr(kb.index.parallel, "MINIMUM", minimum)
    claims = mini_data / "claims.yaml"
    block = "  - id: addiction\n    label: addiction potential\n    kind: stance\n"
    assert block in claims.read_text()
    claims.write_text(claims.read_text().replace(block, FLOW))
    deferred = load(mini_data, fast=True, defer=True)
    assert deferred.claims is not None and not deferred.positioned  # read fast, not yet vouched for
    assert deferred.vouch() is False
    one = resolve(str(mini_data), f"sqlite:///{tmp_path / 'deferred.sqlite'}")
    assert refresh(one) == "rebuilt"
    original = kb.index.build._load_rows
    monkeypatch.setattr(kb.index.build, "load_rows", lambda settings: original(settings, defer=False))
    two = resolve(str(mini_data), f"sqlite:///{tmp_path / 'walked-first.sqlite'}")
    assert refresh(two) == "rebuilt"
    assert dump(one.database_url) == dump(two.database_url)


def test_a_vouched_file_keeps_its_values(mini_data: Path) -> None:
    deferred, walked = load(mini_data, fast=True, defer=True), load(mini_data, fast=True)
    assert deferred.vouch() is True and deferred.outlines == walked.outlines and deferred.trees == walked.trees
