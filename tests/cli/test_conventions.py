"""The command-line conventions linters share (ruff, Vale, pre-commit): --version, -h, one-line usage errors with
exit 2, and global options before or after the command name. Through `kb.cli.main.run`, the console script's path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kb import __version__
from kb.cli.main import hoist_global_options, run
from tests.conftest import Run


def _run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = run([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(capsys: pytest.CaptureFixture[str], flag: str) -> None:
    assert _run(capsys, flag) == (0, f"kb {__version__}\n", "")


def test_version_through_typer(run: Run) -> None:
    code, out, _ = run("--version")
    assert (code, out) == (0, f"kb {__version__}\n")


@pytest.mark.parametrize("argv", [["-h"], ["--help"], ["check", "-h"], ["show", "-h"], ["search", "-h"]])
def test_short_and_long_help(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 0 and "Usage" in out and err == ""


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["check", "--bogus"], "No such option: --bogus"),
        (["nosuch"], "No such command 'nosuch'"),
        (["check", "--format", "nope"], "'nope' is not one of"),
        (["check", "--jobs", "0"], "--jobs"),
        (["search", "x", "--bogus"], "No such option: --bogus"),
        (["show"], "Missing argument"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], says: str) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("kb: error: ") and err.count("\n") == 1 and says in err, err
    assert "(fix: see 'kb" in err and "Traceback" not in err


def test_no_arguments_shows_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys)
    assert code == 2 and "Usage" in out and "check" in out


def test_global_options_before_the_command(capsys: pytest.CaptureFixture[str], mini_data: Path, db_path: Path) -> None:
    before = _run(capsys, "--data", mini_data, "--db", db_path, "show", "responders")
    after = _run(capsys, "show", "responders", "--data", mini_data, "--db", db_path)
    assert before[0] == 0 and before == after and "responders" in before[1]
    joined = _run(capsys, f"--data={mini_data}", f"--db={db_path}", "search", "responders", "--format", "json")
    assert joined[0] == 0 and '"claim_id": "responders"' in joined[1]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--data", "d", "check", "p.md"], ["check", "p.md", "--data", "d"]),
        (["--data=d", "--db", "x", "show", "id"], ["show", "id", "--data=d", "--db", "x"]),
        (["check", "--data", "d"], ["check", "--data", "d"]),
        (["--data", "d"], ["--data", "d"]),  # no command: left for the usage error
        (["--debug", "check"], ["--debug", "check"]),
    ],
)
def test_hoist_global_options(argv: list[str], expected: list[str]) -> None:
    assert hoist_global_options(argv) == expected


def test_shell_completion(tmp_path: Path) -> None:
    """Typer's completion, through the console script's own path (`kb.cli.main`)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "_KB_COMPLETE": "complete_bash", "COMP_WORDS": "kb check --fo", "COMP_CWORD": "2"}
    done = subprocess.run([sys.executable, "-m", "kb"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0 and set(done.stdout.split()) == {"--format", "--force-exclude"}
    # Typer finds the shell from the parent process, so start kb from bash (not from whatever runs the tests).
    # A second command after it keeps bash from exec-ing kb in its own place, so bash stays kb's parent.
    command = f"'{sys.executable}' -m kb --show-completion; exit $?"
    shown = subprocess.run(["bash", "-c", command], cwd=tmp_path, text=True, capture_output=True, env=os.environ)
    assert shown.returncode == 0 and "_kb_completion" in shown.stdout


PAGE_MD = (
    "# Clinic\n\n<!-- kb-disable-next-line unsupported-claim -- quoted from the trial record -->\n"
    "Each infusion takes about an hour.\n"
)


def test_stdin_filename_picks_the_reader_and_the_reported_path(run: Run, mini_data: Path, db_path: Path) -> None:
    """Markdown on stdin is Markdown when named so: its suppression comment applies, and findings carry the name."""
    import json

    where = ["--data", mini_data, "--db", db_path, "--format", "json", "--fail-on", "none"]
    from typer.testing import CliRunner

    from kb.cli.app import app

    runner = CliRunner(env={"KB_DATA": None, "KB_DATABASE_URL": None})
    plain = runner.invoke(app, ["check", "-", *map(str, where)], input=PAGE_MD)
    named = runner.invoke(app, ["check", "-", "--stdin-filename", "site/page.md", *map(str, where)], input=PAGE_MD)
    assert plain.exit_code == named.exit_code == 0
    assert [f["rule"] for f in json.loads(plain.stdout)] == ["unsupported-claim"]  # read as text: no comments
    assert json.loads(named.stdout) == []
    page = PAGE_MD.replace("<!-- kb-disable-next-line unsupported-claim -- quoted from the trial record -->\n", "")
    shown = runner.invoke(app, ["check", "-", "--stdin-filename", "site/page.md", *map(str, where)], input=page)
    assert [f["path"] for f in json.loads(shown.stdout)] == ["site/page.md"]
    counted = runner.invoke(
        app, ["contradictions", "-", "--stdin-filename", "a.md", "--format", "json", "--data", str(mini_data),
              "--db", str(db_path)], input=page,
    )  # fmt: skip
    assert counted.exit_code == 0 and json.loads(counted.stdout)["summary"]["files"] == 1


def test_output_file_and_quiet(run: Run, mini_data: Path, db_path: Path, tmp_path: Path) -> None:
    page = mini_data / "pages" / "clinic.txt"
    report = tmp_path / "out" / "kb.sarif"
    code, out, err = run("check", page, "--data", mini_data, "--db", db_path, "-f", "sarif", "-o", report, "-q")
    assert code == 1 and out == "" and err == ""
    assert '"version": "2.1.0"' in report.read_text(encoding="utf-8")
    assert not [p for p in report.parent.iterdir() if p.name != "kb.sarif"]  # written through a renamed temp file
    code, out, err = run("check", page, "--data", mini_data, "--db", db_path, "--format", "line")
    assert code == 1 and out and "in 1 file" in err  # the summary, without --quiet
    code, out, err = run("check", page, "--data", mini_data, "--db", db_path, "--format", "line", "--quiet")
    assert code == 1 and out and err == ""
    contra = tmp_path / "contradictions.json"
    code, out, err = run("contradictions", page, "--data", mini_data, "--db", db_path, "-f", "json", "-o", contra)
    assert code in (0, 1) and out == "" and contra.read_text(encoding="utf-8").startswith("{")
    code, out, err = run("contradictions", page, "--data", mini_data, "--db", db_path, "--quiet")
    assert err == ""


def test_force_exclude_checks_only_configured_pages(run: Run, mini_data: Path, db_path: Path, tmp_path: Path) -> None:
    """What a pre-commit hook hands over is every changed file: only pages inside `content` are checked."""
    site = tmp_path / "site"
    (site / "content" / "drafts").mkdir(parents=True)
    (site / "content" / "page.md").write_text("# P\n\nEach infusion takes about an hour.\n", encoding="utf-8")
    (site / "content" / "drafts" / "d.md").write_text("# D\n\nEach infusion takes about an hour.\n", encoding="utf-8")
    (site / "notes.md").write_text("# N\n\nEach infusion takes about an hour.\n", encoding="utf-8")
    (site / "kb.toml").write_text(
        f'data = "{mini_data}"\ncontent = ["content"]\nignore = ["content/drafts/**"]\n', encoding="utf-8"
    )
    given = [site / "content" / "page.md", site / "content" / "drafts" / "d.md", site / "notes.md", site / "kb.toml"]
    common = ["--config", site / "kb.toml", "--db", db_path, "--format", "line", "--fail-on", "none"]
    code, out, _ = run("check", *given, *common, "--force-exclude")
    assert code == 0 and {line.split(":")[0] for line in out.splitlines()} == {"site/content/page.md"}
    code, out, _ = run("check", site / "kb.toml", *common, "--force-exclude")
    assert code == 0 and out == ""


def _kb(tmp_path: Path, env: dict[str, str], *args: object) -> str:
    import os
    import subprocess
    import sys

    full = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR", "KB_DATA")}
    done = subprocess.run([sys.executable, "-m", "kb", *map(str, args)], cwd=tmp_path, env={**full, **env},
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


@pytest.mark.parametrize("columns", [50, 80, 100, 160])
def test_search_fits_the_width_and_crops_nothing(tmp_path: Path, columns: int) -> None:
    where = ["--data", Path(__file__).resolve().parents[2] / "data", "--db", tmp_path / "i.sqlite"]
    out = _kb(tmp_path, {"COLUMNS": str(columns)}, "search", "relief lasts days", *where)
    lines = out.splitlines()
    assert lines and max(len(line) for line in lines) <= columns
    assert all(line.rstrip().endswith("│") for line in lines if line.startswith("│"))  # every row closed
    if columns < 76:  # blocks: each statement whole, wrapped at spaces
        assert "relief-lasts-30-to-100-days" in out
        assert "can last 30 to 100 days after the hospitalization." in " ".join(out.split())


@pytest.mark.parametrize("columns", [50, 80, 100, 160])
def test_search_wording_and_subjects_fit_the_width_and_crop_nothing(tmp_path: Path, columns: int) -> None:
    where = ["--data", Path(__file__).resolve().parents[2] / "data", "--db", tmp_path / "i.sqlite"]
    found = _kb(tmp_path, {"COLUMNS": str(columns)}, "search", "how long does relief last", "-n", "3", *where)
    listed = _kb(tmp_path, {"COLUMNS": str(columns)}, "subjects", *where)
    for out in (found, listed):
        lines = out.splitlines()
        assert lines and max(len(line) for line in lines) <= columns
        assert all(line.rstrip().endswith("│") for line in lines if line.startswith("│"))  # every row closed
    flat = " ".join(found.replace("│", " ").split())
    wording = "found that three studies of 4-to-14-day infusions reported pain relief lasting up to 3 months"
    assert f"approved wording: A 2014 review of ketamine for chronic (mainly neuropathic) pain {wording}" in flat
    flat = " ".join(listed.replace("│", " ").split())
    subjects = (Path(__file__).resolve().parents[2] / "data" / "claims.yaml").read_text(encoding="utf-8")
    count = len(yaml.safe_load(subjects)["subjects"])
    assert f"{count} subject(s)" in flat and "How long pain relief lasts after ketamine" in flat
    if columns < 76:  # blocks: the counts whole, each id on its own line
        assert "4 claim(s): 0 approved, 2 caveat, 2 do-not-use" in flat and "\nrelief-duration  " in listed


def test_check_and_contradictions_honour_columns_and_colour(tmp_path: Path, mini_data: Path) -> None:
    page = mini_data / "pages" / "clinic.txt"
    where = ["--data", mini_data, "--db", tmp_path / "i.sqlite"]
    narrow = _kb(tmp_path, {"COLUMNS": "70"}, "check", page, *where)
    wide = _kb(tmp_path, {"COLUMNS": "200"}, "check", page, *where)
    assert max(map(len, narrow.splitlines())) <= 70 < max(map(len, wide.splitlines()))
    assert "\x1b[" not in narrow
    assert "\x1b[" in _kb(tmp_path, {"FORCE_COLOR": "1"}, "check", page, *where)
    assert "\x1b[" not in _kb(tmp_path, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, "check", page, *where)
    contra = _kb(tmp_path, {"COLUMNS": "70"}, "contradictions", page, *where, "--all")
    assert max(map(len, contra.splitlines() or [""])) <= 70


def test_verbose_says_what_was_used(run: Run, mini_data: Path, db_path: Path) -> None:
    page = mini_data / "pages" / "clinic.txt"
    for command in ("check", "contradictions"):
        code, _, err = run(command, page, "--data", mini_data, "--db", db_path, "--verbose", "--fail-on", "none")
        assert code == 0
        assert f"data {mini_data.resolve()}" in err and f"index sqlite:///{db_path}" in err and "1 file(s)" in err
        assert "kb: config" not in run(command, page, "--data", mini_data, "--db", db_path, "--fail-on", "none")[2]
