"""The `kb` commands on the mini knowledge base, in-process (CliRunner) and once end to end (subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from kb.cli import app as cli
from kb.query.search import STATUS_MARGIN

COMMANDS = ["validate", "index", "search", "show", "cite", "sources", "pages", "subjects"]


def search_json(run: Any, mini_data: Path, db_path: Path, *args: object) -> list[dict[str, Any]]:
    code, out, err = run("search", *args, "--data", mini_data, "--db", db_path, "-f", "json")
    assert code == 0, err
    hits = json.loads(out)
    assert isinstance(hits, list)
    return hits


def test_search_three_out_of_four_ranks_responders_first(run: Any, mini_data: Path, db_path: Path) -> None:
    hits = search_json(run, mini_data, db_path, "three out of four")
    assert hits[0]["claim_id"] == "responders"
    assert hits[0]["evidence"] == "very-low"
    assert hits[0]["status"] == "use-with-caveat"
    assert hits[0]["numbers_matched"]
    assert set(hits[0]) == {
        "claim_id",
        "score",
        "statement",
        "subject",
        "evidence",
        "status",
        "matched",
        "numbers_matched",
        "approved_wording",
    }
    assert hits[0]["approved_wording"] == "In a retrospective study of 61 patients, about three in four improved."


@pytest.mark.parametrize("query", ["3 of 4", "three quarters", "75%", "almost 75 percent", "77 percent"])
def test_number_wordings_find_responders(run: Any, mini_data: Path, db_path: Path, query: str) -> None:
    assert search_json(run, mini_data, db_path, query)[0]["claim_id"] == "responders"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("about an hour", "infusion-one-hour"),
        ("addictive", "not-addictive"),
        ("adictive", "not-addictive"),
        ("immediate responders", "responders"),
        ("60 minutes", "infusion-one-hour"),
    ],
)
def test_words_find_their_claim(run: Any, mini_data: Path, db_path: Path, query: str, expected: str) -> None:
    assert search_json(run, mini_data, db_path, query)[0]["claim_id"] == expected


def test_search_ranks_by_score_less_the_status_margin(run: Any, mini_data: Path, db_path: Path) -> None:
    hits = search_json(run, mini_data, db_path, "patients improved in an hour")
    ranks = [hit["score"] - STATUS_MARGIN[hit["status"]] for hit in hits]
    assert ranks == sorted(ranks, reverse=True)
    assert all((hit["approved_wording"] is None) == (hit["status"] == "do-not-use") for hit in hits)


def test_search_status_filter(run: Any, mini_data: Path, db_path: Path) -> None:
    hits = search_json(run, mini_data, db_path, "--status", "do-not-use")
    assert {hit["claim_id"] for hit in hits} == {"infusion-one-hour", "not-addictive"}
    assert all(hit["status"] == "do-not-use" for hit in hits)
    hits = search_json(run, mini_data, db_path, "three out of four", "--status", "do-not-use")
    assert "responders" not in {hit["claim_id"] for hit in hits}


def test_search_other_filters(run: Any, mini_data: Path, db_path: Path) -> None:
    assert [h["claim_id"] for h in search_json(run, mini_data, db_path, "--source", "schwenk-2018")] == ["responders"]
    assert [h["claim_id"] for h in search_json(run, mini_data, db_path, "--subject", "addiction")] == ["not-addictive"]
    assert len(search_json(run, mini_data, db_path, "--page", "clinic")) == 3
    assert search_json(run, mini_data, db_path, "--min-level", "low") == []
    assert [h["claim_id"] for h in search_json(run, mini_data, db_path, "--min-level", "very-low")] == ["responders"]
    assert {h["claim_id"] for h in search_json(run, mini_data, db_path, "--level", "no-evidence")} == {
        "infusion-one-hour",
        "not-addictive",
    }
    assert len(search_json(run, mini_data, db_path, "--limit", "1")) == 1


@pytest.mark.parametrize(("option", "value"), [("--status", "maybe"), ("--level", "great"), ("--min-level", "ok")])
def test_search_rejects_unknown_filter_values(
    run: Any, mini_data: Path, db_path: Path, option: str, value: str
) -> None:
    code, out, err = run("search", option, value, "--data", mini_data, "--db", db_path)
    assert code == 2
    assert out == ""
    assert value in err and "use one of" in err
    assert "Traceback" not in err


def test_search_text_output(run: Any, mini_data: Path, db_path: Path) -> None:
    code, out, _ = run("search", "three out of four", "--data", mini_data, "--db", db_path)
    assert code == 0
    assert "responders" in out and "very-low" in out
    flat = " ".join(out.replace("│", " ").split())
    assert "approved wording: In a retrospective study of 61 patients, about three in four improved." in flat
    code, out, _ = run("search", "addictive", "--data", mini_data, "--db", db_path)
    assert "approved wording: none (do not use this claim)" in " ".join(out.replace("│", " ").split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--subject", "adiction"), "kb: error: unknown subject 'adiction' (fix: did you mean 'addiction'?)"),
        (("--source", "schwenk-2019"), "kb: error: unknown source 'schwenk-2019' (fix: did you mean 'schwenk-2018'?)"),
        (("--page", "clinc"), "kb: error: unknown page 'clinc' (fix: did you mean 'clinic'?)"),
        (("--subject", "zzzzzz"), "kb: error: unknown subject 'zzzzzz' (fix: see `kb subjects`)"),
    ],
)
def test_search_names_an_unknown_id_filter(run: Any, mini_data: Path, db_path: Path, args: Any, message: str) -> None:
    for output in ("text", "json"):
        code, out, err = run("search", "improved", *args, "--format", output, "--data", mini_data, "--db", db_path)
        assert (code, out, err) == (2, "", message + "\n")


def test_cite_names_an_unknown_subject_or_page(run: Any, mini_data: Path, db_path: Path) -> None:
    code, out, err = run("cite", "--subject", "adiction", "--data", mini_data, "--db", db_path)
    assert (code, out, err) == (2, "", "kb: error: unknown subject 'adiction' (fix: did you mean 'addiction'?)\n")
    code, out, err = run("cite", "--page", "clinc", "--data", mini_data, "--db", db_path)
    assert (code, out, err) == (2, "", "kb: error: unknown page 'clinc' (fix: did you mean 'clinic'?)\n")


def test_subjects_json_counts_claims_by_status(run: Any, mini_data: Path, db_path: Path) -> None:
    code, out, err = run("subjects", "--format", "json", "--data", mini_data, "--db", db_path)
    assert code == 0, err
    rows = json.loads(out)
    assert [row["id"] for row in rows] == ["responder-share", "addiction", "infusion-length"]  # usable claims first
    assert rows[0] == {
        "id": "responder-share",
        "label": "share of patients who improved in the 61-patient study",
        "kind": "quantity",
        "dimension": "percent",
        "claims": {"total": 1, "approved": 0, "use-with-caveat": 1, "do-not-use": 0},
    }
    assert rows[1]["claims"] == {"total": 1, "approved": 0, "use-with-caveat": 0, "do-not-use": 1}
    assert rows[1]["dimension"] is None


def test_subjects_text(run: Any, mini_data: Path, db_path: Path) -> None:
    code, out, _ = run("subjects", "--data", mini_data, "--db", db_path)
    assert code == 0
    assert "3 subject(s)" in out and "responder-share  quantity (percent)" in out and "do-not-use" in out


def test_show_responders(run: Any, mini_data: Path, db_path: Path) -> None:
    code, out, err = run("show", "responders", "--data", mini_data, "--db", db_path)
    assert code == 0, err
    assert "48 of 61 patients (77%) were immediate responders." in out
    assert "very-low" in out
    assert "Schwenk" in out
    assert "misattributed" in out
    assert "imprecision" in out
    assert "Traceback" not in out + err


def test_show_json(run: Any, mini_data: Path, db_path: Path) -> None:
    code, out, _ = run("show", "responders", "--data", mini_data, "--db", db_path, "-f", "json")
    assert code == 0
    card = json.loads(out)
    assert card["claim"]["statement"] == "48 of 61 patients (77%) were immediate responders."
    assert card["claim"]["evidence"]["level"] == "very-low"
    assert card["claim"]["evidence"]["derived"] == "very-low"
    assert card["claim"]["mentions"][0]["verdict"] == "misattributed"
    assert card["subject"]["id"] == "responder-share"
    assert list(card["sources"]) == ["schwenk-2018"]
    assert "Schwenk ES" in card["citations"]["schwenk-2018"]
    assert list(card["pages"]) == ["clinic"]


def test_show_unknown_id(run: Any, mini_data: Path, db_path: Path) -> None:
    code, out, err = run("show", "nope", "--data", mini_data, "--db", db_path)
    assert code == 2
    assert out == ""
    assert err.startswith("kb: error: no claim with id 'nope'")
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_show_near_miss_suggests(run: Any, mini_data: Path, db_path: Path) -> None:
    code, _, err = run("show", "responder", "--data", mini_data, "--db", db_path)
    assert code == 2
    assert "did you mean 'responders'?" in err


def test_cite_ama(run: Any, mini_data: Path, db_path: Path) -> None:
    code, out, err = run("cite", "responders", "--style", "ama", "--data", mini_data, "--db", db_path)
    assert code == 0, err
    assert "Schwenk ES" in out
    assert "doi:10.1097/AAP.0000000000000827" in out


def test_cite_source_id_and_other_styles(run: Any, mini_data: Path, db_path: Path) -> None:
    for style in ("apa", "vancouver", "bibtex", "csl-json"):
        code, out, err = run("cite", "schwenk-2018", "-s", style, "--data", mini_data, "--db", db_path)
        assert code == 0, err
        assert "Schwenk" in out
    code, out, _ = run("cite", "schwenk-2018", "-s", "csl-json", "--data", mini_data, "--db", db_path)
    assert "10.1097/AAP.0000000000000827" in out


def test_cite_refuses_a_do_not_use_claim(run: Any, mini_data: Path, db_path: Path) -> None:
    """Exit 1 and one line: pasting a do-not-use claim's sources would cite them in its support."""
    code, out, err = run("cite", "not-addictive", "--data", mini_data, "--db", db_path)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and "not-addictive is marked do-not-use" in err


def test_cite_unknown(run: Any, mini_data: Path, db_path: Path) -> None:
    code, _, err = run("cite", "schwenk-2019", "--data", mini_data, "--db", db_path)
    assert code == 2
    assert "did you mean 'schwenk-2018'?" in err


def test_pages_json(run: Any, mini_data: Path, db_path: Path) -> None:
    code, out, _ = run("pages", "-f", "json", "--data", mini_data, "--db", db_path)
    assert code == 0
    pages = json.loads(out)
    assert len(pages) == 1
    assert pages[0]["id"] == "clinic"
    assert (pages[0]["mentions"], pages[0]["flagged"]) == (3, 3)


def test_sources_json(run: Any, mini_data: Path, db_path: Path) -> None:
    code, out, _ = run("sources", "-f", "json", "--data", mini_data, "--db", db_path)
    assert code == 0
    rows = {row["id"]: row for row in json.loads(out)}
    assert set(rows) == {"schwenk-2018", "asa-2017-press-release"}
    assert rows["schwenk-2018"]["claims"] == 1
    assert rows["schwenk-2018"]["year"] == 2018
    assert rows["asa-2017-press-release"]["level"] == "very-low"


def test_text_listings(run: Any, mini_data: Path, db_path: Path) -> None:
    code, out, _ = run("pages", "--data", mini_data, "--db", db_path)
    assert code == 0 and "Example Clinic" in out
    code, out, _ = run("sources", "--data", mini_data, "--db", db_path)
    assert code == 0 and "schwenk-2018" in out


def test_commands_never_write_the_default_index(run: Any, mini_data: Path, db_path: Path, tmp_path: Path) -> None:
    run("search", "x", "--data", mini_data, "--db", db_path)
    assert db_path.is_file()
    assert not (tmp_path / ".kb").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help(run: Any, command: str) -> None:
    code, out, err = run(command, "--help")
    assert code == 0, err
    assert "Usage" in out
    assert "--help" in out and "--data" in out
    registered = typer.main.get_command(cli.app).commands[command]  # type: ignore[attr-defined]
    summary = " ".join((registered.help or "").split()[:4])
    assert summary and summary in " ".join(out.split())


def test_top_level_help_lists_every_command(run: Any) -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "Evidence-claims knowledge base" in out
    for command in COMMANDS:
        assert command in out


def test_subprocess_search_end_to_end(mini_data: Path, db_path: Path, tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KB_")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kb",
            "search",
            "three out of four",
            "--data",
            str(mini_data),
            "--db",
            str(db_path),
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["claim_id"] == "responders"
    assert db_path.is_file()
