"""Baselines: written atomically and sorted, read back with clear errors, and matched by fingerprint and count."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from kb.check.baseline import filter_new, fixed, load_baseline, write_baseline
from kb.errors import KBError
from kb.fastclass import replace
from kb.records import Finding, Severity


def finding(
    path: str = "site/a.md",
    line: int = 3,
    rule: str = "unsupported-claim",
    text: str = "Magnesium cures it",
    claim_id: str | None = None,
) -> Finding:
    return Finding(path, line, 5, line, 5 + len(text), rule, Severity.ERROR, "message", text, claim_id)


def test_round_trip_counts_identical_findings(tmp_path: Path) -> None:
    first, second = finding(line=3), finding(line=40)  # same words, same rule, same file
    other = finding(path="site/b.md", rule="figure-mismatch", text="40%", claim_id="mg-sleep")
    target = tmp_path / "kb-baseline.json"
    write_baseline(target, [other, second, first])
    assert load_baseline(target) == Counter({first.fingerprint: 2, other.fingerprint: 1})


def test_file_format_is_sorted_json(tmp_path: Path) -> None:
    target = tmp_path / "base.json"
    items = [
        finding(path="z.md", text="b"),
        finding(path="a.md", text="Cures   ALL"),
        finding(path="a.md", rule="contradiction", text="x", claim_id="c1"),
    ]
    write_baseline(target, items)
    text = target.read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["version"] == 1 and document["tool"] == "kb"
    assert [(e["path"], e["rule"]) for e in document["findings"]] == [
        ("a.md", "contradiction"),
        ("a.md", "unsupported-claim"),
        ("z.md", "unsupported-claim"),
    ]
    assert document["findings"][0] == {
        "fingerprint": items[2].fingerprint,
        "rule": "contradiction",
        "path": "a.md",
        "claim_id": "c1",
        "text": "x",
        "count": 1,
    }
    assert document["findings"][1]["text"] == "Cures ALL"
    assert text.endswith("\n")
    write_baseline(target, list(reversed(items)))  # order of input does not matter
    assert target.read_text(encoding="utf-8") == text


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "base.json"
    write_baseline(target, [finding()])
    write_baseline(target, [])
    assert json.loads(target.read_text(encoding="utf-8"))["findings"] == []
    assert sorted(p.name for p in target.parent.iterdir()) == ["base.json"]


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "base.json"
    write_baseline(target, [finding()])
    before = target.read_text(encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(KBError) as caught:
        write_baseline(blocker / "base.json", [finding()])  # parent is a file
    assert caught.value.path == str(blocker / "base.json")
    assert target.read_text(encoding="utf-8") == before


def test_fingerprints_survive_lines_moving(tmp_path: Path) -> None:
    target = tmp_path / "base.json"
    old = [finding(line=3), finding(line=10, rule="stale-recency", text="a recent study")]
    write_baseline(target, old)
    moved = [replace(item, line=item.line + 25, end_line=item.line + 25, column=1) for item in old]
    assert filter_new(moved, load_baseline(target)) == []


def test_a_second_identical_finding_is_new(tmp_path: Path) -> None:
    target = tmp_path / "base.json"
    write_baseline(target, [finding(line=3)])
    later = [finding(line=3), finding(line=20)]
    assert filter_new(later, load_baseline(target)) == [finding(line=20)]
    # whichever comes first in the file uses up the baseline, regardless of input order
    assert filter_new(list(reversed(later)), load_baseline(target)) == [finding(line=20)]


def test_changed_words_file_or_rule_are_new(tmp_path: Path) -> None:
    target = tmp_path / "base.json"
    write_baseline(target, [finding()])
    baseline = load_baseline(target)
    assert filter_new([finding(text="magnesium  CURES it")], baseline) == []  # case and spacing do not matter
    changed = [finding(text="Magnesium cures all"), finding(path="site/c.md"), finding(rule="disallowed-claim")]
    assert filter_new(changed, baseline) == changed


def test_filter_new_keeps_order_and_does_not_consume_the_baseline() -> None:
    baseline = Counter({finding(path="b.md").fingerprint: 1})
    items = [finding(path="c.md"), finding(path="b.md"), finding(path="a.md")]
    assert filter_new(items, baseline) == [items[0], items[2]]
    assert baseline == Counter({finding(path="b.md").fingerprint: 1})


def test_fixed_entries() -> None:
    baseline = Counter({finding().fingerprint: 2, finding(path="gone.md").fingerprint: 1})
    assert fixed([finding()], baseline) == Counter({finding().fingerprint: 1, finding(path="gone.md").fingerprint: 1})


def test_missing_baseline(tmp_path: Path) -> None:
    with pytest.raises(KBError) as caught:
        load_baseline(tmp_path / "nope.json")
    assert caught.value.path == str(tmp_path / "nope.json")
    assert "not found" in caught.value.message and caught.value.hint


def test_invalid_json_is_located(tmp_path: Path) -> None:
    target = tmp_path / "base.json"
    target.write_text('{"version": 1,\n "tool": "kb",\n "findings": [,]}\n', encoding="utf-8")
    with pytest.raises(KBError) as caught:
        load_baseline(target)
    error = caught.value
    assert (error.path, error.line) == (str(target), 3)
    assert "malformed baseline: invalid JSON" in error.message


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ([], "not a kb baseline"),
        ({"version": 1, "tool": "vale", "findings": []}, "not a kb baseline"),
        ({"version": 2, "tool": "kb", "findings": []}, "unsupported version 2"),
        ({"version": 1, "tool": "kb"}, '"findings" must be a list'),
        ({"version": 1, "tool": "kb", "findings": ["x"]}, "findings[0] must be an object"),
        ({"version": 1, "tool": "kb", "findings": [{"count": 1}]}, 'findings[0] needs a "fingerprint"'),
        ({"version": 1, "tool": "kb", "findings": [{"fingerprint": "f", "count": 0}]}, "positive integer"),
        ({"version": 1, "tool": "kb", "findings": [{"fingerprint": "f", "count": True}]}, "positive integer"),
    ],
)
def test_malformed_baseline(tmp_path: Path, document: object, fragment: str) -> None:
    target = tmp_path / "base.json"
    target.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(KBError) as caught:
        load_baseline(target)
    assert caught.value.path == str(target)
    assert fragment in caught.value.message


def test_binary_file_is_malformed(tmp_path: Path) -> None:
    target = tmp_path / "base.json"
    target.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(KBError, match="malformed baseline"):
        load_baseline(target)


def test_duplicate_entries_add_up(tmp_path: Path) -> None:
    target = tmp_path / "base.json"
    entries = [{"fingerprint": "f", "count": 2}, {"fingerprint": "f"}]
    target.write_text(json.dumps({"version": 1, "tool": "kb", "findings": entries}), encoding="utf-8")
    assert load_baseline(target) == Counter({"f": 3})
