"""One finding per defect: where two rules report one defect on one span, the finding of the primary rule stays
and the other's message becomes a note in it. A figure the source gives otherwise is figure-mismatch's, not also a
contradiction or weak evidence, and an unsourced claim that states it, or a do-not-use misreading of it, is one
finding with it; a stance the knowledge base forbids is disallowed-claim's; a claim with no source is
unsupported-claim's, not also weak evidence; a figure another rule judges is not also an unverified statistic. An
unsourced figure said again in its paragraph is reported once."""

from __future__ import annotations

from kb.fastclass import replace
from kb.records import Finding

# secondary rule -> the rules that report the same defect first
ABSORBED_BY: dict[str, tuple[str, ...]] = {
    "contradiction": ("figure-mismatch", "misattribution", "disallowed-claim"),
    "weak-evidence": ("unsupported-claim", "figure-mismatch"),
    # a figure the sourced claim gives otherwise, that an unsourced claim states: one defect, judged by the source
    "unsupported-claim": ("figure-mismatch",),
    # a figure the knowledge base records as a do-not-use misreading: that claim's finding, the source's figure noted
    "figure-mismatch": ("disallowed-claim",),
    # risky words inside a do-not-use claim the sentence states are that claim's defect, not a second one
    "disallowed-claim": ("disallowed-claim",),
    # a figure another rule already judges (against its source, as do-not-use, as unsourced) is not also unverified
    "unverified-statistic": ("figure-mismatch", "contradiction", "disallowed-claim", "unsupported-claim"),
}


ONE_FIGURE = {
    ("figure-mismatch", "disallowed-claim"),
    ("unsupported-claim", "figure-mismatch"),
    # a figure inside risky words ("backed by over 20 clinical studies"): the wording's finding quotes it
    ("unverified-statistic", "disallowed-claim"),
}


def _span(finding: Finding) -> tuple[int, int, int, int]:
    return (finding.line, finding.column, finding.end_line, finding.end_column)


def _overlap(a: Finding, host: Finding) -> bool:
    """Two findings point at one defect: the same words, or overlapping words within one sentence when the host
    rests on a claim and the other on no other claim (a stance read from "generally safe" and the contradiction of
    its sentence); risky wording inside a curated quote is a defect of its own."""
    if a.path != host.path:
        return False
    if _span(a) == _span(host):
        return True
    # One figure judged from two claims: the misreading the knowledge base forbids and the source's figure it is
    # not; or the unsourced claim that states it and the source's figure it is not.
    one_figure = (a.rule, host.rule) in ONE_FIGURE
    if not one_figure and (host.claim_id is None or a.claim_id not in (None, host.claim_id)):
        return False  # two curated verdicts on two claims are two defects
    if (a.sentence or a.text) != (host.sentence or host.text):
        return False
    return (a.line, a.column) < (host.end_line, host.end_column) and (host.line, host.column) < (
        a.end_line,
        a.end_column,
    )


def _may_absorb(host: Finding, finding: Finding) -> bool:
    """Within one rule, only wording that rests on no claim goes into a claim's finding."""
    return host.rule != finding.rule or (finding.claim_id is None and host.claim_id is not None)


def merge_angles(findings: list[Finding]) -> list[Finding]:
    kept = list(findings)
    by_sentence: dict[tuple[str, str], list[int]] = {}  # only findings on one sentence can share a defect
    for index, finding in enumerate(kept):
        by_sentence.setdefault((finding.path, finding.sentence or finding.text), []).append(index)
    absorbed: set[int] = set()
    # Weak evidence goes into its unsourced claim before that claim's finding goes into a figure-mismatch.
    for index in sorted(range(len(kept)), key=lambda at: kept[at].rule != "weak-evidence"):
        finding = kept[index]
        for rule in ABSORBED_BY.get(finding.rule, ()):
            target = next(
                (
                    at
                    for at in by_sentence[(finding.path, finding.sentence or finding.text)]
                    if kept[at].rule == rule
                    and at not in absorbed
                    and at != index
                    and _overlap(finding, kept[at])
                    and _may_absorb(kept[at], finding)
                ),
                None,
            )
            if target is None:
                continue
            if finding.rule == "weak-evidence" and finding.claim_id != kept[target].claim_id:
                continue
            host = kept[target]
            if finding.rule == rule:  # the words, without the advice the host already gives
                kept[target] = replace(host, message=f"{host.message} (Also {finding.message.split('. ')[0]})")
            elif finding.rule == "unverified-statistic":
                pass  # the host already says what the source gives, or that there is none
            elif finding.rule != "contradiction" or "known page" in finding.message:
                # a note only where the other angle adds something (the pages that disagree), not the source again
                note = finding.message.split(" (Also ")[0]  # the angle itself, not the notes it took in
                kept[target] = replace(host, message=f"{host.message} (Also {finding.rule}: {note})")
            absorbed.add(index)
            break
    return [finding for index, finding in enumerate(kept) if index not in absorbed]


def once_a_page(findings: list[Finding]) -> list[Finding]:
    """An unsourced figure said again on its page ("5 mg is a common dose … avoid jumping straight to 5 mg") is the
    one statistic to source: the first finding stands for all, and names the lines that repeat it. Run after the
    suppressions: a comment silences its own line, not the figure's other lines."""
    first: dict[tuple[str, str], int] = {}
    again: dict[int, list[int]] = {}
    kept: list[Finding] = []
    for finding in findings:
        if finding.rule == "unverified-statistic":
            key = (finding.path, "".join(finding.text.lower().split()))
            if key in first:
                lines = again.setdefault(first[key], [])
                if finding.line != kept[first[key]].line and finding.line not in lines:
                    lines.append(finding.line)
                continue
            first[key] = len(kept)
        kept.append(finding)
    for index, lines in again.items():
        said = ", ".join(map(str, lines))
        kept[index] = replace(
            kept[index], message=f"{kept[index].message} (Also on line{'s' if len(lines) > 1 else ''} {said}.)"
        )
    return kept
