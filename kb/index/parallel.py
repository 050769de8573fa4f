"""A full build's per-claim compiling on two cores: the claims shared with a forked child.

Each claim compiles to its rows on its own (kb.index.compile.claim_rows), so the child computes rows from the same
dataset (inherited by the fork, not copied or pickled), sends them back pickled, and the parent puts them after its
own: the same rows in the same order as one process makes. The parent takes claims from the first
up and the child from the last down, each noting in shared memory how far it got, until they meet: the parent first
does work of its own (`first`: validating the data), so a fixed split would leave one core idle. Where they meet
both may compile a claim; the parent's copy is kept (the rows are the same). Only where fork is the platform's own
way (Linux) and two cores are there, and only for enough claims to repay the pickling. Any failure in the child
(an exception, a kill) is not trusted: the parent compiles the child's part itself, so an error surfaces from the
parent as it would without the child; an error in the parent kills the child.

The child pickles its rows a batch at a time as it goes, into a file in memory (memfd): the pickling is spread over
its compiling rather than done after the two meet, and the parent reads a file, not a pipe it would have to drain
while the child writes (at 100,000 claims the parent waited 3.3 s on the pipe after the meeting; it reads the file
in 0.6 s).
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import BinaryIO, TypeVar

from kb.index.forked import available, child_writes

T = TypeVar("T")
MINIMUM = 4000  # below this many claims the fork and the pickling cost about what they save
BATCH = 1000  # results the child pickles at a time


def mapped(function: Callable[[int], T], count: int, first: Callable[[], None] | None = None) -> list[T]:
    """`first()`, then `[function(i) for i in range(count)]`, part computed in a forked child when that pays."""
    if count < max(MINIMUM, 2) or not available():
        if first is not None:
            first()
        return [function(i) for i in range(count)]
    from multiprocessing.sharedctypes import RawArray

    reached = RawArray("q", [0, count])  # the parent's next claim; the lowest claim the child has begun
    rows = os.memfd_create("kb-rows", os.MFD_CLOEXEC)
    pid = os.fork()
    if pid == 0:  # the child: compute from the end, send a batch at a time

        def send(stream: BinaryIO) -> None:
            batch: list[T] = []
            for index in range(count - 1, -1, -1):
                if index < reached[0]:
                    break
                reached[1] = index
                batch.append(function(index))
                if len(batch) == BATCH:
                    pickle.dump(batch, stream, protocol=pickle.HIGHEST_PROTOCOL)
                    batch = []
            pickle.dump(batch, stream, protocol=pickle.HIGHEST_PROTOCOL)

        child_writes(rows, send)
    second: list[T] | None = None
    try:
        if first is not None:
            first()
        mine: list[T] = []
        for index in range(count):
            if index >= reached[1]:
                break
            mine.append(function(index))
            reached[0] = index + 1
        _, status = os.waitpid(pid, 0)
        pid = 0
        if status == 0:
            second = _read_back(rows)
    except BaseException:
        if pid:
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        if pid:
            os.waitpid(pid, 0)
        os.close(rows)
    if second is None:
        second = []
    start = count - len(second)  # the child's part: claims start..count-1
    if start > len(mine):  # never when the two counters are read whole; computed here if it were
        mine += [function(index) for index in range(len(mine), start)]
    return mine + second[len(mine) - start :]


def _read_back(rows: int) -> list[T] | None:
    """The child's results, in claim order (it wrote them from the last claim down, a batch at a time), or None
    when what it wrote cannot be read."""
    found: list[T] = []
    try:
        with os.fdopen(os.dup(rows), "rb") as stream:
            stream.seek(0)
            while stream.peek(1):  # one pickle a batch, each read on its own
                found += pickle.load(stream)
    except Exception:  # noqa: BLE001 - a child that wrote a part only: its part is computed here
        return None
    found.reverse()
    return found
