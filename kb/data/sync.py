"""A knowledge base kept in a repository of its own, fetched at a pinned reference into `.kb/knowledge-base/`,
the way `vale sync` fetches a style package: `[sync]` in kb.toml names it, `kb sync` fetches it, and every command
then reads it as the data folder.

    [sync]
    git = "https://github.com/YOUR-ORG/claims-kb.git"   # or a local path
    ref = "v1.4.0"                                       # a tag, a branch or a commit
    path = "data"                                        # the folder holding claims.yaml (default "data")

The fetch goes into a temporary folder and is renamed into place only once the reference is checked out and its
`claims.yaml` found, so a failed sync leaves the previous knowledge base as it was."""

from __future__ import annotations

import json
import os
from pathlib import Path

from kb.errors import KBError, UsageError
from kb.fastclass import dataclass
from kb.safeio import mark_own_folder, write_atomic

SYNC_FOLDER = Path(".kb") / "knowledge-base"
RECORD = ".kb-sync.json"  # what was fetched: repository, reference, commit


@dataclass(frozen=True)
class SyncSource:
    git: str
    ref: str
    path: str = "data"


def synced_data(root: Path, source: SyncSource) -> Path:
    return root / SYNC_FOLDER / source.path


def _git(*args: str, cwd: Path | None = None) -> str:
    import subprocess  # only a sync runs git; every check imports this module for its configuration

    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=600)
    except FileNotFoundError:
        raise UsageError("git is not installed", hint="install git to use [sync]") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise KBError(f"git {args[0]}: {detail}", hint="check [sync] git and ref in kb.toml")
    return done.stdout.strip()


def sync(root: Path, source: SyncSource) -> str:
    """Fetch `source` into root/.kb/knowledge-base; returns the commit checked out."""
    remote = source.git
    if not remote.startswith(("http://", "https://", "ssh://", "git@", "file://")) and (root / remote).exists():
        remote = str((root / remote).resolve())  # a local path is relative to kb.toml's folder
    target = root / SYNC_FOLDER
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    _rmtree(temporary, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    mark_own_folder(target.parent)
    try:
        _git("clone", "--quiet", "--no-checkout", remote, str(temporary))
        commit = _resolve(temporary, source.ref)
        _git("checkout", "--quiet", "--detach", commit, cwd=temporary)
        if not (temporary / source.path / "claims.yaml").is_file():
            raise UsageError(
                f"no {source.path}/claims.yaml in {source.git} at {source.ref}",
                hint="set [sync] path to the folder that holds claims.yaml",
            )
        _rmtree(temporary / ".git")
        record = {"git": source.git, "ref": source.ref, "commit": commit}
        write_atomic(temporary / RECORD, (json.dumps(record, indent=2) + "\n").encode(), "the sync record")
        _swap(temporary, target)
    finally:
        _rmtree(temporary, ignore_errors=True)
    return commit


def _resolve(clone: Path, ref: str) -> str:
    """A tag, a commit, or a branch of the remote (which a fresh clone knows as origin/<branch>)."""
    for candidate in (f"{ref}^{{commit}}", f"origin/{ref}^{{commit}}"):
        try:
            return _git("rev-parse", "--verify", "--quiet", candidate, cwd=clone)
        except KBError:
            continue
    raise UsageError(f"no tag, branch or commit {ref!r} in the synced repository", hint="check [sync] ref in kb.toml")


def _swap(new: Path, target: Path) -> None:
    """Replace `target` by `new` with renames, so a reader sees the old knowledge base or the new one."""
    old = target.with_name(f".{target.name}.{os.getpid()}.old")
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    _rmtree(old, ignore_errors=True)


def synced_commit(root: Path) -> dict[str, str] | None:
    """What the last `kb sync` fetched, or None."""
    try:
        found: dict[str, str] = json.loads((root / SYNC_FOLDER / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found


def _rmtree(path: Path, ignore_errors: bool = False) -> None:
    import shutil  # only a sync removes folders; every check imports this module for its configuration

    shutil.rmtree(path, ignore_errors=ignore_errors)
