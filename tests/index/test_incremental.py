"""The incremental update writes the index a full rebuild would: for random edit sequences (claims added, removed,
changed, moved; mentions and source links added or removed; a subject, source or page changed), the index kept up
to date edit by edit equals, table by table as row sets, one built from scratch from the same YAML."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.errors import InvalidData
from kb.index.build import refresh
from kb.settings import Settings, resolve
from tests.index.incremental import CLAIM_EDITS, EDITS, Knowledge, dump

SEQUENCES = st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 2**16)), min_size=1, max_size=5)


def _refresh(settings: Settings, force: bool = False) -> str:
    try:
        return refresh(settings, force=force)
    except InvalidData:
        return "invalid"


def _same_as_a_full_build(data: Path, kept: Settings, root: Path) -> str:
    state = _refresh(kept)
    full = resolve(str(data), f"sqlite:///{root / 'full.sqlite'}")
    assert _refresh(full, force=True) == ("invalid" if state == "invalid" else "rebuilt")
    if state != "invalid":
        assert dump(kept.database_url) == dump(full.database_url)
    return state


@settings(
    max_examples=int(os.environ.get("KB_INCREMENTAL_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(edits=SEQUENCES, margin=st.booleans())
def test_random_edits_update_to_the_full_build(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, int]], margin: bool
) -> None:
    root = tmp_path_factory.mktemp("kb")
    data, knowledge = root / "data", Knowledge.mini()
    knowledge.margin = margin
    knowledge.write(data)
    kept = resolve(str(data), f"sqlite:///{root / 'index.sqlite'}")
    assert _refresh(kept) == "rebuilt"
    for kind, seed in edits:
        knowledge.edit(kind, random.Random(seed))
        knowledge.write(data)
        _same_as_a_full_build(data, kept, root)


@pytest.mark.parametrize("kind", EDITS)
def test_each_edit_takes_its_path(tmp_path: Path, kind: str) -> None:
    """Claim edits are applied incrementally; a subject, source or page edit rebuilds in full."""
    data, knowledge = tmp_path / "data", Knowledge.mini()
    knowledge.write(data)
    kept = resolve(str(data), f"sqlite:///{tmp_path / 'index.sqlite'}")
    refresh(kept)
    pick = random.Random(3)
    before = dump(kept.database_url)
    while dump(kept.database_url) == before:  # an edit that changes something (remove-mention may find none)
        knowledge.edit(kind, pick)
        knowledge.write(data)
        state = _same_as_a_full_build(data, kept, tmp_path)
    assert state == ("updated" if kind in CLAIM_EDITS else "rebuilt")


def test_a_code_or_schema_change_still_rebuilds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kb.index.build
    import kb.index.inputs

    data, knowledge = tmp_path / "data", Knowledge.mini()
    knowledge.write(data)
    kept = resolve(str(data), f"sqlite:///{tmp_path / 'index.sqlite'}")
    refresh(kept)
    knowledge.edit("add-claim", random.Random(1))
    knowledge.write(data)
    monkeypatch.setattr(kb.index.inputs, "SCHEMA_VERSION", "next")
    monkeypatch.setattr(kb.index.build, "SCHEMA_VERSION", "next")
    assert refresh(kept) == "rebuilt"  # the frame hash covers the schema version (and kb's code, hashed with it)


def test_a_killed_update_leaves_the_index_as_it_was(tmp_path: Path) -> None:
    """kill -9 in the middle of an update (inside the write's transaction): the index and its stamp are the ones of
    before the edit, still readable; the next command removes the temporary file and updates."""
    data, knowledge = tmp_path / "data", Knowledge.mini()
    knowledge.write(data)
    index = tmp_path / "index.sqlite"
    kept = resolve(str(data), f"sqlite:///{index}")
    refresh(kept)
    before = dump(kept.database_url)
    knowledge.edit("add-claim", random.Random(1))
    knowledge.write(data)
    script = (
        "import os, signal, kb.index.apply as a\n"
        "a.recompute = lambda *args: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from kb.index.build import refresh\nfrom kb.settings import resolve\n"
        f"refresh(resolve({str(data)!r}, {kept.database_url!r}))\n"
    )
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, env=os.environ | {"PYTHONPATH": ""})
    assert killed.returncode == -signal.SIGKILL
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # the half-written copy, left behind
    with sqlite3.connect(f"file:{index}?mode=ro", uri=True) as connection:
        assert connection.execute("SELECT count(*) FROM kb_claim").fetchone()[0] == 3
    assert dump(kept.database_url) == before
    assert _same_as_a_full_build(data, kept, tmp_path) == "updated"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_an_index_changed_behind_kbs_back_is_rebuilt_not_updated(tmp_path: Path) -> None:
    data, knowledge = tmp_path / "data", Knowledge.mini()
    knowledge.write(data)
    index = tmp_path / "index.sqlite"
    kept = resolve(str(data), f"sqlite:///{index}")
    refresh(kept)
    with sqlite3.connect(index) as connection:
        connection.execute("UPDATE kb_claim SET statement = 'tampered'")
    connection.close()
    knowledge.edit("change-statement", random.Random(2))
    knowledge.write(data)
    assert _same_as_a_full_build(data, kept, tmp_path) == "rebuilt"
