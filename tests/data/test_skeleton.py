"""`kb init`: a knowledge base that validates at once, examples that validate when uncommented, nothing
overwritten, and an index that never dirties the repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kb.data import skeleton
from kb.data.dataset import load
from kb.data.validate import check
from tests.conftest import Run


def test_init_writes_a_knowledge_base_that_validates(run: Run, tmp_path: Path) -> None:
    code, _, err = run("init", tmp_path / "site")
    assert code == 0, err
    site = tmp_path / "site"
    assert {p.name for p in (site / "data").iterdir()} == {"claims.yaml", "sources.yaml", "pages.yaml", ".schema"}
    assert {p.name for p in (site / "data" / ".schema").iterdir()} == {
        "claims.schema.json",
        "sources.schema.json",
        "pages.schema.json",
    }
    assert (site / "kb.toml").read_text(encoding="utf-8").startswith("# kb's settings")
    assert ".kb/" in (site / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert check(load(site / "data")) == []
    assert run("validate", "--data", site / "data")[0] == 0


def test_the_examples_validate_when_uncommented(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for name, text in (("claims", skeleton.CLAIMS), ("sources", skeleton.SOURCES), ("pages", skeleton.PAGES)):
        (data / f"{name}.yaml").write_text(skeleton.uncommented(text), encoding="utf-8")
    (data / "pages").mkdir()
    (data / "pages" / "example-page.md").write_text("# The page's title\n", encoding="utf-8")
    dataset = load(data)
    assert check(dataset) == []
    assert dataset.pages is not None and [p.id for p in dataset.pages.pages] == ["example-page"]
    assert dataset.claims is not None and [c.id for c in dataset.claims.claims] == ["example-response-rate-60"]
    assert dataset.sources is not None and [s.id for s in dataset.sources.sources] == ["example-study"]


def test_init_never_overwrites(run: Run, tmp_path: Path) -> None:
    (tmp_path / "kb.toml").write_text("threshold = 80\n", encoding="utf-8")
    code, _, err = run("init", tmp_path)
    assert code == 2 and "not overwriting" in err and "kb.toml" in err
    assert (tmp_path / "kb.toml").read_text(encoding="utf-8") == "threshold = 80\n"
    assert not (tmp_path / "data").exists()


def test_an_existing_gitignore_keeps_its_lines(run: Run, tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("node_modules/", encoding="utf-8")
    assert run("init", tmp_path)[0] == 0
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()[0] == "node_modules/"
    assert run("init", tmp_path / "again")[0] == 0  # a second repository's own .gitignore


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_index_leaves_git_status_clean(run: Run, tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("", encoding="utf-8")
    assert run("init", tmp_path)[0] == 0
    (tmp_path / ".gitignore").write_text("", encoding="utf-8")  # even without kb init's entry
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "page.md").write_text("# A page\n\nNothing to check here at all.\n", encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "site"], cwd=tmp_path, check=True
    )
    assert run("check", "--config", tmp_path / "kb.toml")[0] == 0
    assert (tmp_path / ".kb" / "index.sqlite").is_file()
    status = subprocess.run(["git", "status", "--porcelain"], cwd=tmp_path, capture_output=True, text=True)
    assert status.stdout == ""


def test_missing_sources_and_pages_files_are_an_empty_knowledge_base(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text("claims: []\n", encoding="utf-8")
    dataset = load(tmp_path)
    assert check(dataset) == []
    assert dataset.sources is not None and dataset.sources.sources == []
    assert dataset.pages is not None and dataset.pages.pages == []
