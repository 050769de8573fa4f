"""`kb sync`: a knowledge base kept in its own repository, fetched at a pinned reference into `.kb/`, tested
against a local bare git repository (no network)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINI, Run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
WRONG = "# Results\n\nA study of 61 patients found that 40 percent of patients improved.\n"


def _git(cwd: Path, *args: str) -> str:
    who = ["-c", "user.name=kb test", "-c", "user.email=kb@example.invalid", "-c", "commit.gpgsign=false"]
    return subprocess.run(["git", *who, *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare repository holding a knowledge base under kb/, tagged v1, then v2 with one claim's wording changed."""
    work, bare = tmp_path / "kb-work", tmp_path / "claims-kb.git"
    shutil.copytree(MINI, work / "kb")
    _git(tmp_path, "init", "-q", "-b", "main", str(work))
    _git(work, "add", "-A")
    _git(work, "commit", "-qm", "v1")
    _git(work, "tag", "v1")
    claims = work / "kb" / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("about three in four", "roughly 3 in 4"), "utf-8")
    _git(work, "commit", "-qam", "v2")
    _git(work, "tag", "v2")
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
    return bare


@pytest.fixture
def site(tmp_path: Path, remote: Path) -> Path:
    root = tmp_path / "site"
    (root / "content" / "blog").mkdir(parents=True)
    (root / "content" / "blog" / "results.md").write_text(WRONG, encoding="utf-8")
    (root / "kb.toml").write_text(
        f'content = ["content"]\n\n[sync]\ngit = "{remote}"\nref = "v1"\npath = "kb"\n', encoding="utf-8"
    )
    return root


def test_sync_then_check_from_a_subfolder(run: Run, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site / "content" / "blog")
    code, _, err = run("check", "results.md", "--format", "json")
    assert code == 2 and "kb sync" in err  # not fetched yet: says what to do
    code, _, err = run("sync")
    assert code == 0 and "at v1" in err
    record = json.loads((site / ".kb" / "knowledge-base" / ".kb-sync.json").read_text(encoding="utf-8"))
    assert record["ref"] == "v1" and len(record["commit"]) == 40
    assert not (site / ".kb" / "knowledge-base" / ".git").exists()
    code, out, _ = run("check", "results.md", "--format", "json")
    found = json.loads(out)
    assert code == 1 and [f["rule"] for f in found][:1] == ["figure-mismatch"]
    assert "about three in four" in found[0]["fix"]


def test_a_new_pin_replaces_the_knowledge_base(run: Run, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site)
    assert run("sync")[0] == 0
    (site / "kb.toml").write_text((site / "kb.toml").read_text(encoding="utf-8").replace('"v1"', '"v2"'), "utf-8")
    assert run("sync")[0] == 0
    code, out, _ = run("check", "content/blog/results.md", "--format", "json")
    assert "roughly 3 in 4" in json.loads(out)[0]["fix"]
    assert sorted(p.name for p in (site / ".kb").iterdir() if p.name.startswith(".knowledge-base")) == []


def test_a_bad_pin_keeps_the_previous_knowledge_base(run: Run, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site)
    assert run("sync")[0] == 0
    before = (site / ".kb" / "knowledge-base" / "kb" / "claims.yaml").read_text(encoding="utf-8")
    (site / "kb.toml").write_text((site / "kb.toml").read_text(encoding="utf-8").replace('"v1"', '"v9"'), "utf-8")
    code, _, err = run("sync")
    assert code == 2 and "no tag, branch or commit 'v9'" in err
    assert (site / ".kb" / "knowledge-base" / "kb" / "claims.yaml").read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ('[sync]\nref = "v1"\n', "[sync] needs git"),
        ('[sync]\ngit = "x"\nref = "v1"\nbranch = "main"\n', "unknown key sync.branch"),
        ('[sync]\ngit = "x"\nref = "v1"\npath = "../data"\n', "sync.path must be inside"),
    ],
)
def test_bad_sync_tables_are_located_errors(run: Run, tmp_path: Path, table: str, says: str) -> None:
    (tmp_path / "kb.toml").write_text(table, encoding="utf-8")
    code, _, err = run("sync", "--config", tmp_path / "kb.toml")
    assert code == 2 and says in err and "kb.toml:" in err


def test_no_sync_table(run: Run, tmp_path: Path) -> None:
    (tmp_path / "kb.toml").write_text("threshold = 70\n", encoding="utf-8")
    code, _, err = run("sync", "--config", tmp_path / "kb.toml")
    assert code == 2 and "no [sync]" in err
