"""`sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers, as plain dicts.

One run. `tool.driver.rules` lists every rule kb has (not only those found), so a viewer can explain any rule id;
results point into it with `ruleIndex`. Each rule carries its long help as text and Markdown (what is flagged, why
it matters, how to fix, an example); `helpUri` (`{docs-url}#rule-{id}`) and the driver's `informationUri` only when
`docs-url` is configured, never an invented address.

Locations are relative to `%SRCROOT%`, the repository's top level (`Report.source_root`; the checked root outside
a repository), so code scanning finds the files whichever folder kb ran in. Columns count Unicode code points
(`columnKind`), matching `Finding`. `partialFingerprints["kbFinding/v1"]` is `Finding.fingerprint`, which ignores
the position, so code scanning keeps an alert's history when lines move.

A finding's suggested wording (`Finding.fix`) ends its message, and is a `fixes` entry replacing the finding's
region when that region is a whole sentence (it starts with a capital or a digit and ends in . ! ? or …): the
approved wording rewrites a sentence, not a phrase inside one.
GitHub keeps at most 25,000 results per run: beyond that the most severe are kept and a notification says so.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
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
SENTENCE_END = re.compile(r"([.!?\u2026])[\"'\u201d\u2019)\]]*$")


def camel_case(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.split("-"))


def rule_descriptor(rule: Rule, docs_url: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": rule.id,
        "name": camel_case(rule.id),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(part for part in (rule.summary, rule.why) if part)},
        "help": {"text": rule.help_text(), "markdown": rule.help_markdown()},
    }
    if docs_url:
        data["helpUri"] = f"{docs_url}#rule-{rule.id}"  # the README's <a id="rule-..."> anchors
    data |= {"defaultConfiguration": {"level": LEVELS[rule.severity]}, "properties": {"tags": TAGS}}
    return data


def _bases(folder: Path) -> list[Path]:
    return list(dict.fromkeys((folder.absolute(), folder.resolve())))


def artifact_paths(report: Report) -> Callable[[str], str]:
    """A finding's path as SARIF names it: relative to `%SRCROOT%` when inside it, else absolute (`-` is stdin)."""
    top = report.source_root
    if top is None:
        return lambda path: display_path(path, report.root)
    tops = _bases(top)
    prefix = next(
        (
            root.relative_to(base).as_posix()
            for root in _bases(report.root)
            for base in tops
            if root.is_relative_to(base)
        ),
        None,
    )

    def locate(path: str) -> str:
        shown = display_path(path, report.root)
        if shown == "-":
            return shown
        if not PurePath(shown).is_absolute():
            joined = posixpath.normpath(posixpath.join(prefix, shown)) if prefix is not None else ".."
            if joined != ".." and not joined.startswith("../"):
                return joined
            shown = posixpath.normpath(posixpath.join(report.root.absolute().as_posix(), shown))
        return display_path(shown, top)

    return locate


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


def message_text(finding: Finding) -> str:
    """The message, then the suggested wording when there is one."""
    if not finding.fix:
        return finding.message
    message = finding.message.rstrip()
    return f"{message}{' ' if SENTENCE_END.search(message) else '. '}Suggested wording: {finding.fix}"


def sentence_end(text: str) -> str | None:
    """The closing mark (. ! ? …) of a whole sentence, or None when `text` is not one."""
    text = text.strip()
    first = next((char for char in text if char.isalnum()), None)
    end = SENTENCE_END.search(text)
    return end.group(1) if first is not None and not first.islower() and end else None


def fixes(finding: Finding, location: dict[str, Any]) -> list[dict[str, Any]]:
    """The suggested wording as a replacement of the finding's region, when that region is the sentence it
    rewrites; the sentence's closing mark is kept when the wording has none."""
    end = sentence_end(finding.text)
    if not finding.fix or end is None:
        return []
    wording = finding.fix if sentence_end(finding.fix) else finding.fix.rstrip() + end
    deleted = {key: value for key, value in region(finding).items() if key != "snippet"}
    replacement = {"deletedRegion": deleted, "insertedContent": {"text": wording}}
    change = {"artifactLocation": location, "replacements": [replacement]}
    return [{"description": {"text": "Use the approved wording"}, "artifactChanges": [change]}]


def result(finding: Finding, path: str, rule_index: dict[str, int]) -> dict[str, Any]:
    data: dict[str, Any] = {"ruleId": finding.rule}
    if finding.rule in rule_index:
        data["ruleIndex"] = rule_index[finding.rule]
    extra = {"claimId": finding.claim_id, "score": finding.score, "evidence": finding.evidence, "fix": finding.fix}
    location = artifact_location(path)
    data |= {
        "level": LEVELS[finding.severity],
        "message": {"text": message_text(finding)},
        "locations": [{"physicalLocation": {"artifactLocation": location, "region": region(finding)}}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    if suggested := fixes(finding, location):
        data["fixes"] = suggested
    data["properties"] = {key: value for key, value in extra.items() if value is not None}
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


def input_notification(finding: Finding, path: str) -> dict[str, Any]:
    """A page kb could not read: an error-level tool execution notification located at the file."""
    text = finding.message + (f" (fix: {finding.fix})" if finding.fix else "")
    location = {"physicalLocation": {"artifactLocation": artifact_location(path)}}
    descriptor = {"id": INPUT_ERROR_RULE}
    return {"level": "error", "message": {"text": text}, "locations": [location], "descriptor": descriptor}


def document(findings: Sequence[Finding], report: Report) -> dict[str, Any]:
    """The SARIF log as a dict. Pages that could not be read are error notifications and make the run unsuccessful."""
    rule_index = {rule_id: index for index, rule_id in enumerate(RULES)}
    unread = [f for f in ordered(findings, report.root) if f.rule == INPUT_ERROR_RULE]
    findings = [f for f in findings if f.rule != INPUT_ERROR_RULE]
    kept, dropped = capped(findings, report.root)
    located = artifact_paths(report)
    notes = [input_notification(f, located(f.path)) for f in unread] + [notification(note) for note in report.notes]
    if dropped:
        why = f"GitHub code scanning keeps at most {MAX_RESULTS:,} per run; the most severe are included"
        notes.append(notification(f"{dropped} of {len(findings)} results left out: {why}"))
    driver: dict[str, Any] = {"name": "kb", "version": report.tool_version, "semanticVersion": report.tool_version}
    if report.docs_url:
        driver["informationUri"] = report.docs_url
    driver["rules"] = [rule_descriptor(rule, report.docs_url) for rule in RULES.values()]
    run = {
        "tool": {"driver": driver},
        "invocations": [{"executionSuccessful": not unread, "toolExecutionNotifications": notes}],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri(report.source_root or report.root)}},
        "columnKind": "unicodeCodePoints",
        "results": [result(f, located(f.path), rule_index) for f in kept],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(findings: Sequence[Finding], report: Report) -> str:
    return json_text(document(findings, report), ascii_only=True)
