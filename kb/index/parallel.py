"""A full build's per-claim compiling on two cores: the second half of the claims in a forked child.

Each claim compiles to its rows on its own (kb.index.compile.claim_rows), so the child computes the rows of the
second half from the same dataset (inherited by the fork, not copied or pickled), sends them back pickled through
a pipe, and the parent appends them to its own half: the same rows in the same order as one process makes. Only
where fork is the platform's own way (Linux) and two cores are there, and only for enough claims to repay the
pickling. Any failure in the child (an exception, a kill) is not trusted: the parent compiles that half itself,
so an error surfaces from the parent as it would without the child.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
MINIMUM = 4000  # below this many claims the fork and the pickling cost about what they save


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return 1


def mapped(function: Callable[[int], T], count: int) -> list[T]:
    """`[function(i) for i in range(count)]`, the second half computed in a forked child when that pays."""
    if count < max(MINIMUM, 2) or not sys.platform.startswith("linux") or _cores() < 2:
        return [function(i) for i in range(count)]
    half = count // 2
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's clean-up
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as stream:
                pickle.dump([function(i) for i in range(half, count)], stream, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    second: list[T] | None = None
    try:
        first = [function(i) for i in range(half)]
        with os.fdopen(read_end, "rb") as stream:
            try:
                second = pickle.load(stream)
            except Exception:  # noqa: BLE001 - a child that died mid-way: its half is computed here
                second = None
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        _, status = os.waitpid(pid, 0)
    if second is None or status != 0 or len(second) != count - half:
        second = [function(i) for i in range(half, count)]
    return first + second
