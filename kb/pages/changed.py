"""Files changed since a git ref, for `kb check --changed REF` in pull requests.

Changed means: committed on this branch since it left `ref` (`git diff` against the merge base of `ref` and HEAD, so
commits that landed on `ref` meanwhile do not count), plus staged, unstaged and untracked work (`git status`).
Deleted files are left out; renamed files count under their new name. Paths are absolute and resolved; they cover
the whole repository, not only `root`, which only says where to look for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kb.errors import KBError, UsageError

if TYPE_CHECKING:
    import subprocess

SHALLOW_HINT = "fetch the history (in CI: `fetch-depth: 0`, or `git fetch --unshallow origin`)"


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    import subprocess  # only --changed and repository-root look-ups run git

    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            check=False,
        )
    except FileNotFoundError as exc:
        raise KBError("git not found", hint="install git, or run kb check without --changed") from exc
    except NotADirectoryError as exc:
        raise UsageError(f"not a folder: {cwd}", hint="pass the project folder") from exc


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0].removeprefix("fatal: ") if lines else "git failed"


def repository_root(cwd: Path) -> Path | None:
    """The git top level of `cwd`, or None outside a repository or without git (for callers that can do without)."""
    try:
        result = _git(cwd, "rev-parse", "--show-toplevel")
    except KBError:
        return None
    top = result.stdout.strip()
    return Path(top) if result.returncode == 0 and top else None


def _toplevel(root: Path) -> Path:
    if not root.is_dir():
        raise UsageError(f"folder not found: {root}", hint="pass an existing project folder")
    result = _git(root, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise KBError(
            f"not a git repository: {root} ({_first_line(result.stderr)})",
            path=str(root),
            hint="run inside a git checkout, or check the files without --changed",
        )
    return Path(result.stdout.strip()).resolve()


def _merge_base(top: Path, ref: str) -> str:
    if not ref or ref.startswith("-"):
        raise UsageError(f"bad git ref {ref!r}", hint="name a branch, tag or commit, e.g. origin/main")
    if _git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode != 0:
        raise KBError("the repository has no commits yet", path=str(top), hint="commit first, or drop --changed")
    if _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode != 0:
        raise KBError(
            f"unknown git ref {ref!r}", path=str(top), hint=f"name an existing branch, tag or commit, or {SHALLOW_HINT}"
        )
    result = _git(top, "merge-base", ref, "HEAD")
    if result.returncode != 0:
        raise KBError(f"no common ancestor of {ref!r} and HEAD", path=str(top), hint=SHALLOW_HINT)
    return result.stdout.strip()


def _checked(top: Path, *args: str) -> str:
    result = _git(top, *args)
    if result.returncode != 0:
        raise KBError(f"git {args[0]} failed: {_first_line(result.stderr)}", path=str(top))
    return result.stdout


def _diffed(top: Path, base: str) -> list[str]:
    """Paths changed between the merge base and the working tree (commits, staged and unstaged edits)."""
    output = _checked(top, "diff", "--name-only", "--diff-filter=ACMR", "--no-renames", "-z", base, "--")
    return [name for name in output.split("\0") if name]


def _status(top: Path) -> list[str]:
    """Uncommitted and untracked paths from `git status --porcelain -z` (a rename's second field is its old name)."""
    fields = _checked(top, "status", "--porcelain=v1", "-z", "--untracked-files=all").split("\0")
    names: list[str] = []
    index = 0
    while index < len(fields):
        entry = fields[index]
        index += 1
        if len(entry) < 4:
            continue
        code, name = entry[:2], entry[3:]
        if "R" in code or "C" in code:
            index += 1  # skip the source path
        if "D" not in code:
            names.append(name)
    return names


def changed_files(ref: str, root: Path) -> set[Path]:
    """Existing files changed since `ref` (see the module docstring), as absolute resolved paths."""
    top = _toplevel(root)
    base = _merge_base(top, ref)
    names = {*_diffed(top, base), *_status(top)}
    paths = {(top / name).resolve() for name in names}
    return {path for path in paths if path.is_file()}
