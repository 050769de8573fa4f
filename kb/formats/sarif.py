"""`sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers, as plain dicts.

One run. `tool.driver.rules` lists every rule kb has (not only those found), so a viewer can explain any rule id;
results point into it with `ruleIndex`. Locations are relative to `%SRCROOT%` (the checked root). Columns count
Unicode code points (`columnKind`), matching `Finding`. `partialFingerprints["kbFinding/v1"]` is
`Finding.fingerprint`, which ignores the position, so code scanning keeps an alert's history when lines move.
GitHub keeps at most 25,000 results per run: beyond that the most severe are kept and a notification says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kb.check.registry import RULES
from kb.check.rule import Rule
from kb.formats.report import ordered
from kb.records import INPUT_ERROR_RULE, Finding, Severity
from kb.text.jsontext import json_text
from kb.text.paths import display_path

if TYPE_CHECKING:
    from kb.formats.report import Report

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
MAX_RESULTS = 25_000
FINGERPRINT_KEY = "kbFinding/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
TAGS = ["health-claims", "content"]


def camel_case(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.split("-"))


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": camel_case(rule.id),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} {rule.help}"},
        # The project has no public home page yet, so no helpUri: the help text is the README's rule entry.
        "help": {"text": rule.help, "markdown": f"**{rule.id}**: {rule.help}"},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": TAGS},
    }


def artifact_location(path: str) -> dict[str, Any]:
    """Relative paths are URI references against %SRCROOT%; a file outside the root gets an absolute file URI."""
    if PurePath(path).is_absolute():
        return {"uri": PurePath(path).as_uri()}
    return {"uri": quote(path, safe="/"), "uriBaseId": "%SRCROOT%"}


def region(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "endLine": max(finding.end_line, finding.line),
        "endColumn": max(finding.end_column, 1),
    }
    if finding.text:
        data["snippet"] = {"text": finding.text}
    return data


def result(finding: Finding, path: str, rule_index: dict[str, int]) -> dict[str, Any]:
    data: dict[str, Any] = {"ruleId": finding.rule}
    if finding.rule in rule_index:
        data["ruleIndex"] = rule_index[finding.rule]
    extra = {"claimId": finding.claim_id, "score": finding.score, "evidence": finding.evidence, "fix": finding.fix}
    data |= {
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(path), "region": region(finding)}}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {key: value for key, value in extra.items() if value is not None},
    }
    return data


def capped(findings: Sequence[Finding], root: PurePath) -> tuple[list[Finding], int]:
    """At most MAX_RESULTS findings, the most severe first, back in output order; and how many were dropped."""
    if len(findings) <= MAX_RESULTS:
        return ordered(findings, root), 0
    kept = sorted(ordered(findings, root), key=lambda f: -f.severity)[:MAX_RESULTS]
    return ordered(kept, root), len(findings) - MAX_RESULTS


def notification(text: str, level: str = "warning") -> dict[str, Any]:
    return {"level": level, "message": {"text": text}}


def root_uri(root: Path) -> str:
    return root.absolute().as_uri().rstrip("/") + "/"


def input_notification(finding: Finding, root: PurePath) -> dict[str, Any]:
    """A page kb could not read: an error-level tool execution notification located at the file."""
    text = finding.message + (f" (fix: {finding.fix})" if finding.fix else "")
    location = {"physicalLocation": {"artifactLocation": artifact_location(display_path(finding.path, root))}}
    descriptor = {"id": INPUT_ERROR_RULE}
    return {"level": "error", "message": {"text": text}, "locations": [location], "descriptor": descriptor}


def document(findings: Sequence[Finding], report: Report) -> dict[str, Any]:
    """The SARIF log as a dict. Pages that could not be read are error notifications and make the run unsuccessful."""
    rule_index = {rule_id: index for index, rule_id in enumerate(RULES)}
    unread = [f for f in ordered(findings, report.root) if f.rule == INPUT_ERROR_RULE]
    findings = [f for f in findings if f.rule != INPUT_ERROR_RULE]
    kept, dropped = capped(findings, report.root)
    notes = [input_notification(f, report.root) for f in unread] + [notification(note) for note in report.notes]
    if dropped:
        why = f"GitHub code scanning keeps at most {MAX_RESULTS:,} per run; the most severe are included"
        notes.append(notification(f"{dropped} of {len(findings)} results left out: {why}"))
    driver = {
        "name": "kb",
        "version": report.tool_version,
        "semanticVersion": report.tool_version,
        "rules": [rule_descriptor(rule) for rule in RULES.values()],
    }
    run = {
        "tool": {"driver": driver},
        "invocations": [{"executionSuccessful": not unread, "toolExecutionNotifications": notes}],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri(report.root)}},
        "columnKind": "unicodeCodePoints",
        "results": [result(f, display_path(f.path, report.root), rule_index) for f in kept],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(findings: Sequence[Finding], report: Report) -> str:
    return json_text(document(findings, report), ascii_only=True)
