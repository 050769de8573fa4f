"""The one writer: a golden diff (only the added lines change), nothing written when invalid, no lost writes under
concurrency, and arbitrary text quoted so that it reads back equal."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.data import validate
from kb.data.dataset import load
from kb.data.write.splice import append_entry
from kb.data.write.transaction import Addition, edit
from kb.data.yamlload import load_text
from kb.errors import InvalidData

DATA = Path(__file__).resolve().parent.parent.parent / "data"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _only_inserted(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`; fails if any line of `before` changed or went."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    added = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        assert tag in ("equal", "insert"), (tag, before.splitlines()[a0:a1], after.splitlines()[b0:b1])
        if tag == "insert":
            added.extend(after.splitlines()[b0:b1])
    return added


def test_golden_adding_a_mention_a_claim_and_a_source_changes_only_the_added_lines(data: Path) -> None:
    claims_before = (data / "claims.yaml").read_text(encoding="utf-8")
    sources_before = (data / "sources.yaml").read_text(encoding="utf-8")
    mention = {"page": "relevare", "quote": "ranging in age from 20 to 50", "verdict": "unsupported", "note": "t"}
    claim = {
        "id": "golden-claim",
        "statement": "A statement: with a colon.",
        "subject": "migraine-peak-age",
        "status": "do-not-use",
        "mentions": [],
    }
    source = {
        "id": "golden-source",
        "type": "webpage",
        "design": "expert-opinion",
        "title": "A page # not a comment",
        "authors": [{"family": "Example", "given": "A."}],
    }

    def plan(dataset):
        index = [c.id for c in dataset.claims.claims].index("infusion-lasts-2-to-4-hours")
        return [
            Addition("claims", ("claims", index, "mentions"), mention),
            Addition("claims", ("claims",), claim),
            Addition("sources", ("sources",), source),
        ]

    edit(data, plan)
    claims_added = _only_inserted(claims_before, (data / "claims.yaml").read_text(encoding="utf-8"))
    assert claims_added == [
        "      - page: relevare",
        '        quote: "ranging in age from 20 to 50"',
        "        verdict: unsupported",
        '        note: "t"',
        "",
        "  - id: golden-claim",
        '    statement: "A statement: with a colon."',
        "    subject: migraine-peak-age",
        "    status: do-not-use",
        "    mentions: []",
    ]
    sources_added = _only_inserted(sources_before, (data / "sources.yaml").read_text(encoding="utf-8"))
    assert sources_added == [
        "",
        "  - id: golden-source",
        "    type: webpage",
        "    design: expert-opinion",
        '    title: "A page # not a comment"',
        "    authors:",
        "      - {family: Example, given: A.}",
    ]
    assert validate.check(load(data)) == []


def test_an_invalid_change_writes_nothing(data: Path) -> None:
    before = {name: (data / name).read_bytes() for name in ("claims.yaml", "sources.yaml", "pages.yaml")}
    mention = {"page": "relevare", "quote": "words that are on no page at all", "verdict": "accurate", "note": "x"}
    with pytest.raises(InvalidData, match="quote not found in page relevare"):
        edit(data, lambda dataset: [Addition("claims", ("claims", 0, "mentions"), mention)])
    assert {name: (data / name).read_bytes() for name in before} == before
    assert not [p for p in data.iterdir() if p.name.endswith(".tmp")]


def test_an_empty_flow_list_and_a_missing_key_become_block_lists() -> None:
    text = "# header\nclaims: []  # none yet\n\n# Example:\n# claims:\n"
    tree = load_text(text, "claims.yaml")
    added = append_entry(text, tree, ("claims",), {"id": "a-b", "note": "x"}, "claims.yaml")
    assert added == '# header\nclaims:  # none yet\n  - id: a-b\n    note: "x"\n\n# Example:\n# claims:\n'
    text = "claims:\n  - id: a-b\n    note: x\n"
    added = append_entry(text, load_text(text, "c"), ("claims", 0, "mentions"), {"page": "p"}, "c")
    assert added == "claims:\n  - id: a-b\n    note: x\n    mentions:\n      - page: p\n"


TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufeff"), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(note=TEXT, key=st.sampled_from(["note", "verdict", "page"]))
def test_any_text_is_quoted_so_it_reads_back_equal(note: str, key: str) -> None:
    text = 'claims:\n  - id: a-b\n    mentions:\n      - page: p\n        note: "n"\n  # trailing comment\n'
    entry = {"page": "q", key: note} if key != "page" else {"page": note}
    added = append_entry(text, load_text(text, "c"), ("claims", 0, "mentions"), entry, "c")
    assert load_text(added, "c")["claims"][0]["mentions"][-1] == entry
    assert added.startswith(text.split("  # trailing")[0])
    assert added.endswith("  # trailing comment\n")


def test_concurrent_writers_lose_nothing(data: Path, tmp_path: Path) -> None:
    """Six processes add six claims at once; the lock serialises them, each re-reads what the one before wrote."""
    writers = []
    for number in range(6):
        command = [
            sys.executable,
            "-m",
            "kb",
            "add",
            "claim",
            "--data",
            str(data),
            "--id",
            f"concurrent-{number}",
            "--subject",
            "migraine-peak-age",
            "--statement",
            f"Concurrent statement {number}.",
            "--status",
            "do-not-use",
        ]
        env = {**os.environ, "KB_DATA": "", "KB_DATABASE_URL": ""}
        writers.append(subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True))
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err
    claims = load(data).claims
    assert claims is not None
    assert {f"concurrent-{n}" for n in range(6)} <= {claim.id for claim in claims.claims}
    assert validate.check(load(data)) == []
