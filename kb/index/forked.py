"""One task run in a forked child while the parent does other work: its result comes back pickled through a file in
memory (memfd), or None when the child failed (an exception, a kill), and then the caller does the task itself, so
an error surfaces from the parent as it would without the child. An error in the parent kills the child. Only where
fork is the platform's own way (Linux) and two cores are there (`available`)."""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO, NoReturn, TypeVar

T = TypeVar("T")


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return 1


def available() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "memfd_create") and cores() >= 2


def child_writes(fd: int, write: Callable[[BinaryIO], object]) -> NoReturn:
    """In a forked child: write the result to `fd`, and leave without running the parent's clean-up (exit status 0
    only when the whole result was written)."""
    status = 1
    try:
        with os.fdopen(fd, "wb", closefd=False) as stream:
            write(stream)
        status = 0
    finally:
        os._exit(status)


@contextmanager
def forked(task: Callable[[], T]) -> Iterator[Callable[[], T | None]]:
    """Start `task()` in a forked child; the value is a `join()` that waits for the child and returns its result
    (None when it failed). Leaving the block without joining kills the child."""
    result = os.memfd_create("kb-forked", os.MFD_CLOEXEC)
    pid = os.fork()
    if pid == 0:
        child_writes(result, lambda stream: pickle.dump(task(), stream, protocol=pickle.HIGHEST_PROTOCOL))
    running = True

    def join() -> T | None:
        nonlocal running
        _, status = os.waitpid(pid, 0)
        running = False
        if status != 0:
            return None
        try:
            with os.fdopen(os.dup(result), "rb") as stream:
                stream.seek(0)
                found: T = pickle.load(stream)
                return found
        except Exception:  # noqa: BLE001 - what a failing child wrote: the caller does the task itself
            return None

    try:
        yield join
    finally:
        if running:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(result)
