"""`kb config`: what a command here would use, and where each value came from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import MINI, Run


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(MINI, root / "data")
    (root / "kb.toml").write_text('data = "data"\nthreshold = 80\n\n[rules]\nstale-recency = "off"\n', encoding="utf-8")
    (root / "content" / "blog").mkdir(parents=True)
    return root


def _settings(run: Run, *args: object) -> dict[str, dict[str, object]]:
    code, out, err = run("config", "--format", "json", *args)
    assert code == 0, err
    return {row["key"]: row for row in json.loads(out)}


def test_origins_from_a_subfolder(run: Run, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site / "content" / "blog")  # found upwards, as every command finds it
    found = _settings(run)
    config = str((site / "kb.toml").resolve())
    assert found["config"]["value"] == config
    assert found["threshold"] == {"key": "threshold", "value": 80.0, "origin": f"{config}:2"}
    assert found["rules.stale-recency"]["value"] == "off" and found["rules.stale-recency"]["origin"] == f"{config}:5"
    assert found["min-level"]["origin"] == "default" and found["rules.weak-evidence"]["value"] == "warning"
    assert found["data folder"]["value"] == str((site / "data").resolve())
    assert found["data folder"]["origin"] == f"{config}:1"
    assert found["database"]["origin"].startswith("default") and ".kb/index.sqlite" in str(found["database"]["value"])


def test_options_and_environment_are_named(
    run: Run, site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(site)
    other = tmp_path / "other"
    shutil.copytree(MINI, other)
    found = _settings(run, "--data", other, "--db", tmp_path / "i.sqlite")
    assert found["data folder"]["origin"] == "--data" and found["database"]["origin"] == "--db"
    from kb.check.toml import load_config
    from kb.cli.settings_report import report

    monkeypatch.setenv("KB_DATABASE_URL", str(tmp_path / "env.sqlite"))  # the test runner blanks it for commands
    origins = {s.key: s.origin for s in report(load_config(site), None, None)}
    assert origins["database"] == "KB_DATABASE_URL"


def test_without_a_config_file_everything_is_a_default(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(MINI, tmp_path / "bare" / "data")
    monkeypatch.chdir(tmp_path / "bare")
    found = _settings(run)
    assert found["config"] == {"key": "config", "value": None, "origin": "none"}
    assert {row["origin"] for key, row in found.items() if key not in ("config", "data folder", "database")} == {
        "default"
    }
    assert found["data folder"]["origin"].startswith("the nearest data/")
    code, out, _ = run("config")
    assert code == 0 and "threshold" in out and "# default" in out
