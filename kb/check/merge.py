"""One finding per defect: where two rules report one defect on one span, the finding of the primary rule stays
and the other's message becomes a note in it. A figure the source gives otherwise is figure-mismatch's, not also a
contradiction; a stance the knowledge base forbids is disallowed-claim's; a claim with no source is
unsupported-claim's, not also weak evidence."""

from __future__ import annotations

from dataclasses import replace

from kb.records import Finding

# secondary rule -> the rules that report the same defect first
ABSORBED_BY: dict[str, tuple[str, ...]] = {
    "contradiction": ("figure-mismatch", "misattribution", "disallowed-claim"),
    "weak-evidence": ("unsupported-claim",),
}


def _span(finding: Finding) -> tuple[str, int, int, int, int]:
    return (finding.path, finding.line, finding.column, finding.end_line, finding.end_column)


def merge_angles(findings: list[Finding]) -> list[Finding]:
    primary: dict[tuple[tuple[str, int, int, int, int], str], int] = {}
    kept: list[Finding] = []
    for finding in findings:
        primary.setdefault((_span(finding), finding.rule), len(kept))
        kept.append(finding)
    absorbed: set[int] = set()
    for index, finding in enumerate(kept):
        for rule in ABSORBED_BY.get(finding.rule, ()):
            target = primary.get((_span(finding), rule))
            if target is None or target in absorbed:
                continue
            if finding.rule == "weak-evidence" and finding.claim_id != kept[target].claim_id:
                continue
            host = kept[target]
            if finding.rule != "contradiction" or "known page" in finding.message:
                # a note only where the other angle adds something (the pages that disagree), not the source again
                kept[target] = replace(host, message=f"{host.message} (Also {finding.rule}: {finding.message})")
            absorbed.add(index)
            break
    return [finding for index, finding in enumerate(kept) if index not in absorbed]
