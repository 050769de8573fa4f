"""`kb contradictions` end to end: the bundled pages with their curated mentions removed (so every conflict is read
from the page text), agreeing pairs, the one-line reasons, output formats, exit codes, and the `contradiction` rule
of `kb check` on a new page.
"""

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
PAGE = {
    "000": "quad-cities-ketamine-clinic",
    "001": "best-ketamine-clinics",
    "002": "advanced-pain-medical-center",
    "003": "balanced-ketamine",
    "004": "relevare",
}

# The reference's list of conflicts between the five pages (../shared/reference/sources.md, section 3): subject ->
# pairs of seed numbers that must conflict. The engine may find more; it must find these.
MUST_CONFLICT = {
    "jefferson-61-study-city": [("000", "001")],
    "infusion-session-length": [("000", "004"), ("001", "004"), ("003", "004")],
    "addiction-potential": [("003", "001"), ("003", "002")],
    "dose-vs-depression": [("004", "001"), ("004", "002")],
    "relief-onset": [("000", "002"), ("000", "004")],
    "cure-or-not": [("002", "003")],
    "recovery-time": [("001", "003"), ("004", "003")],
    # Not in the list, but in the reference's: 000's "very safe drug" against 001's "serious side effects";
    # and 004's "substantial evidence" against 001's "still relatively rare".
    "safety-side-effect-burden": [("000", "001")],
    "evidence-settledness": [("004", "001")],
}
# Pairs that agree: "45 minutes to an hour" and "over the course of an hour"; "15 to 30 minutes" and "ten to
# thirty minutes"; two pages that both warn of abuse; two pages that both say low dose; 30-100 days and "weeks or
# even months".
MUST_AGREE = {
    "infusion-session-length": [("000", "001"), ("000", "003"), ("001", "003")],
    "recovery-time": [("001", "004")],
    "addiction-potential": [("001", "002")],
    "dose-vs-depression": [("001", "002")],
    "relief-duration": [("002", "003")],
}


def _without_mentions(target: Path) -> Path:
    """A copy of the bundled data with every curated page mention removed."""
    shutil.copytree(DATA, target)
    claims_path = target / "claims.yaml"
    document = yaml.safe_load(claims_path.read_text(encoding="utf-8"))
    for claim in document["claims"]:
        claim.pop("mentions", None)
    claims_path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("bare")
    return _without_mentions(root / "data"), root / "index.sqlite"


def _run(data: Path, db: Path, *args: object, stdin: str | None = None) -> tuple[int, str, str]:
    runner = CliRunner(env={"KB_DATA": None, "KB_DATABASE_URL": None, "NO_COLOR": "1", "COLUMNS": "160"})
    argv = [*map(str, args), "--data", str(data), "--db", str(db)]
    result = runner.invoke(app, argv, input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def report(bare: tuple[Path, Path]) -> dict[str, Any]:
    data, db = bare
    code, out, err = _run(data, db, "contradictions", data / "pages", "--format", "json")
    assert code == 1, err  # conflicts found
    document: dict[str, Any] = json.loads(out)
    return document


def _sides(group: dict[str, Any], conflict: dict[str, Any]) -> list[list[dict[str, Any]]]:
    """The statements on each side of a conflict (the json refers to values, values to statements)."""
    values = {v["id"]: v for v in group["values"]}
    statements = {s["id"]: s for s in group["statements"]}
    sides = [[statements[i] for i in values[conflict["value"]]["statements"]]]
    if "value" in conflict["against"]:
        sides.append([statements[i] for i in values[conflict["against"]["value"]]["statements"]])
    return sides


def _pairs(report: dict[str, Any], subject: str) -> set[frozenset[str]]:
    """Page-vs-page conflicts on a subject, as unordered pairs of page ids."""
    found = set()
    for group in report["subjects"]:
        if group["id"] != subject:
            continue
        for conflict in group["conflicts"]:
            if conflict["kind"] != "page-vs-page":
                continue
            left, right = _sides(group, conflict)
            found |= {frozenset((a["page"], b["page"])) for a in left for b in right}
    return found


def test_the_curated_mentions_are_really_gone(bare: tuple[Path, Path]) -> None:
    claims = yaml.safe_load((bare[0] / "claims.yaml").read_text(encoding="utf-8"))["claims"]
    assert claims and not any("mentions" in claim for claim in claims)


@pytest.mark.parametrize(("subject", "pairs"), MUST_CONFLICT.items())
def test_the_reference_conflicts_are_found_from_the_text(
    report: dict[str, Any], subject: str, pairs: list[tuple[str, str]]
) -> None:
    found = _pairs(report, subject)
    missing = [(a, b) for a, b in pairs if frozenset((PAGE[a], PAGE[b])) not in found]
    assert missing == []


@pytest.mark.parametrize(("subject", "pairs"), MUST_AGREE.items())
def test_pages_that_agree_are_not_reported(report: dict[str, Any], subject: str, pairs: list[tuple[str, str]]) -> None:
    found = _pairs(report, subject)
    assert [(a, b) for a, b in pairs if frozenset((PAGE[a], PAGE[b])) in found] == []


def test_every_conflict_names_both_pages_lines_and_verbatim_quotes_and_one_line_why(report: dict[str, Any]) -> None:
    conflicts = [(group, c) for group in report["subjects"] for c in group["conflicts"]]
    assert len(conflicts) >= sum(len(p) for p in MUST_CONFLICT.values()) // 2
    for group, conflict in conflicts:
        assert conflict["reason"] and "\n" not in conflict["reason"]
        sides = _sides(group, conflict)
        assert len(sides) == 2 if conflict["kind"] == "page-vs-page" else conflict["against"]["source"]["claim"]
        for side in sides:
            for statement in side:
                lines = Path(statement["path"]).read_text(encoding="utf-8").splitlines()
                assert statement["quote"] in lines[statement["line"] - 1]  # verbatim, on the line it names
                assert statement["quote"].startswith(lines[statement["line"] - 1][statement["column"] - 1 :][:20])


def test_reasons_say_why(report: dict[str, Any]) -> None:
    reasons = {c["reason"] for group in report["subjects"] for c in group["conflicts"]}
    assert "60 min vs 120–240 min: the ranges do not overlap" in reasons
    assert "Boston vs Philadelphia for the same study; the source says Philadelphia" in reasons
    assert any(r.startswith("not-addictive") and "opposite stances" in r for r in reasons)


def test_a_page_against_its_source_ranks_above_page_against_page(report: dict[str, Any]) -> None:
    kinds = [c["kind"] for group in report["subjects"] for c in group["conflicts"]]
    severities = {c["kind"]: c["severity"] for group in report["subjects"] for c in group["conflicts"]}
    assert severities == {"page-vs-source": "error", "page-vs-page": "warning"}
    first_page_vs_page = kinds.index("page-vs-page")
    groups = report["subjects"]
    # Groups with a page-vs-source conflict come first.
    ranks = [0 if any(c["kind"] == "page-vs-source" for c in g["conflicts"]) else 1 for g in groups if g["conflicts"]]
    assert ranks == sorted(ranks) and first_page_vs_page > 0
    city = next(g for g in groups if g["id"] == "jefferson-61-study-city")
    wrong = [c for c in city["conflicts"] if c["kind"] == "page-vs-source"]
    assert [s["page"] for c in wrong for s in _sides(city, c)[0]] == [PAGE["000"]]  # 001's Philadelphia agrees
    assert wrong[0]["against"]["source"]["entity"] == "Philadelphia"


def test_the_source_value_is_listed_for_each_subject_the_knowledge_base_knows(report: dict[str, Any]) -> None:
    journal = next(g for g in report["subjects"] if g["id"] == "jefferson-61-study-journal")
    assert [s["entity"] for s in journal["source_values"]] == ["Regional Anesthesia and Pain Medicine"]
    wrong = journal["conflicts"][0]
    assert wrong["kind"] == "page-vs-source" and _sides(journal, wrong)[0][0]["page"] == PAGE["002"]


def test_the_result_does_not_depend_on_curated_mentions(bare: tuple[Path, Path], tmp_path: Path) -> None:
    data, db = bare
    with_mentions = _run(DATA, tmp_path / "full.sqlite", "contradictions", DATA / "pages", "--format", "json")[1]
    without = _run(data, db, "contradictions", data / "pages", "--format", "json")[1]

    def reasons(out: str) -> list[tuple[str, str]]:
        return [(g["id"], c["reason"]) for g in json.loads(out)["subjects"] for c in g["conflicts"]]

    assert reasons(with_mentions) == reasons(without)


def test_text_output_groups_by_subject_and_puts_the_two_sides_side_by_side(
    bare: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, db = bare
    monkeypatch.chdir(data.parent)  # paths are shown relative to the working directory
    code, out, err = _run(data, db, "contradictions", "data/pages")
    assert code == 1
    assert "Length of one ketamine infusion for migraine  [infusion-session-length]" in out
    assert "page vs page   60 min vs 120–240 min: the ranges do not overlap" in out
    rows = [line for line in out.splitlines() if "data/pages/quad-cities-ketamine-clinic.txt:17:95" in line]
    row = next(line for line in rows if "relevare" in line)
    assert row.count("│") == 3 and "data/pages/relevare.txt:31:135" in row  # the two sides, side by side
    assert "conflict(s) on" in err and "page vs source" in err


def test_exit_codes(bare: tuple[Path, Path], tmp_path: Path) -> None:
    data, db = bare
    assert _run(data, db, "contradictions", data / "pages", "--fail-on", "none")[0] == 0
    assert _run(data, db, "contradictions", data / "pages", "--fail-on", "error")[0] == 1
    agreeing = tmp_path / "agree"
    agreeing.mkdir()
    (agreeing / "a.md").write_text("Each ketamine infusion takes about an hour.\n", encoding="utf-8")
    (agreeing / "b.md").write_text("The infusion itself lasts 45 minutes to an hour.\n", encoding="utf-8")
    code, out, _ = _run(data, db, "contradictions", agreeing, "--format", "json")
    assert json.loads(out)["summary"]["page_vs_page"] == 0
    assert code == 1  # both disagree with the studies' multi-day infusions: page vs source
    assert _run(data, db, "contradictions", agreeing, "--fail-on", "none")[0] == 0
    code, _, err = _run(data, db, "contradictions", tmp_path / "missing.md")
    assert code == 2 and "no such file" in err and "Traceback" not in err


def test_any_set_of_pages_and_stdin(bare: tuple[Path, Path], tmp_path: Path) -> None:
    data, db = bare
    (tmp_path / "one.md").write_text("# Our clinic\n\nEach infusion takes about 3 hours.\n", encoding="utf-8")
    (tmp_path / "two.html").write_text("<p>The infusion itself lasts about an hour.</p>", encoding="utf-8")
    code, out, _ = _run(data, db, "contradictions", tmp_path / "one.md", tmp_path / "two.html", "--format", "json")
    pairs = _pairs(json.loads(out), "infusion-session-length")
    assert pairs == {frozenset((str(tmp_path / "one.md"), str(tmp_path / "two.html")))}
    code, out, _ = _run(
        data, db, "contradictions", "-", "--with-known", "--format", "json", stdin="Each infusion takes about 3 hours."
    )
    pairs = _pairs(json.loads(out), "infusion-session-length")
    assert frozenset(("-", PAGE["000"])) in pairs and frozenset(("-", PAGE["004"])) not in pairs


def test_kb_check_reports_a_new_pages_conflicts_with_the_known_pages(bare: tuple[Path, Path], tmp_path: Path) -> None:
    """A new page of the site (in the configured `content`) is compared with the registered pages; a page outside
    the site only with the sources."""
    data, db = bare
    page = tmp_path / "site" / "new.md"
    page.parent.mkdir()
    page.write_text("# Infusions\n\nEach infusion takes about 3 hours.\n", encoding="utf-8")
    config = tmp_path / "kb.toml"
    config.write_text('content = ["site"]\n', encoding="utf-8")
    code, out, _ = _run(data, db, "check", page, "--format", "json", "--fail-on", "none")
    # outside the site, only the source is held against it: a figure at odds with its source is figure-mismatch's
    assert [f for f in json.loads(out) if f["rule"] == "contradiction"] == []
    (outside,) = [f for f in json.loads(out) if f["rule"] == "figure-mismatch"]
    assert "known page" not in outside["message"] and "the source" in outside["message"]
    code, out, _ = _run(data, db, "check", page, "--config", config, "--format", "json", "--fail-on", "none")
    found = [f for f in json.loads(out) if f["rule"] == "contradiction"]
    assert len(found) == 1 and found[0]["line"] == 3
    message = found[0]["message"]
    for about_an_hour in ("000", "001", "003"):
        assert PAGE[about_an_hour] in message
    assert PAGE["004"] not in message  # 2 to 4 hours agrees with about 3 hours
    assert "162–198 min" in message


def test_kb_check_does_not_blame_a_page_the_source_backs(bare: tuple[Path, Path], tmp_path: Path) -> None:
    data, db = bare
    page = tmp_path / "right.md"
    page.write_text("Ketamine is not a cure for migraine.\n", encoding="utf-8")
    code, out, _ = _run(data, db, "check", page, "--format", "json", "--fail-on", "none")
    assert [f for f in json.loads(out) if f["rule"] == "contradiction"] == []
    page.write_text("Ketamine infusions can cure your migraines.\n", encoding="utf-8")
    (tmp_path / "kb.toml").write_text('content = ["right.md"]\n', encoding="utf-8")
    config = ["--config", tmp_path / "kb.toml"]
    code, out, _ = _run(data, db, "check", page, *config, "--format", "json", "--fail-on", "none")
    # The cure stance is a do-not-use claim's: disallowed-claim reports it, the known pages' view as its note.
    (finding,) = [f for f in json.loads(out) if "known page" in f["message"]]
    assert finding["rule"] == "disallowed-claim" and finding["claim_id"] == "ketamine-cures-migraine"
    assert "says “not a cure”" in finding["message"] and PAGE["003"] in finding["message"]


def test_the_rule_can_be_switched_off(bare: tuple[Path, Path], tmp_path: Path) -> None:
    data, db = bare
    (tmp_path / "kb.toml").write_text('[rules]\ncontradiction = "off"\n', encoding="utf-8")
    page = tmp_path / "new.md"
    page.write_text("Each infusion takes about 3 hours.\n", encoding="utf-8")
    out = _run(data, db, "check", page, "--config", tmp_path / "kb.toml", "--format", "json", "--fail-on", "none")[1]
    assert [f for f in json.loads(out) if f["rule"] == "contradiction"] == []


def test_unreadable_pages_are_errors_and_the_rest_is_still_read(bare: tuple[Path, Path], tmp_path: Path) -> None:
    data, db = bare
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02")
    (tmp_path / "latin1.md").write_bytes("Each infusion takes about 3 hours at our caf\xe9.\n".encode("latin-1"))
    (tmp_path / "ok.md").write_text("The infusion itself lasts about an hour.\n", encoding="utf-8")
    code, out, err = _run(data, db, "contradictions", tmp_path, "--format", "json")
    document = json.loads(out)
    assert code == 2 and document["summary"]["files"] == 3
    assert [(Path(e["path"]).name, "binary" in e["message"]) for e in document["errors"]] == [("binary.md", True)]
    assert any("latin1.md" in note and "UTF-8" in note for note in document["notes"])
    assert _pairs(document, "infusion-session-length") == {
        frozenset((str(tmp_path / "latin1.md"), str(tmp_path / "ok.md")))
    }


def test_jobs_give_the_same_report(bare: tuple[Path, Path]) -> None:
    data, db = bare
    serial = _run(data, db, "contradictions", data / "pages", "--format", "json")[1]
    parallel = _run(data, db, "contradictions", data / "pages", "--format", "json", "--jobs", "2")[1]
    assert json.loads(parallel) == json.loads(serial)


def test_all_lists_the_subjects_whose_pages_agree(bare: tuple[Path, Path]) -> None:
    data, db = bare
    plain = _run(data, db, "contradictions", data / "pages")[1]
    everything = _run(data, db, "contradictions", data / "pages", "--all")[1]
    assert "[relief-duration]" not in plain  # 30 to 100 days and "several weeks or even months" agree
    assert "[relief-duration]" in everything and "30 to 100 days" in everything


def test_many_pages_with_one_value_are_one_side_of_one_conflict(bare: tuple[Path, Path], tmp_path: Path) -> None:
    data, db = bare
    for n in range(30):
        (tmp_path / f"same-{n:02}.md").write_text("Each ketamine infusion takes about an hour.\n", encoding="utf-8")
    (tmp_path / "other.md").write_text("Infusions typically last 2 to 4 hours.\n", encoding="utf-8")
    document = json.loads(_run(data, db, "contradictions", tmp_path, "--format", "json")[1])
    group = next(g for g in document["subjects"] if g["id"] == "infusion-session-length")
    page_vs_page = [c for c in group["conflicts"] if c["kind"] == "page-vs-page"]
    assert len(group["statements"]) == 31 and len(group["values"]) == 2 and len(page_vs_page) == 1
    assert sorted(len(side) for side in _sides(group, page_vs_page[0])) == [1, 30]
    text = _run(data, db, "contradictions", tmp_path)[1]
    assert "… and 26 more statement(s)" in text


def test_kb_check_reports_a_study_put_in_a_city_the_knowledge_base_never_named(
    bare: tuple[Path, Path], tmp_path: Path
) -> None:
    data, db = bare
    page = tmp_path / "denver.md"
    page.write_text("A study of 61 patients out of Denver found that three quarters improved.\n", encoding="utf-8")
    out = _run(data, db, "check", page, "--format", "json", "--fail-on", "none")[1]
    message = next(f["message"] for f in json.loads(out) if f["rule"] == "contradiction")
    assert "this page says Denver" in message and "says Philadelphia" in message


def test_only_given_reports_only_the_conflicts_a_given_page_takes_part_in(
    bare: tuple[Path, Path], tmp_path: Path
) -> None:
    """What a pre-commit hook needs: the registered pages disagree among themselves, but a commit that changed
    one new page answers only for that page's conflicts."""
    data, db = bare
    page = tmp_path / "new.md"
    page.write_text("# Infusions\n\nEach infusion takes about 3 hours.\n", encoding="utf-8")
    everything = json.loads(_run(data, db, "contradictions", page, "--with-known", "--format", "json")[1])
    code, out, _ = _run(data, db, "contradictions", page, "--with-known", "--only-given", "--format", "json")
    mine = json.loads(out)
    assert code == 1 and 0 < mine["summary"]["conflicts"] < everything["summary"]["conflicts"]
    for group in mine["subjects"]:
        for conflict in group["conflicts"]:
            assert str(page) in {s["page"] for side in _sides(group, conflict) for s in side}
    quiet = tmp_path / "quiet.md"
    quiet.write_text("# Opening hours\n\nWe are open on weekdays.\n", encoding="utf-8")
    assert _run(data, db, "contradictions", quiet, "--with-known", "--format", "json")[0] == 1  # the known pages'
    code, out, _ = _run(data, db, "contradictions", quiet, "--with-known", "--only-given", "--format", "json")
    assert code == 0 and json.loads(out)["summary"]["conflicts"] == 0
