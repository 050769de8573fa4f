"""The index's files on disk: the stamp beside it, which paths kb may write to, the build lock, and the temporary
files a killed build leaves behind."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kb.errors import KBError, UsageError
from kb.safeio import read_regular, special_kind, write_atomic
from kb.settings import Settings

STAMP_SUFFIX = ".stamp"

LOCK_SUFFIX = ".lock"

SQLITE_HEADER = b"SQLite format 3\x00"

ORPHAN_AGE_S = 3600  # a temporary file this old is left over whatever its process id says


def stamp_path(index: Path) -> Path:
    return index.with_name(index.name + STAMP_SUFFIX)


def index_identity(index: Path) -> list[int] | None:
    try:
        info = index.stat()
    except OSError:
        return None
    return [info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def read_stamp(index: Path) -> dict[str, Any]:
    try:
        stamp = json.loads(read_regular(stamp_path(index), limit=1 << 20))
    except (KBError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) and stamp.get("tool") == "kb" else {}


def write_stamp(index: Path, meta: dict[str, str]) -> None:
    stamp = {"tool": "kb", **meta, "index": index_identity(index)}
    write_atomic(stamp_path(index), json.dumps(stamp, sort_keys=True).encode() + b"\n", "the index stamp")


def index_meta(index: Path) -> dict[str, str]:
    """The meta table of the index file, or {} when it is missing, damaged or not a kb index."""
    try:
        with open(index, "rb") as stream:
            if stream.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return {}
        connection = sqlite3.connect(f"file:{index}?mode=ro&immutable=1", uri=True)
        try:
            return dict(connection.execute("SELECT key, value FROM kb_meta").fetchall())
        finally:
            connection.close()
    except (OSError, sqlite3.Error):
        return {}


def check_target(settings: Settings) -> None:
    """Refuse an index path kb must not write over: a folder, a special file, or a file that is not a kb index."""
    index = settings.sqlite_path
    folder = index.parent
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            f"{folder} is a file, not a folder, so the index cannot be kept in it",
            hint="move that file away, or pass --db with another path",
        )
    if not os.path.lexists(index):
        return
    try:
        mode = os.stat(index).st_mode
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(f"cannot use {index} as the index: {reason}", hint="pass --db with another path") from None
    kind = special_kind(mode)
    if kind is not None:
        raise UsageError(f"{index} is {kind}, not a kb index", hint="pass --db with the path of a file kb may create")
    if settings.default_db or read_stamp(index) or index_meta(index):
        return
    raise UsageError(
        f"{index} exists and is not a kb index; kb will not overwrite it",
        hint="pass --db with a new path (kb creates the index there), or delete that file yourself",
    )


def remove_orphans(index: Path) -> None:
    """Temporary files of builds that died (kill -9, power loss): their process is gone, or they are old."""
    try:
        names = os.listdir(index.parent)
    except OSError:
        return
    prefix = f".{index.name}."
    now = time.time()
    for name in names:
        if not name.startswith(prefix) or ".tmp" not in name:
            continue
        # `.index.sqlite.<pid>.tmp` (the index being built), `.index.sqlite.stamp.<pid>.<random>.tmp` (the stamp)
        pid_text = next((part for part in name[len(prefix) :].split(".") if part.isdigit()), "")
        path = index.parent / name
        try:
            old = now - path.stat().st_mtime > ORPHAN_AGE_S
        except OSError:
            continue
        if old or (pid_text.isdigit() and not _alive(int(pid_text))):
            try:
                path.unlink()
            except OSError:
                pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def build_lock(index: Path) -> Iterator[None]:
    """One builder at a time per index; the kernel releases the lock of a killed process."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: builders race, each renames a complete index
        yield
        return
    try:
        index.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(index.with_name(index.name + LOCK_SUFFIX), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise unwritable(index, exc) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def unwritable(index: Path, exc: OSError) -> KBError:
    return KBError(
        f"cannot write the index: {exc.strerror or exc}",
        path=str(exc.filename or index),
        hint=f"make {index.parent} writable, or pass --db with a path kb may write",
    )
