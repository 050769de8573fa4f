"""`json`: a list of finding objects, `[]` when clean, sorted by (path, line, column, rule). A stable contract.

Each object has exactly these keys, in this order:

| key | type | meaning |
|---|---|---|
| `path` | string | the page, POSIX, relative to the checked root |
| `line`, `column` | int | start, 1-based, in the original file |
| `end_line`, `end_column` | int | end, 1-based; `end_column` is exclusive |
| `severity` | string | `"error"`, `"warning"` or `"info"` |
| `rule` | string | rule id, e.g. `"unsupported-claim"` (see `kb.check.registry.RULES`) |
| `message` | string | what is wrong |
| `text` | string | the matched words on the page |
| `claim_id` | string or null | the knowledge-base claim the text was matched to |
| `score` | number or null | match score, 0-100 |
| `evidence` | string or null | the claim's evidence level |
| `fix` | string or null | suggested wording and its citation |
| `sentence` | string or null | the sentence judged, when `text` is only part of it (a figure, a phrase) |
| `fingerprint` | string | 32 hex digits; stable when the text moves to another line (baselines, de-duplication) |

Non-ASCII text is written as `\\uXXXX` escapes, so the output is plain ASCII whatever the terminal's encoding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kb.formats.report import ordered
from kb.records import Finding
from kb.text.jsontext import json_text
from kb.text.paths import display_path

if TYPE_CHECKING:
    from kb.formats.report import Report

KEYS = (
    "path", "line", "column", "end_line", "end_column", "severity", "rule", "message", "text",
    "claim_id", "score", "evidence", "fix", "sentence", "fingerprint",
)  # fmt: skip


def as_object(finding: Finding, path: str) -> dict[str, Any]:
    data = finding.to_dict()
    data["path"] = path
    return {key: data[key] for key in KEYS}


def render(findings: Sequence[Finding], report: Report) -> str:
    objects = [as_object(f, display_path(f.path, report.root)) for f in ordered(findings, report.root)]
    return json_text(objects, ascii_only=True)
