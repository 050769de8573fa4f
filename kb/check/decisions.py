"""Review decisions on `kb check` findings: which finding a reviewer means, and recording a false positive or an
accepted exception in the decisions file (a baseline whose entries carry decision, reason, reviewer and date, see
`kb.check.baseline`). A curated verdict is not recorded here: it is a page mention in claims.yaml (`kb review
mention`, through `kb.data.write`).

A finding is named the way a reviewer has it: its fingerprint (`kb check --format json`, SARIF
`partialFingerprints`), or `PATH:LINE:COLUMN` as the text and line formats print it (with `--rule` when several
findings start there).
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kb.check.baseline import entries_by_fingerprint, write_document
from kb.data.write.lock import data_lock
from kb.errors import NotFound, UsageError
from kb.records import Finding

FINGERPRINT = re.compile(r"^[0-9a-f]{8,32}$")
PLACE = re.compile(r"^(?P<path>.+?):(?P<line>\d+)(?::(?P<column>\d+))?$")
DECISIONS = ("false-positive", "accepted")
SEE = "run `kb check --format json` for fingerprints, or give PATH:LINE:COLUMN as `kb check --format line` prints"


def is_fingerprint(ident: str) -> bool:
    return bool(FINGERPRINT.match(ident))


def page_of(ident: str) -> str | None:
    """The page a `PATH:LINE[:COLUMN]` names (None for a fingerprint)."""
    if is_fingerprint(ident):
        return None
    match = PLACE.match(ident)
    if match is None:
        raise UsageError(f"cannot read the finding {ident!r}", hint=f"give a fingerprint or PATH:LINE:COLUMN; {SEE}")
    return match["path"]


def _same(shown: str, wanted: str) -> bool:
    return shown == wanted or Path(shown).resolve() == Path(wanted).resolve()


def find(findings: Sequence[Finding], ident: str, rule: str | None = None) -> Finding:
    """The one finding `ident` names among today's findings; refused when none or several match."""
    if is_fingerprint(ident):
        found = [f for f in findings if f.fingerprint.startswith(ident) and rule in (None, f.rule)]
        where = f"fingerprint {ident}"
    else:
        match = PLACE.match(ident)
        assert match is not None
        line, column = int(match["line"]), match["column"]
        found = [
            f
            for f in findings
            if _same(f.path, match["path"])
            and f.line == line
            and (column is None or f.column == int(column))
            and rule in (None, f.rule)
        ]
        where = ident + (f" ({rule})" if rule else "")
    if not found:
        raise NotFound(f"no finding at {where} in today's `kb check`", hint=f"the page may have changed; {SEE}")
    distinct = {f.fingerprint: f for f in found}
    if len(distinct) > 1:
        listed = "; ".join(f"{f.rule} at {f.line}:{f.column} ({f.fingerprint[:12]})" for f in distinct.values())
        raise UsageError(f"{len(distinct)} findings at {where}: {listed}", hint="add --rule, or give the fingerprint")
    return found[0]


def today() -> str:
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def decision_fields(decision: str, reason: str, reviewer: str | None, date: str | None) -> dict[str, str]:
    if not reason.strip():
        raise UsageError("a decision needs a reason", hint='pass --reason "why"')
    when = date or today()
    try:
        datetime.date.fromisoformat(when)
    except ValueError:
        raise UsageError(f"--date {when!r} is not a date", hint="write YYYY-MM-DD") from None
    fields = {"decision": decision, "reason": " ".join(reason.split()), "date": when}
    if reviewer:
        fields["reviewer"] = reviewer
    return fields


def record(path: Path, finding: Finding, fields: dict[str, str]) -> None:
    """Add the finding to the decisions file (created if missing) under a lock, atomically; refuse a second
    decision on one finding."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with data_lock(path.parent):
        entries: dict[str, dict[str, Any]] = entries_by_fingerprint(path) if os.path.lexists(path) else {}
        old = entries.get(finding.fingerprint)
        if old is not None:
            said = old.get("decision", "accepted in the baseline")
            raise UsageError(
                f"finding {finding.fingerprint[:12]} is already recorded ({said}"
                + (f", {old['reason']}" if old.get("reason") else "")
                + ")",
                path=str(path),
                hint="edit or remove that entry in the decisions file to change it",
            )
        entries[finding.fingerprint] = {
            "fingerprint": finding.fingerprint,
            "rule": finding.rule,
            "path": finding.path,
            "claim_id": finding.claim_id,
            "text": " ".join(finding.text.split()),
            "count": 1,
            **fields,
        }
        ordered = sorted(entries.values(), key=lambda e: (e.get("path", ""), e.get("rule", ""), e.get("text", "")))
        write_document(path, ordered)
