"""`kb check` end to end on the bundled knowledge base: curated verdicts, fresh pages, exit codes, CI features."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from kb.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
FRESH = ROOT / "tests" / "fixtures" / "check"
SCHEMA = ROOT.parent / "shared" / "reference" / "sarif-schema-2.1.0.json"
FLAGGED = ("misattributed", "misquoted", "overstated", "unsupported", "contradicted")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("check") / "index.sqlite"


@pytest.fixture
def kb(index: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """Run `kb check …` in-process from a folder with no kb.toml, against the bundled data."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner(env={"KB_DATA": None, "KB_DATABASE_URL": None, "NO_COLOR": "1"})

    def run(*args: object, stdin: str | None = None) -> tuple[int, str, str]:
        argv = ["check", *map(str, args), "--data", str(DATA), "--db", str(index)]
        result = runner.invoke(app, argv, input=stdin, catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return run


def _findings(kb: Any, *args: object) -> list[dict[str, Any]]:
    code, out, err = kb(*args, "--format", "json", "--fail-on", "none")
    assert code == 0, err
    findings: list[dict[str, Any]] = json.loads(out)
    return findings


def _mentions() -> list[tuple[str, dict[str, Any], Path]]:
    pages = {page["id"]: DATA / page["file"] for page in yaml.safe_load((DATA / "pages.yaml").read_text())["pages"]}
    claims = yaml.safe_load((DATA / "claims.yaml").read_text())["claims"]
    return [(claim["id"], mention, pages[mention["page"]]) for claim in claims for mention in claim.get("mentions", [])]


def _position(path: Path, quote: str) -> tuple[int, int]:
    text = path.read_text(encoding="utf-8")
    at = text.index(quote)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def test_bundled_pages_report_every_flagged_mention_where_its_quote_is(kb: Any) -> None:
    findings = _findings(kb, DATA / "pages")
    at = {(f["path"], f["line"], f["column"], f["claim_id"]) for f in findings}
    missing = []
    for claim_id, mention, path in _mentions():
        if mention["verdict"] in FLAGGED:
            line, column = _position(path, mention["quote"])
            if (path.as_posix(), line, column, claim_id) not in at:
                missing.append(f"{claim_id} {mention['verdict']} {path.name}:{line}:{column}")
    assert missing == []


def test_accurate_mentions_are_never_misattributed_or_mismatched(kb: Any) -> None:
    findings = _findings(kb, DATA / "pages")
    accurate = {(claim_id, str(path)) for claim_id, mention, path in _mentions() if mention["verdict"] == "accurate"}
    wrong = [
        f
        for f in findings
        if f["rule"] in ("misattribution", "figure-mismatch")
        and (f["claim_id"], f["path"]) in accurate
        and not any(m["verdict"] != "accurate" for c, m, p in _mentions() if c == f["claim_id"] and str(p) == f["path"])
    ]
    assert wrong == []


def _by_line(findings: list[dict[str, Any]], name: str) -> dict[int, set[str]]:
    lines: dict[int, set[str]] = {}
    for f in findings:
        if f["path"].endswith(name):
            lines.setdefault(f["line"], set()).add(f["rule"])
    return lines


def test_a_fresh_markdown_page_is_matched_by_meaning(kb: Any) -> None:
    findings = _findings(kb, FRESH / "fresh.md")
    lines = _by_line(findings, "fresh.md")
    assert "misattribution" in lines[8]  # "Doctors in Boston studied sixty-one patients … three-quarters improved"
    boston = next(f for f in findings if f["line"] == 8 and f["rule"] == "misattribution")
    assert "Philadelphia" in boston["message"] and boston["text"] == "Boston"  # the wrong name, not the sentence
    assert "misattribution" in lines[14]  # the wrong journal
    assert "figure-mismatch" in lines[18]  # 40 percent on the first infusion
    assert "disallowed-claim" in lines[20]  # non-addictive
    assert not {1, 2, 3, 4, 10, 11, 12, 22} & set(lines)  # front matter, code block, "is not a cure"
    responders = [f for f in findings if f["line"] == 8 and f["rule"] == "weak-evidence"]
    assert responders and responders[0]["claim_id"] == "jefferson-61-responders"


def test_a_fresh_html_page_reports_visible_text_only(kb: Any) -> None:
    findings = _findings(kb, FRESH / "fresh.html")
    lines = _by_line(findings, "fresh.html")
    assert {"misattribution", "stale-recency"} <= lines[7]  # "British Journal of Pharmacology", "recent"
    assert "misattribution" in lines[8]  # Boston
    assert "disallowed-claim" in lines[9]  # isn't addictive
    assert not {1, 2, 3, 4, 5, 6} & set(lines)  # head, style, nav, script
    source = (FRESH / "fresh.html").read_text(encoding="utf-8").splitlines()
    for f in (f for f in findings if f["line"] in (7, 8, 9)):  # columns count the markup: "<p>" is columns 1-3
        assert f["column"] >= 4 and source[f["line"] - 1][f["column"] - 1 :].startswith(f["text"][:8]), f


def test_exit_codes(kb: Any, tmp_path: Path) -> None:
    assert kb(FRESH / "fresh.md")[0] == 1  # errors found, default --fail-on error
    assert kb(FRESH / "fresh.md", "--fail-on", "none")[0] == 0
    clean = tmp_path / "clean.md"
    clean.write_text("# Opening hours\n\nOur clinic is open on weekdays.\n", encoding="utf-8")
    code, out, _ = kb(clean, "--format", "json")
    assert (code, out) == (0, "[]\n")
    code, _, err = kb(tmp_path / "missing.md")
    assert code == 2 and "kb: error:" in err and "Traceback" not in err
    code, _, err = kb(FRESH / "fresh.md", "--fail-on", "sometimes")
    assert code == 2 and "fail-on" in err


def test_stdin(kb: Any) -> None:
    page = "<p>Researchers in Boston found that almost 75 percent of patients improved.</p>"
    code, out, _ = kb("-", "--format", "line", "--fail-on", "none", stdin=page)
    assert code == 0 and "-:1:19:error:misattribution:Credits the finding to “Boston”" in out  # after "<p>"


def test_sarif_of_a_real_run_validates(kb: Any) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        pytest.skip("../shared/reference is not beside the repository")
    code, out, _ = kb(FRESH, "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(log)
    assert log["runs"][0]["results"] and all(r["partialFingerprints"] for r in log["runs"][0]["results"])


def test_inline_suppression_with_a_reason(kb: Any, tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- kb-disable-next-line misattribution -- quoting the 2017 press release as published -->\n"
        "Researchers in Boston found that almost 75 percent of patients improved.\n",
        encoding="utf-8",
    )
    rules = {f["rule"] for f in _findings(kb, page)}
    assert "misattribution" not in rules and "weak-evidence" in rules


def test_baseline_reports_only_new_findings_and_survives_moved_lines(kb: Any, tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    old = "Researchers in Boston found that almost 75 percent of patients improved.\n"
    page.write_text(old, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    assert kb(page, "--write-baseline", baseline)[0] == 0
    page.write_text("# Moved down\n\nSome intro.\n\n" + old, encoding="utf-8")
    assert _findings(kb, page, "--baseline", baseline) == []
    page.write_text(old + "\nKetamine is completely safe for everyone.\n", encoding="utf-8")
    new = _findings(kb, page, "--baseline", baseline)
    # Only the added sentence, for its absolute wording (a page outside the site is not compared with the known pages).
    assert {f["line"] for f in new} == {3} and {f["rule"] for f in new} == {"disallowed-claim"}


def test_one_bad_file_does_not_stop_the_rest(kb: Any, tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 binary")
    (folder / "latin1.md").write_bytes(
        "Researchers in Boston found that almost 75 percent improved. Caf\xe9".encode("latin-1")
    )
    shutil.copy(FRESH / "fresh.md", folder / "fresh.md")
    code, out, err = kb(folder, "--format", "line")
    # The others are still checked, but a page that could not be read makes the run exit 2, whatever else it found.
    assert code == 2 and "Traceback" not in err
    assert "fresh.md:8:12:error:misattribution" in out and "latin1.md:1:16:error:misattribution" in out
    assert "binary.txt:1:1:error:input-error:cannot read this page: binary file" in out
    code, out, _ = kb(folder, "--format", "json", "--fail-on", "none")
    unread = [f for f in json.loads(out) if f["rule"] == "input-error"]
    assert code == 2 and [(Path(f["path"]).name, f["severity"]) for f in unread] == [("binary.txt", "error")]
    code, text, err = kb(folder, "--fail-on", "none")
    assert code == 2 and "binary" in text + err and "UTF-8" in text + err


def test_parallel_jobs_find_the_same(kb: Any) -> None:
    one = _findings(kb, DATA / "pages")
    two = _findings(kb, DATA / "pages", "--jobs", "2")
    assert one == two and one


def test_bare_kb_check_reads_the_configured_bundled_pages(
    index: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(ROOT)  # kb.toml here: data = "data", content = ["data/pages"]
    runner = CliRunner(env={"KB_DATA": None, "KB_DATABASE_URL": None, "NO_COLOR": "1"})
    result = runner.invoke(app, ["check", "--format", "json", "--db", str(index)], catch_exceptions=False)
    assert result.exit_code == 1  # the bundled pages hold errors by design
    findings = json.loads(result.stdout)
    assert {f["path"] for f in findings} == {f"data/pages/{p.name}" for p in (DATA / "pages").iterdir()}
    relaxed = runner.invoke(app, ["check", "--fail-on", "none", "--format", "line", "--db", str(index)])
    assert relaxed.exit_code == 0 and relaxed.stdout.count("\n") == len(findings)


def test_a_do_not_use_claim_is_not_reported_for_a_sentence_with_another_figure(kb: Any, tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("A study of 61 patients found that three quarters improved.\n", encoding="utf-8")
    assert "disallowed-claim" not in {f["rule"] for f in _findings(kb, page)}  # 75 %, not the do-not-use 40 %
    page.write_text("In that study, 40 percent of patients responded on the very first infusion.\n", encoding="utf-8")
    assert "figure-mismatch" in {f["rule"] for f in _findings(kb, page)}


def test_a_stance_is_judged_by_the_claims_that_take_it(kb: Any, tmp_path: Path) -> None:
    """A stance only a do-not-use claim takes is disallowed-claim on its own words; one only unsourced claims take
    is unsupported-claim; a hedged or distanced one is neither."""
    page = tmp_path / "new.md"
    page.write_text(
        "Ketamine infusions are generally safe when given by a trained team.\n\n"
        "Ketamine works by blocking NMDA receptors in the brain.\n\n"
        "Some clinics claim that ketamine infusions are generally safe.\n",
        encoding="utf-8",
    )
    found = {(f["line"], f["rule"], f["claim_id"], f["text"]) for f in _findings(kb, page)}
    assert (1, "disallowed-claim", "ketamine-very-safe-minimal-side-effects", "generally safe") in found
    assert [(f[1], f[2]) for f in found if f[0] == 3] == [("unsupported-claim", "mechanism-nmda-receptor")]
    assert not [f for f in found if f[0] == 5]


def test_a_short_sentence_is_still_read_for_risky_wording_but_a_byline_is_not(kb: Any, tmp_path: Path) -> None:
    page = tmp_path / "short.txt"
    page.write_text("The spray is completely harmless.\n\nDr. Jane Smith, MD\n\nA Breakthrough Treatment\n")
    found = [(f["line"], f["rule"]) for f in _findings(kb, page)]
    assert found == [(1, "disallowed-claim"), (5, "disallowed-claim")]
