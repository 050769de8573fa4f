"""One writer at a time per data folder.

The lock is `flock` on a descriptor of the data folder itself, not on a lock file: nothing new appears in the
user's repository, the folder's inode survives the renames that replace the YAML files (a lock on `claims.yaml`
would be lost with the file it was taken on), and the kernel releases the lock of a killed writer, so there is no
stale lock to clean up. The index build lock (`kb.index.files.build_lock`) works the same way. `filelock` would
need a lock file beside the data and offers nothing more on POSIX, kb's platform.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.errors import KBError


@contextmanager
def data_lock(root: Path) -> Iterator[None]:
    """Hold the data folder's write lock (blocking until another writer is done)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: writers are not serialised
        yield
        return
    try:
        descriptor = os.open(root, os.O_RDONLY)
    except OSError as exc:
        raise KBError(f"cannot open the data folder: {exc.strerror or exc}", path=str(root)) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock
