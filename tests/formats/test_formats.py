"""Output formats of `kb check`: golden outputs for a fixed set of findings, plus the contracts each format keeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.check.registry import RULES
from kb.fastclass import replace
from kb.formats import FORMATTERS, render
from kb.formats import github as github_format
from kb.formats import json as json_format
from kb.formats import sarif as sarif_format
from kb.formats.report import OutputFormat, Report, summary
from kb.records import Finding, Severity
from kb.text.paths import display_path

GOLDEN = Path(__file__).parents[1] / "golden"
SARIF_SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "reference" / "sarif-schema-2.1.0.json"
SUFFIX = {
    OutputFormat.TEXT: "txt", OutputFormat.LINE: "txt", OutputFormat.JSON: "json",
    OutputFormat.SARIF: "sarif", OutputFormat.GITHUB: "txt", OutputFormat.HTML: "html", OutputFormat.MARKDOWN: "md",
}  # fmt: skip

# Deliberately out of order: every format sorts by (path, line, column, rule).
FINDINGS = (
    Finding("pages/caffeine.md", 2, 10, 2, 35, "figure-mismatch", Severity.ERROR,
            "Says 80% of adults, the source says 8% (n=1,200, 2019)", "80% of adults drink coffee",
            claim_id="caffeine-prevalence", score=87.5, evidence="moderate",
            fix="About 8% of adults drink more than 400 mg of caffeine a day (Mitchell 2019)"),
    Finding("docs/sleep.md", 7, 1, 7, 15, "stale-recency", Severity.WARNING,
            "\"A recent study\" but the source is from 2013: drop \"recent\" or give the year", "A recent study",
            claim_id="melatonin-onset", evidence="moderate"),
    Finding("docs/sleep.md", 3, 14, 3, 38, "unsupported-claim", Severity.ERROR,
            "No source backs \"melatonin cures insomnia\", so cite one or reword it", "melatonin cures insomnia",
            claim_id="melatonin-onset", score=91.0, evidence="moderate",
            fix="Melatonin may help people fall asleep about 7 minutes sooner (Ferracioli-Oda 2013)"),
    Finding("pages/caffeine.md", 2, 1, 2, 9, "contradiction", Severity.WARNING,
            "Stated half-life 12 h conflicts with the knowledge base's 5 h", "Caffeine", claim_id="caffeine-half-life"),
    Finding("docs/sleep.md", 12, 5, 12, 30, "weak-evidence", Severity.INFO,
            "Evidence is very low for “≥ 5 µg/day of vitamin D” in Zürich’s study; add the caveat",
            "≥ 5 µg/day of vitamin D", claim_id="vitd-sleep", score=78.25, evidence="very-low"),
)  # fmt: skip
REPORT = Report(
    files_checked=3, tool_version="0.1.0", root=Path("/srv/site"),
    notes=("docs/broken.md: invalid UTF-8 at line 3, column 7 (byte 0xff); replaced with U+FFFD",),
)  # fmt: skip
CLEAN = Report(files_checked=2, tool_version="0.1.0", root=Path("/srv/site"))


def test_every_format_has_a_formatter() -> None:
    assert set(FORMATTERS) == set(OutputFormat)
    for fmt in OutputFormat:
        assert isinstance(render(FINDINGS, fmt, REPORT), str)
        assert render(FINDINGS, fmt.value, REPORT) == render(FINDINGS, fmt, REPORT)


@pytest.mark.parametrize("fmt", list(OutputFormat), ids=lambda f: f.value)
def test_golden(fmt: OutputFormat) -> None:
    expected = (GOLDEN / f"{fmt.value}.{SUFFIX[fmt]}").read_text(encoding="utf-8")
    assert render(FINDINGS, fmt, REPORT) == expected


@pytest.mark.parametrize("fmt", list(OutputFormat), ids=lambda f: f.value)
def test_outputs_end_in_one_newline_without_trailing_spaces(fmt: OutputFormat) -> None:
    out = render(FINDINGS, fmt, REPORT)
    assert out.endswith("\n") and not out.endswith("\n\n")
    assert all(line == line.rstrip() for line in out.splitlines())


def test_clean_outputs() -> None:
    assert render([], OutputFormat.JSON, CLEAN) == "[]\n"
    assert render([], OutputFormat.LINE, CLEAN) == ""
    assert render([], OutputFormat.GITHUB, CLEAN) == ""
    assert render([], OutputFormat.TEXT, CLEAN) == ""
    assert json.loads(render([], OutputFormat.SARIF, CLEAN))["runs"][0]["results"] == []


def test_summary() -> None:
    assert summary(FINDINGS, REPORT) == "2 errors, 2 warnings, 1 info in 3 files"
    assert summary(FINDINGS[:1], replace(REPORT, files_checked=1)) == "1 error in 1 file"
    assert summary([], CLEAN) == "no problems in 2 files"


def test_text_colour_only_when_asked() -> None:
    assert "\x1b[" not in render(FINDINGS, OutputFormat.TEXT, REPORT)
    coloured = render(FINDINGS, OutputFormat.TEXT, replace(REPORT, color=True))
    assert "\x1b[1;31merror" in coloured


def test_display_path() -> None:
    root = Path("/srv/site")
    assert display_path("/srv/site/docs/a.md", root) == "docs/a.md"
    assert display_path("./docs/a.md", root) == "docs/a.md"
    assert display_path("docs/a.md", root) == "docs/a.md"
    assert display_path("/elsewhere/a.md", root) == "/elsewhere/a.md"


def test_json_keys_and_order() -> None:
    objects = json.loads(render(FINDINGS, OutputFormat.JSON, REPORT))
    assert [tuple(obj) for obj in objects] == [json_format.KEYS] * len(FINDINGS)
    assert json_format.KEYS == (
        "path", "line", "column", "end_line", "end_column", "severity", "rule", "message", "text", "claim_id",
        "score", "evidence", "fix", "sentence", "fingerprint",
    )  # fmt: skip
    assert set(json_format.KEYS) == set(FINDINGS[0].to_dict())
    assert [(o["path"], o["line"]) for o in objects] == [
        ("docs/sleep.md", 3), ("docs/sleep.md", 7), ("docs/sleep.md", 12), ("pages/caffeine.md", 2),
        ("pages/caffeine.md", 2),
    ]  # fmt: skip


def test_line_format_keeps_one_finding_per_line() -> None:
    finding = replace(FINDINGS[0], message="first line\nsecond  line")
    assert render([finding], OutputFormat.LINE, REPORT) == (
        "pages/caffeine.md:2:10:error:figure-mismatch:first line second line\n"
    )


def sarif(findings: tuple[Finding, ...] | list[Finding], report: Report = REPORT) -> dict[str, object]:
    return json.loads(render(findings, OutputFormat.SARIF, report))  # type: ignore[no-any-return]


@pytest.mark.parametrize("findings", [FINDINGS, ()], ids=["findings", "clean"])
def test_sarif_is_valid(findings: tuple[Finding, ...]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"{SARIF_SCHEMA} is missing (cloned without ../shared); CI has it")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(sarif(findings)))
    assert errors == []


def test_sarif_lists_every_rule_and_points_into_the_list() -> None:
    run = sarif(FINDINGS)["runs"][0]  # type: ignore[index]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(RULES)
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    assert rules[0]["name"] == "UnsupportedClaim"
    assert "helpUri" not in rules[0] and RULES["unsupported-claim"].help in rules[0]["help"]["text"]


def test_sarif_fingerprints_ignore_the_line() -> None:
    moved = [replace(f, line=f.line + 40, end_line=f.end_line + 40) for f in FINDINGS]
    before = sarif(FINDINGS)["runs"][0]["results"]  # type: ignore[index]
    after = sarif(moved)["runs"][0]["results"]  # type: ignore[index]
    expected = sorted(f.fingerprint for f in FINDINGS)
    assert sorted(r["partialFingerprints"]["kbFinding/v1"] for r in before) == expected
    assert sorted(r["partialFingerprints"]["kbFinding/v1"] for r in after) == expected


def test_sarif_absolute_paths() -> None:
    inside, outside = (replace(FINDINGS[0], path=p) for p in ("/srv/site/docs/a b.md", "/elsewhere/a.md"))
    results = sarif([inside, outside])["runs"][0]["results"]  # type: ignore[index]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in results]
    assert locations == [{"uri": "file:///elsewhere/a.md"}, {"uri": "docs/a%20b.md", "uriBaseId": "%SRCROOT%"}]


def test_sarif_caps_results(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif_format, "MAX_RESULTS", 3)
    run = sarif(FINDINGS)["runs"][0]  # type: ignore[index]
    assert sorted(r["level"] for r in run["results"]) == ["error", "error", "warning"]
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert notes[0] == REPORT.notes[0]
    assert notes[1].startswith("2 of 5 results left out")


def test_github_escaping() -> None:
    assert github_format.escape_data("50%, a:b\r\nc") == "50%25, a:b%0D%0Ac"
    assert github_format.escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    finding = replace(FINDINGS[0], path="docs/a,b:c.md", message="100% wrong,\nsee: x", fix=None)
    assert render([finding], OutputFormat.GITHUB, REPORT) == (
        "::error file=docs/a%2Cb%3Ac.md,line=2,col=10,endLine=2,endColumn=35,title=kb figure-mismatch"
        "::100%25 wrong,%0Asee: x\n"
    )


def test_github_annotates_ten_of_each_level() -> None:
    counts = {Severity.ERROR: 12, Severity.WARNING: 11, Severity.INFO: 3}
    findings = [
        replace(FINDINGS[1], severity=severity, line=line)
        for severity, count in counts.items()
        for line in range(1, count + 1)
    ]
    lines = render(findings, OutputFormat.GITHUB, REPORT).splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 10
    assert sum(line.startswith("::notice ") for line in lines) == 3
    assert lines[23] == "3 more not annotated (GitHub shows at most 10 of each level per step):"
    assert lines[24:] == [
        'docs/sleep.md:11:1: error stale-recency: "A recent study" but the source is from 2013: drop "recent" or give '
        "the year",
        'docs/sleep.md:11:1: warning stale-recency: "A recent study" but the source is from 2013: drop "recent" or '
        "give the year",
        'docs/sleep.md:12:1: error stale-recency: "A recent study" but the source is from 2013: drop "recent" or give '
        "the year",
    ]


def test_machine_formats_do_not_import_rich() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from kb.formats import render; from kb.formats.report import Report; "
        "r = Report(0, '0', Path('.')); [render([], f, r) for f in ('json', 'line', 'sarif', 'github')]; "
        "assert not [m for m in sys.modules if m.startswith('rich')], 'rich imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
