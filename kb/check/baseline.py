"""Baselines: accept today's findings so `kb check` reports only new ones, like a code scanner's baseline.

A baseline counts findings per `Finding.fingerprint` (rule, file, claim and matched words, never the line), so edits
that move text up or down keep old findings old. Counts matter: with one accepted finding in a file, a second
identical one added later is new and reported. The file is JSON, sorted, so it diffs well in review::

    {"version": 1, "tool": "kb", "findings": [
      {"fingerprint": "…", "rule": "unsupported-claim", "path": "site/a.md", "claim_id": null, "text": "…", "count": 1}
    ]}

An entry may also say who decided what, and why (`kb review false-positive` / `accept`, or `--write-baseline` with
`--reason`/`--reviewer`): `"decision": "false-positive" | "accepted"`, `"reason"`, `"reviewer"`, `"date"`
(YYYY-MM-DD). Baselines without them stay readable; rewriting a baseline keeps the decisions of the findings that
are still there.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kb.errors import DataError, KBError, UsageError
from kb.records import Finding
from kb.safeio import read_regular, write_atomic
from kb.text.jsontext import json_text

VERSION = 1
TOOL = "kb"
WRITE_HINT = "write one with `kb check --write-baseline FILE`, or fix the path"
MALFORMED_HINT = "regenerate it with `kb check --write-baseline FILE`"


DECISION_FIELDS = ("decision", "reason", "reviewer", "date")


def _entries(
    findings: Iterable[Finding], decision: dict[str, str] | None = None, kept: dict[str, dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    for finding in sorted(findings):
        counts[finding.fingerprint] += 1
        first.setdefault(finding.fingerprint, finding)
    entries = [
        {
            "fingerprint": key,
            "rule": item.rule,
            "path": item.path,
            "claim_id": item.claim_id,
            "text": " ".join(item.text.split()),
            "count": counts[key],
            **_decided(key, decision, kept or {}),
        }
        for key, item in first.items()
    ]
    return sorted(entries, key=lambda entry: (entry["path"], entry["rule"], entry["text"], entry["fingerprint"]))


def _decided(key: str, decision: dict[str, str] | None, kept: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """An entry's decision fields: the ones the old baseline recorded for it, else today's (if any)."""
    old = kept.get(key, {})
    if any(name in old for name in DECISION_FIELDS):
        return {name: old[name] for name in DECISION_FIELDS if name in old}
    return dict(decision or {})


def entries_by_fingerprint(path: Path) -> dict[str, dict[str, Any]]:
    """The entries of a baseline by fingerprint (each checked as `load_baseline` checks it)."""
    found: dict[str, dict[str, Any]] = {}
    for index, entry in enumerate(_findings_list(path, _read(path))):
        fingerprint, _ = _entry(path, index, entry)
        assert isinstance(entry, dict)
        found.setdefault(fingerprint, entry)
    return found


def write_document(path: Path, entries: list[dict[str, Any]]) -> None:
    document = {"version": VERSION, "tool": TOOL, "findings": entries}
    write_atomic(path, json_text(document).encode("utf-8"), "baseline")


def write_baseline(path: Path, findings: Iterable[Finding], decision: dict[str, str] | None = None) -> None:
    """Write atomically (kb.safeio): readers never see half a file. Refuses to replace a file that is not a kb
    baseline, so a mistyped path (`--write-baseline kb.toml`) destroys nothing. `decision` (reason, reviewer,
    date) goes on every entry the old file did not already record a decision for."""
    kept: dict[str, dict[str, Any]] = {}
    if os.path.lexists(path):
        try:
            kept = entries_by_fingerprint(path)
        except KBError:
            raise UsageError(
                "exists and is not a kb baseline; kb will not overwrite it",
                path=str(path),
                hint="write the baseline to a new file, or delete that file yourself",
            ) from None
    write_document(path, _entries(findings, decision, kept))


def _malformed(path: Path, message: str, line: int | None = None, column: int | None = None) -> DataError:
    return DataError(f"malformed baseline: {message}", path=str(path), line=line, column=column, hint=MALFORMED_HINT)


def _read(path: Path) -> object:
    if not os.path.lexists(path):
        raise UsageError("baseline file not found", path=str(path), hint=WRITE_HINT)
    try:
        text = read_regular(path, str(path), limit=256 * 1024 * 1024).decode("utf-8")
    except KBError as exc:
        raise _malformed(path, f"cannot read it ({exc.message})") from None
    except UnicodeDecodeError as exc:
        raise _malformed(path, f"cannot read it ({exc})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _malformed(path, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from exc


def _findings_list(path: Path, document: object) -> list[object]:
    if not isinstance(document, dict) or document.get("tool") != TOOL:
        raise _malformed(path, 'not a kb baseline (expected an object with "tool": "kb")')
    if document.get("version") != VERSION:
        raise _malformed(path, f"unsupported version {document.get('version')!r} (this kb reads version {VERSION})")
    findings = document.get("findings")
    if not isinstance(findings, list):
        raise _malformed(path, '"findings" must be a list')
    return findings


def _entry(path: Path, index: int, entry: object) -> tuple[str, int]:
    if not isinstance(entry, dict):
        raise _malformed(path, f"findings[{index}] must be an object")
    fingerprint, count = entry.get("fingerprint"), entry.get("count", 1)
    if not isinstance(fingerprint, str) or not fingerprint:
        raise _malformed(path, f'findings[{index}] needs a "fingerprint" string')
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise _malformed(path, f'findings[{index}] "count" must be a positive integer, not {count!r}')
    return fingerprint, count


def load_baseline(path: Path) -> Counter[str]:
    """Fingerprint -> how many findings with it were accepted."""
    counts: Counter[str] = Counter()
    for index, entry in enumerate(_findings_list(path, _read(path))):
        fingerprint, count = _entry(path, index, entry)
        counts[fingerprint] += count
    return counts


def filter_new(findings: Sequence[Finding], baseline: Counter[str]) -> list[Finding]:
    """Findings the baseline does not account for, in their original order.

    Identical findings (same fingerprint) use up the baseline's count in position order, so the later ones are new.
    """
    left = Counter(baseline)
    old: set[int] = set()
    for index in sorted(range(len(findings)), key=lambda i: findings[i]):
        key = findings[index].fingerprint
        if left[key] > 0:
            left[key] -= 1
            old.add(index)
    return [finding for index, finding in enumerate(findings) if index not in old]


def fixed(findings: Iterable[Finding], baseline: Counter[str]) -> Counter[str]:
    """Baseline counts no longer matched by a finding: fixed since the baseline was written (rewrite it to drop)."""
    left = Counter(baseline)
    left.subtract(Counter(finding.fingerprint for finding in findings))
    return +left
