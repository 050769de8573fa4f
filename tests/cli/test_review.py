"""`kb review` records decisions on findings; the next `kb check` shows them. Plus the "done when" scenario of
issue 12 parts 2 and 3, end to end, and `--write-baseline --reason --reviewer`."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.records import bibtex, bundled, pubmed_xml, write

ROOT = Path(__file__).resolve().parent.parent.parent
PAGE = "data/pages/advanced-pain-medical-center.txt"
STATISTIC = "data/pages/best-ketamine-clinics.txt"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    text = (ROOT / "kb.toml").read_text(encoding="utf-8") + 'baseline = ".kb-decisions.json"\n'
    (tmp_path / "kb.toml").write_text(text, encoding="utf-8")
    return tmp_path


def _findings(run: Run, *paths: str) -> list[dict[str, object]]:
    code, out, err = run("check", *paths, "--format", "json", "--fail-on", "none", "--db", "../index.sqlite")
    assert code == 0, err
    found: list[dict[str, object]] = json.loads(out)
    return found


def _at(findings: list[dict[str, object]], path: str, rule: str) -> dict[str, object]:
    """The first finding of `rule` on `path` that no curated mention judged (its message is the rule's own)."""
    for finding in findings:
        if finding["path"] == path and finding["rule"] == rule and ":" not in str(finding["message"]).split()[0]:
            return finding
    raise AssertionError(f"no {rule} on {path}")


def test_done_when_review_two_decisions_then_author_a_claim_without_opening_yaml(run: Run, project: Path) -> None:
    claims = project / "data" / "claims.yaml"
    before = claims.read_text(encoding="utf-8")
    findings = _findings(run)  # the five bundled pages
    weak = _at(findings, PAGE, "weak-evidence")
    statistic = _at(findings, STATISTIC, "unverified-statistic")
    place = f"{weak['path']}:{weak['line']}:{weak['column']}"
    code, _, err = run(
        "review",
        "mention",
        place,
        "--rule",
        "weak-evidence",
        "--verdict",
        "overstated",
        "--note",
        "The sources advise monitoring; they do not require a hospital.",
        "--db",
        "../index.sqlite",
    )
    assert code == 0, err
    code, _, err = run(
        "review",
        "false-positive",
        str(statistic["fingerprint"]),
        "--reason",
        "how long a visit lasts, not a study",
        "--reviewer",
        "A. Reviewer",
        "--date",
        "2026-12-01",
        "--db",
        "../index.sqlite",
    )
    assert code == 0, err
    # claims.yaml changed only where the decision went: inserted lines, every comment intact
    after = claims.read_text(encoding="utf-8")
    opcodes = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False).get_opcodes()
    assert {tag for tag, *_ in opcodes} == {"equal", "insert"}
    inserted = [line for tag, _, _, b0, b1 in opcodes if tag == "insert" for line in after.splitlines()[b0:b1]]
    assert inserted[0] == "      - page: advanced-pain-medical-center" and len(inserted) == 4
    decisions = json.loads((project / ".kb-decisions.json").read_text(encoding="utf-8"))["findings"]
    assert decisions == [
        {
            "fingerprint": statistic["fingerprint"],
            "rule": "unverified-statistic",
            "path": STATISTIC,
            "claim_id": None,
            "text": statistic["text"],
            "count": 1,
            "decision": "false-positive",
            "reason": "how long a visit lasts, not a study",
            "date": "2026-12-01",
            "reviewer": "A. Reviewer",
        }
    ]
    # the next kb check shows both decisions
    again = _findings(run)
    judged = [f for f in again if (f["path"], f["line"], f["column"]) == (PAGE, weak["line"], weak["column"])]
    assert [f["message"] for f in judged if f["rule"] == "weak-evidence"] == [
        "Overstated: The sources advise monitoring; they do not require a hospital."
    ]
    assert statistic["fingerprint"] not in {f["fingerprint"] for f in again}
    assert len(again) == len(findings) - 1
    code, _, err = run("check", "--fail-on", "none", "--verbose", "--db", "../index.sqlite")
    assert "1 finding(s) suppressed by the decisions in" in err

    # a writer: a new knowledge base, two imported sources, a claim on one, the copy-ready block
    site = project / "site"
    assert run("init", site)[0] == 0
    schwenk, niesters = bundled("schwenk-2018"), bundled("niesters-2014")
    data = ["--data", site / "data"]
    code, _, err = run(
        "add",
        "source",
        "--bibtex",
        write(project / "n.bib", bibtex(niesters)),
        "--design",
        "narrative-review",
        "--verified-at",
        "the journal's page, 2026-12-01",
        *data,
    )
    assert code == 0 and "added source niesters-2014 to" in err, err
    code, _, err = run(
        "add",
        "source",
        "--pubmed",
        write(project / "s.xml", pubmed_xml(schwenk)),
        "--design",
        "retrospective-cohort",
        "--verified-at",
        "PubMed record, 2026-12-01",
        *data,
    )
    assert code == 0 and "added source schwenk-2018 to" in err, err
    claim = project / "claim.yaml"
    claim.write_text(
        "subjects:\n  - {id: responder-share, label: share of patients who responded, kind: quantity, "
        "dimension: percent}\nclaims:\n  - id: responders\n    statement: Most of 61 patients responded.\n"
        "    subject: responder-share\n    sources: [{source: schwenk-2018}]\n    status: use-with-caveat\n"
        "    approved_wording: In one retrospective study of 61 patients, most responded at first.\n"
        "    caveats: [retrospective, single centre]\n",
        encoding="utf-8",
    )
    code, _, err = run("add", "claim", "--from-yaml", claim, *data)
    assert code == 0, err
    assert run("validate", *data)[0] == 0
    code, out, err = run("cite", "responders", "--with-wording", *data, "--db", project / "site.sqlite")
    assert code == 0, err
    assert "In one retrospective study of 61 patients, most responded at first [1]." in out
    assert schwenk.title.lower() in out.lower() and "Reg Anesth Pain Med. 2018;43(8):875-879" in out
    assert f"doi:{schwenk.doi}" in out


def test_a_finding_that_is_not_there_or_ambiguous_is_refused(run: Run, project: Path) -> None:
    code, _, err = run("review", "false-positive", f"{PAGE}:2:1", "--reason", "r", "--db", "../index.sqlite")
    assert code == 2 and f"no finding at {PAGE}:2:1 in today's `kb check`" in err
    code, _, err = run("review", "false-positive", "0123456789abcdef", "--reason", "r", "--db", "../index.sqlite")
    assert code == 2 and "no finding at fingerprint 0123456789abcdef" in err
    code, _, err = run("review", "false-positive", "what?", "--reason", "r", "--db", "../index.sqlite")
    assert code == 2 and "cannot read the finding 'what?'" in err
    many = [f for f in _findings(run, PAGE) if (f["line"], f["column"]) == (26, 316)]
    assert len(many) > 1
    code, _, err = run(
        "review", "accept", f"{PAGE}:26:316", "--reason", "r", "--reviewer", "me", "--db", "../index.sqlite"
    )
    assert code == 2 and "findings at" in err and "(fix: add --rule, or give the fingerprint)" in err
    assert not (project / ".kb-decisions.json").exists()


def test_a_decision_needs_a_decisions_file_and_is_recorded_once(run: Run, project: Path) -> None:
    finding = _at(_findings(run, STATISTIC), STATISTIC, "unverified-statistic")
    (project / "kb.toml").write_text((ROOT / "kb.toml").read_text(encoding="utf-8"), encoding="utf-8")
    args = [
        "review",
        "accept",
        str(finding["fingerprint"]),
        "--reason",
        "r",
        "--reviewer",
        "me",
        "--db",
        "../index.sqlite",
    ]
    code, _, err = run(*args)
    assert code == 2 and "no decisions file configured" in err
    assert run(*args, "--baseline", "d.json")[0] == 0
    code, _, err = run(*args, "--baseline", "d.json")
    assert code == 2 and "is already recorded (accepted, r)" in err


def test_a_mention_needs_a_registered_page(run: Run, project: Path) -> None:
    page = project / "draft.txt"
    page.write_text("Our clinic guarantees that ketamine cures migraine for every patient.\n", encoding="utf-8")
    finding = _at(_findings(run, "draft.txt"), "draft.txt", "disallowed-claim")
    code, _, err = run(
        "review",
        "mention",
        f"draft.txt:{finding['line']}:{finding['column']}",
        "--claim",
        "ketamine-cures-migraine",
        "--verdict",
        "overstated",
        "--note",
        "n",
        "--db",
        "../index.sqlite",
    )
    assert code == 2 and "draft.txt is not a page registered in pages.yaml" in err


def test_write_baseline_keeps_reason_and_reviewer_and_old_baselines_stay_readable(run: Run, project: Path) -> None:
    code, _, err = run(
        "check",
        STATISTIC,
        "--write-baseline",
        "b.json",
        "--reason",
        "legacy copy",
        "--reviewer",
        "Lead",
        "--db",
        "../index.sqlite",
    )
    assert code == 0, err
    entries = json.loads((project / "b.json").read_text(encoding="utf-8"))["findings"]
    assert entries and all(e["reason"] == "legacy copy" and e["reviewer"] == "Lead" for e in entries)
    assert all(e["decision"] == "accepted" and len(e["date"]) == 10 for e in entries)
    # rewriting keeps each entry's decision; an old baseline without the fields still reads
    assert run("check", STATISTIC, "--write-baseline", "b.json", "--db", "../index.sqlite")[0] == 0
    assert json.loads((project / "b.json").read_text(encoding="utf-8"))["findings"] == entries
    old = [{k: v for k, v in e.items() if k not in ("decision", "reason", "reviewer", "date")} for e in entries]
    (project / "old.json").write_text(json.dumps({"version": 1, "tool": "kb", "findings": old}), encoding="utf-8")
    code, out, _ = run("check", STATISTIC, "--baseline", "old.json", "--format", "json", "--db", "../index.sqlite")
    assert code == 0 and json.loads(out) == []
    code, _, err = run("check", STATISTIC, "--reason", "r", "--db", "../index.sqlite")
    assert code == 2 and "--reason and --reviewer go with --write-baseline" in err
