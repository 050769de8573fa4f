"""The pre-commit hooks of `.pre-commit-hooks.yaml`, run by the real `pre-commit` in a temporary content
repository with its own knowledge base: clean pages pass, a wrong figure fails with the finding, and neither the
data files nor the index ever dirty the repository.

The hooks are installed as `repo: local` copies of the published ones (same entry, types, serial setting) with
`language: system` and the kb of this environment, so the test needs no network; what it checks is the hook
definition itself: what pre-commit hands kb, and what kb makes of it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini"
PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
KB = shutil.which("kb") or str(Path(sys.executable).with_name("kb"))
GOOD = "# Our clinic\n\nPlease ask your doctor whether this treatment may suit you.\n"
WRONG = "# Results\n\nA study of 61 patients found that 40 percent of patients improved.\n"

pytestmark = pytest.mark.skipif(not Path(PRE_COMMIT).exists(), reason="needs the pre-commit tool")


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    who = ["-c", "user.name=kb test", "-c", "user.email=kb@example.invalid", "-c", "commit.gpgsign=false"]
    return subprocess.run(["git", *who, *args], cwd=repo, capture_output=True, text=True, check=True)


def _local_hooks() -> str:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        hook["language"] = "system"
        hook["entry"] = hook["entry"].replace("kb ", f"{KB} ", 1)
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, sort_keys=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Made as a team would: `kb init`, then the team's own claims and sources (here the test fixture's)."""
    site = tmp_path / "site"
    site.mkdir()
    _git(site, "init", "-q")
    subprocess.run([KB, "init", str(site)], check=True, capture_output=True)
    shutil.copytree(MINI, site / "data", dirs_exist_ok=True)
    (site / "content").mkdir()
    (site / "content" / "index.md").write_text(GOOD, encoding="utf-8")
    (site / ".pre-commit-config.yaml").write_text(_local_hooks(), encoding="utf-8")
    _git(site, "add", "-A")
    _git(site, "commit", "-qm", "a content repository")
    return site


def _pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"), "NO_COLOR": "1"}
    env.pop("KB_DATA", None)
    env.pop("KB_DATABASE_URL", None)
    return subprocess.run([PRE_COMMIT, "run", *args], cwd=repo, env=env, capture_output=True, text=True, check=False)


def test_clean_pages_pass_and_the_repository_stays_clean(repo: Path) -> None:
    ran = _pre_commit(repo, "--all-files")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "kb check" in ran.stdout and "Passed" in ran.stdout
    assert (repo / ".kb" / "index.sqlite").is_file()  # the hooks did run kb
    assert _git(repo, "status", "--porcelain").stdout == ""


def test_a_wrong_figure_fails_the_commit_with_the_finding(repo: Path) -> None:
    (repo / "content" / "results.md").write_text(WRONG, encoding="utf-8")
    _git(repo, "add", "content/results.md")
    ran = _pre_commit(repo)
    assert ran.returncode == 1
    assert "content/results.md:3:35:error:figure-mismatch:The page says “40 percent”" in ran.stdout
    assert "claims.yaml" not in ran.stdout and "kb.toml" not in ran.stdout  # data and configuration are not pages


def test_known_pages_disagreeing_among_themselves_do_not_fail_a_commit(repo: Path) -> None:
    """The registered page (data/pages/clinic.txt) is in the commit but not in `content`: not the hooks' concern."""
    (repo / "data" / "pages" / "clinic.txt").write_text(
        (MINI / "pages" / "clinic.txt").read_text(encoding="utf-8") + "\nEach infusion takes about five hours.\n",
        encoding="utf-8",
    )
    _git(repo, "add", "-A")
    ran = _pre_commit(repo)
    assert ran.returncode == 0, ran.stdout + ran.stderr
