"""The console script's two front ends for `kb search`: the lean argparse path and Typer must agree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import Run


def _kb(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")} | {"NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "kb", *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, check=False
    )


def test_fast_search_prints_what_the_typer_command_prints(
    run: Run, mini_data: Path, db_path: Path, tmp_path: Path
) -> None:
    args = (
        "search",
        "three out of four",
        "--status",
        "use-with-caveat",
        "-n",
        "2",
        "--data",
        mini_data,
        "--db",
        db_path,
        "--format",
        "json",
    )
    code, typer_out, _ = run(*args)
    fast = _kb(*args, cwd=tmp_path)
    assert (fast.returncode, code) == (0, 0)
    assert json.loads(fast.stdout) == json.loads(typer_out)
    assert json.loads(fast.stdout)[0]["claim_id"] == "responders"


def test_fast_search_reports_errors_like_every_command(mini_data: Path, db_path: Path, tmp_path: Path) -> None:
    result = _kb("search", "x", "--level", "best", "--data", mini_data, "--db", db_path, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("kb: error: unknown evidence level 'best'")


def test_arguments_argparse_cannot_read_fall_back_to_typer(mini_data: Path, tmp_path: Path) -> None:
    bogus = _kb("search", "x", "--bogus", "--data", mini_data, cwd=tmp_path)
    assert bogus.returncode == 2 and "No such option" in bogus.stderr and "Traceback" not in bogus.stderr
    zero = _kb("search", "x", "--limit", "0", "--data", mini_data, cwd=tmp_path)
    assert zero.returncode == 2 and "Traceback" not in zero.stderr
    helped = _kb("search", "--help", cwd=tmp_path)
    assert helped.returncode == 0 and "--min-level" in helped.stdout


def test_text_output_of_the_fast_path_is_a_table(mini_data: Path, db_path: Path, tmp_path: Path) -> None:
    result = _kb("search", "infusion about an hour", "--data", mini_data, "--db", db_path, cwd=tmp_path)
    assert result.returncode == 0
    assert "infusion-one-hour" in result.stdout and "do-not-use" in result.stdout
