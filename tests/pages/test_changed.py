"""`changed_files` against real temporary git repositories: merge base, uncommitted and untracked work, errors."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kb.errors import KBError
from kb.pages.changed import changed_files

IDENTITY = ("-c", "user.name=kb tests", "-c", "user.email=kb@example.invalid", "-c", "commit.gpgsign=false")


@pytest.fixture(autouse=True)
def plain_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git configuration, and no repository above tmp_path."""
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *IDENTITY, *args], cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout


def put(repo: Path, name: str, text: str = "x\n") -> Path:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: a.md, b.md, c.md, old.md, keep.md, docs/d.md, .gitignore (ignores *.log); then branch `feature`."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    for name in ("a.md", "b.md", "c.md", "old.md", "keep.md", "docs/d.md"):
        put(root, name, f"{name}\n")
    put(root, ".gitignore", "*.log\n")
    commit(root, "base")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def names(paths: set[Path], root: Path) -> set[str]:
    return {path.relative_to(root.resolve()).as_posix() for path in paths}


def test_committed_uncommitted_and_untracked(repo: Path) -> None:
    put(repo, "a.md", "changed on the branch\n")
    put(repo, "new.md")
    (repo / "c.md").unlink()
    git(repo, "mv", "old.md", "renamed.md")
    commit(repo, "feature work")
    put(repo, "b.md", "unstaged edit\n")
    put(repo, "staged.md")
    git(repo, "add", "staged.md")
    put(repo, "drafts/untracked one.md")
    put(repo, "debug.log")  # ignored
    (repo / "docs" / "d.md").unlink()  # uncommitted delete

    changed = changed_files("main", repo)
    assert all(path.is_absolute() for path in changed)
    assert names(changed, repo) == {"a.md", "new.md", "renamed.md", "b.md", "staged.md", "drafts/untracked one.md"}


def test_clean_branch_has_no_changes(repo: Path) -> None:
    assert changed_files("main", repo) == set()


def test_commits_on_ref_after_the_fork_do_not_count(repo: Path) -> None:
    put(repo, "a.md", "feature\n")
    commit(repo, "feature")
    git(repo, "checkout", "-q", "main")
    put(repo, "keep.md", "changed on main later\n")
    put(repo, "main-only.md")
    commit(repo, "main moves on")
    git(repo, "checkout", "-q", "feature")
    assert names(changed_files("main", repo), repo) == {"a.md"}


def test_staged_edit_against_head(repo: Path) -> None:
    put(repo, "keep.md", "staged\n")
    git(repo, "add", "keep.md")
    assert names(changed_files("HEAD", repo), repo) == {"keep.md"}


def test_ref_can_be_a_commit_or_tag(repo: Path) -> None:
    git(repo, "tag", "v1")
    put(repo, "a.md", "1\n")
    commit(repo, "one")
    first = git(repo, "rev-parse", "HEAD").strip()
    put(repo, "b.md", "2\n")
    commit(repo, "two")
    assert names(changed_files("v1", repo), repo) == {"a.md", "b.md"}
    assert names(changed_files(first, repo), repo) == {"b.md"}
    assert names(changed_files("HEAD~1", repo), repo) == {"b.md"}


def test_from_a_subfolder_paths_cover_the_repository(repo: Path) -> None:
    put(repo, "a.md", "edit\n")
    put(repo, "docs/new.md")
    changed = changed_files("main", repo / "docs")
    assert changed == {(repo / "a.md").resolve(), (repo / "docs" / "new.md").resolve()}


def test_unicode_and_spaces_in_names(repo: Path) -> None:
    put(repo, "café notes.md")
    commit(repo, "accent")
    put(repo, "naïve “quote”.md")
    assert names(changed_files("main", repo), repo) == {"café notes.md", "naïve “quote”.md"}


def test_not_a_git_repository(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(KBError) as caught:
        changed_files("main", plain)
    assert "not a git repository" in caught.value.message
    assert caught.value.hint and "--changed" in caught.value.hint


def test_unknown_ref(repo: Path) -> None:
    with pytest.raises(KBError) as caught:
        changed_files("origin/nope", repo)
    assert caught.value.message == "unknown git ref 'origin/nope'"
    assert caught.value.hint and "fetch-depth: 0" in caught.value.hint


def test_option_like_ref_is_refused(repo: Path) -> None:
    with pytest.raises(KBError, match="bad git ref"):
        changed_files("--output=/tmp/x", repo)


def test_repository_without_commits(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    with pytest.raises(KBError, match="no commits yet"):
        changed_files("main", empty)


def test_unrelated_histories(repo: Path) -> None:
    git(repo, "checkout", "-q", "--orphan", "island")
    commit(repo, "unrelated root")
    with pytest.raises(KBError) as caught:
        changed_files("main", repo)
    assert "no common ancestor" in caught.value.message


def test_missing_root_folder(tmp_path: Path) -> None:
    with pytest.raises(KBError, match="folder not found"):
        changed_files("main", tmp_path / "missing")


def test_git_not_installed(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    with pytest.raises(KBError) as caught:
        changed_files("main", repo)
    assert caught.value.message == "git not found"
