"""Reading and writing the user's files without hanging, running away or destroying anything.

- `read_regular` refuses what is not a regular file before reading it (a FIFO blocks forever, `/dev/zero` never
  ends) and refuses files past a size limit. It opens with O_NONBLOCK and checks the opened descriptor, so a file
  swapped for a FIFO between the check and the open cannot hang the run either.
- `write_atomic` writes a temporary file in the target's folder and renames it into place: readers see the old
  file or the new one, never half of one, and a failed write leaves the old file as it was.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kb.errors import KBError

MEGABYTE = 1024 * 1024
# The largest page kb reads by default: the biggest real web pages are a few MB of HTML; a 50 MB "page" is a dump
# that costs minutes and gigabytes. Configurable (`max-file-size` in kb.toml).
DEFAULT_MAX_BYTES = 10 * MEGABYTE

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def special_kind(mode: int) -> str | None:
    """What a non-regular file is ("a named pipe (FIFO)"), or None for a regular file."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def size_text(size: int) -> str:
    return f"{size / MEGABYTE:.1f} MB" if size >= MEGABYTE else f"{size:,} bytes"


class Unreadable(KBError):
    """A file kb will not or cannot read. `reason` says which case ("missing", "special", "denied", "size", "os")
    and `kind` what a special file is, so callers can word the fix for their kind of file without parsing text."""

    def __init__(self, message: str, path: str, hint: str, reason: str, kind: str | None = None) -> None:
        super().__init__(message, path=path, hint=hint)
        self.reason = reason
        self.kind = kind


def _refuse_special(mode: int, shown: str) -> None:
    kind = special_kind(mode)
    if kind is not None:
        raise Unreadable(f"is {kind}, not a file kb can read", shown, "pass regular files only", "special", kind)


def read_regular(path: Path, display: str | None = None, limit: int | None = None) -> bytes:
    """The bytes of a regular file, or an `Unreadable` naming the path and saying why it cannot be read."""
    shown = display if display is not None else str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            target = os.readlink(path)
            raise Unreadable(
                f"dangling symbolic link (points to {target})", shown, "fix or remove the link", "missing"
            ) from None
        raise Unreadable("no such file", shown, "check the path", "missing") from None
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or exc}", shown, "check the path", "os") from None
    _refuse_special(info.st_mode, shown)
    _check_size(info.st_size, shown, limit)
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except PermissionError:
        raise Unreadable("permission denied", shown, "make the file readable", "denied") from None
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or exc}", shown, "check the file", "os") from None
    try:
        _refuse_special(os.fstat(descriptor).st_mode, shown)  # swapped for a FIFO since the stat
        with os.fdopen(descriptor, "rb", closefd=True) as stream:
            descriptor = -1
            data = stream.read() if limit is None else stream.read(limit + 1)
    except OSError as exc:
        raise Unreadable(f"cannot read: {exc.strerror or exc}", shown, "check the file", "os") from None
    finally:
        if descriptor >= 0:
            os.close(descriptor)
    _check_size(len(data), shown, limit, exact=False)  # a file that grew after the check
    return data


def read_limited(stream: object, display: str, limit: int | None) -> bytes:
    """Standard input (or any binary stream) up to the limit, refused past it."""
    read = getattr(stream, "read", None)
    if read is None:
        raise KBError("standard input is closed", path=display, hint="pipe a page into kb, or pass files")
    try:
        data: bytes = read() if limit is None else read(limit + 1)
    except OSError as exc:
        raise KBError(f"cannot read: {exc.strerror or exc}", path=display) from None
    _check_size(len(data), display, limit, exact=False)
    return data


def _check_size(size: int, shown: str, limit: int | None, exact: bool = True) -> None:
    if limit is not None and size > limit:
        measured = size_text(size) if exact else f"over {size_text(limit)}"
        raise Unreadable(
            f"too large to check ({measured}; the limit is {size_text(limit)})",
            shown,
            "raise `max-file-size` in kb.toml if this really is one page",
            "size",
        )


def write_atomic(path: Path, data: bytes, what: str = "file") -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    try:
        import tempfile  # only writers need it; every reader imports this module

        path.parent.mkdir(parents=True, exist_ok=True)
        # The process id in the name lets a later run tell a dead writer's leftover from a live writer's file.
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise KBError(f"cannot write {what}: {exc.strerror or exc}", path=str(path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise KBError(f"cannot write {what}: {exc.strerror or exc}", path=str(path)) from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


OWN_FOLDER_IGNORE = "# Created by kb: the index and synced data are rebuilt by kb and never committed.\n*\n"


def mark_own_folder(folder: Path) -> None:
    """kb's own folder (`.kb/`: the index, a synced knowledge base) ignores itself, as ruff's and pytest's caches
    do, so a content repository's `git status` stays clean. Best effort: kb works without the marker."""
    marker = folder / ".gitignore"
    if os.path.lexists(marker):
        return
    try:
        write_atomic(marker, OWN_FOLDER_IGNORE.encode(), "the index folder's .gitignore")
    except (OSError, KBError):
        pass
