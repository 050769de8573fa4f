"""The command-line conventions linters share (ruff, Vale, pre-commit): --version, -h, one-line usage errors with
exit 2, and global options before or after the command name. Through `kb.cli.main.run`, the console script's path."""

from __future__ import annotations

from pathlib import Path

import pytest

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

    env = {**os.environ, "_KB_COMPLETE": "complete_bash", "COMP_WORDS": "kb check --for", "COMP_CWORD": "2"}
    done = subprocess.run([sys.executable, "-m", "kb"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.split() == ["--format"]
    shown = subprocess.run([sys.executable, "-m", "kb", "--show-completion", "bash"], cwd=tmp_path, text=True,
                           capture_output=True)  # fmt: skip
    assert shown.returncode == 0 and "_kb_completion" in shown.stdout
