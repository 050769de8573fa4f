"""The one worker pool for reading many pages: `kb check` and `kb contradictions` both fan files out through it.

Workers are forked (they inherit the loaded code and vocabulary tables) and each opens its own database connection
in `initializer`: a connection is never shared across a fork.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Result = TypeVar("Result")


def fan_out(
    paths: Sequence[str],
    jobs: int,
    serial: Callable[[str], Result],
    worker: Callable[[str], Result],
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
    chunksize: int,
) -> Iterator[Result]:
    """The result for every path, in order: `serial(path)` in this process, or, when `jobs` > 1 and there are
    several files, `worker(path)` in forked workers set up by `initializer(*initargs)` (`worker` must be a
    module-level function: the pool pickles it)."""
    if jobs > 1 and len(paths) > 1:
        from multiprocessing import get_context

        with get_context("fork").Pool(jobs, initializer, initargs) as pool:
            yield from pool.imap(worker, paths, chunksize=chunksize)
    else:
        for path in paths:
            yield serial(path)
