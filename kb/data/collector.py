"""The cyclic garbage collector paused while a build makes millions of small objects.

Loading and compiling the data allocates containers by the hundred thousand and frees almost none, and every
allocation counts towards the collector's next pass, each of which walks the whole (growing) heap: at 10,000
claims that was two thirds of the time YAML loading took. The objects made here hold no reference cycles that
matter (trees of dicts and lists, rows), so the collector is off for the duration and back as it was after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
