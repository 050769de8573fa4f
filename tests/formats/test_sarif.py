"""SARIF for code scanning: rule help in Markdown, documentation links only when configured, the suggested wording
as a message and a `fixes` entry, and locations relative to the repository's top level. Every log validates."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kb.check.registry import RULES
from kb.cli.app import app
from kb.fastclass import replace
from kb.formats import render
from kb.formats.report import OutputFormat, Report
from kb.formats.sarif import sentence_end
from kb.records import Finding, Severity

ROOT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = ROOT.parent / "shared" / "reference" / "sarif-schema-2.1.0.json"
DOCS = "https://example.org/kb/README.md"

SENTENCE = Finding(
    "blog/post.md", 4, 1, 4, 27, "figure-mismatch", Severity.ERROR,
    "Says 80%, the source says 8%", "80% of participants improved.",
    claim_id="figure-claim", score=90.0, evidence="moderate", fix="About 8% of participants improved (Author 2019)",
)  # fmt: skip
PHRASE = replace(SENTENCE, column=5, end_column=17, text="participants", rule="misattribution")
REPORT = Report(files_checked=1, tool_version="0.1.0", root=Path("/srv/repo/site"))


def sarif(findings: list[Finding], report: Report = REPORT) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render(findings, OutputFormat.SARIF, report))
    return log


def assert_valid(log: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"{SARIF_SCHEMA} is missing (cloned without ../shared); CI has it")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert list(jsonschema.Draft4Validator(schema).iter_errors(log)) == []


# ---------------------------------------------------------------- rules


def test_every_rule_has_long_help_in_text_and_markdown() -> None:
    rules = sarif([])["runs"][0]["tool"]["driver"]["rules"]
    for descriptor in rules:
        rule = RULES[descriptor["id"]]
        assert rule.why and rule.example and rule.example_fix, rule.id
        assert descriptor["fullDescription"]["text"] == f"{rule.summary} {rule.why}"
        text, markdown = descriptor["help"]["text"], descriptor["help"]["markdown"]
        for part in (rule.summary, rule.why, rule.help, rule.example, rule.example_fix):
            assert part in text and part in markdown
        assert "**Why it matters.**" in markdown and f"> {rule.example}\n" in markdown
        assert "**" not in text


def test_no_documentation_links_without_docs_url() -> None:
    log = sarif([SENTENCE])
    driver = log["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver
    assert all("helpUri" not in rule for rule in driver["rules"])
    assert "http" not in json.dumps(driver)
    assert_valid(log)


def test_documentation_links_with_docs_url() -> None:
    log = sarif([SENTENCE], replace(REPORT, docs_url=DOCS))
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == DOCS
    assert [rule["helpUri"] for rule in driver["rules"]] == [f"{DOCS}#rule-{rule_id}" for rule_id in RULES]
    assert_valid(log)


# ---------------------------------------------------------------- the suggested wording


def test_the_suggested_wording_ends_the_message() -> None:
    [with_fix, without] = sarif([SENTENCE, replace(SENTENCE, line=9, end_line=9, fix=None)])["runs"][0]["results"]
    assert with_fix["message"]["text"] == (
        "Says 80%, the source says 8%. Suggested wording: About 8% of participants improved (Author 2019)"
    )
    assert without["message"]["text"] == "Says 80%, the source says 8%" and "fixes" not in without
    ended = sarif([replace(SENTENCE, message="Wrong figure!")])["runs"][0]["results"][0]
    assert ended["message"]["text"].startswith("Wrong figure! Suggested wording: ")


def test_a_fix_replaces_the_sentence_it_rewrites() -> None:
    log = sarif([SENTENCE])
    [res] = log["runs"][0]["results"]
    [fix] = res["fixes"]
    [change] = fix["artifactChanges"]
    assert change["artifactLocation"] == res["locations"][0]["physicalLocation"]["artifactLocation"]
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 4, "startColumn": 1, "endLine": 4, "endColumn": 27},
            "insertedContent": {"text": "About 8% of participants improved (Author 2019)."},  # the sentence's full stop
        }
    ]
    assert fix["description"]["text"]
    assert_valid(log)


def test_a_fix_keeps_its_own_closing_mark() -> None:
    res = sarif([replace(SENTENCE, fix="About 8% improved.")])["runs"][0]["results"][0]
    assert res["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"] == {"text": "About 8% improved."}


def test_no_fix_entry_for_a_phrase_inside_a_sentence() -> None:
    [res] = sarif([PHRASE])["runs"][0]["results"]
    assert "fixes" not in res and "Suggested wording" in res["message"]["text"]


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("80% of participants improved.", "."),
        ("Does it work?", "?"),
        ("It said \u201cit works.\u201d", "."),
        ("Wait for it\u2026", "\u2026"),
        ("a study out of City A", None),
        ("after the second visit.", None),
        ("A study in Journal A", None),
        ("", None),
    ],
)
def test_sentence_end(text: str, end: str | None) -> None:
    assert sentence_end(text) == end


# ---------------------------------------------------------------- locations


def test_locations_are_relative_to_the_repository_top_level() -> None:
    report = replace(REPORT, source_root=Path("/srv/repo"))
    inside = replace(SENTENCE, path="/srv/repo/other/page.md", line=1, end_line=1)
    outside = replace(SENTENCE, path="/elsewhere/page.md", line=2, end_line=2)
    above = replace(SENTENCE, path="../../up.md", line=3, end_line=3)
    stdin = replace(SENTENCE, path="-")
    log = sarif([SENTENCE, inside, outside, above, stdin], report)
    run = log["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/repo/"}}
    located = [res["locations"][0]["physicalLocation"]["artifactLocation"] for res in run["results"]]
    assert sorted(located, key=str) == sorted(
        [
            {"uri": "site/blog/post.md", "uriBaseId": "%SRCROOT%"},
            {"uri": "other/page.md", "uriBaseId": "%SRCROOT%"},
            {"uri": "file:///elsewhere/page.md"},
            {"uri": "file:///srv/up.md"},
            {"uri": "-", "uriBaseId": "%SRCROOT%"},
        ],
        key=str,
    )
    assert_valid(log)


def test_without_a_repository_the_checked_root_is_srcroot() -> None:
    run = sarif([SENTENCE])["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/repo/site/"}}
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "blog/post.md"


def test_unreadable_pages_are_located_from_the_top_level_too() -> None:
    unread = Finding("blog/bad.md", 1, 1, 1, 1, "input-error", Severity.ERROR, "cannot read this page: binary", "")
    run = sarif([unread], replace(REPORT, source_root=Path("/srv/repo")))["runs"][0]
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "site/blog/bad.md"


# ---------------------------------------------------------------- end to end


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with kb.toml (docs-url set) at its top and a page two folders down."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    top = tmp_path / "repo"
    (top / "site" / "blog").mkdir(parents=True)
    git(top, "init", "-q")
    (top / "kb.toml").write_text(f'data = "{ROOT / "data"}"\ndocs-url = "{DOCS}"\n', encoding="utf-8")
    (top / "site" / "blog" / "post.md").write_text(
        "# Post\n\nResearchers in Boston found that almost 75 percent of patients improved.\n", encoding="utf-8"
    )
    monkeypatch.chdir(top / "site")
    return top


def test_a_page_in_a_subfolder_checked_from_a_subfolder_of_a_repository(repository: Path, tmp_path: Path) -> None:
    runner = CliRunner(env={"KB_DATA": None, "KB_DATABASE_URL": None, "NO_COLOR": "1"})
    argv = ["check", "blog/post.md", "--format", "sarif", "--fail-on", "none", "--db", str(tmp_path / "i.sqlite")]
    result = runner.invoke(app, argv, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    log = json.loads(result.stdout)
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repository.resolve().as_uri() + "/"
    assert run["tool"]["driver"]["informationUri"] == DOCS
    assert run["tool"]["driver"]["rules"][0]["helpUri"] == f"{DOCS}#rule-unsupported-claim"
    assert run["results"]
    for res in run["results"]:
        location = res["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": "site/blog/post.md", "uriBaseId": "%SRCROOT%"}
    fixed = [res for res in run["results"] if "fixes" in res]
    assert fixed, "the flagged sentence has an approved wording"
    for res in fixed:
        [replacement] = res["fixes"][0]["artifactChanges"][0]["replacements"]
        assert replacement["deletedRegion"]["startLine"] == 3 and replacement["deletedRegion"]["startColumn"] == 1
        assert replacement["insertedContent"]["text"] in res["message"]["text"] + "."
    assert_valid(log)
