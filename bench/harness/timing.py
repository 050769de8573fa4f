"""Timing an action or a phase, and statistics of the samples: medians, percentiles, a least-squares line."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


@contextmanager
def stopwatch(phases: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    phases[name] = time.perf_counter() - start


def median_ms(samples: Sequence[float]) -> float:
    return 1000 * statistics.median(samples)


def percentile_ms(samples: Sequence[float], share: float) -> float:
    """Nearest-rank percentile in ms (0.5: median, 0.9: p90); nan for no samples."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return 1000 * ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def p90_ms(samples: Sequence[float]) -> float:
    return percentile_ms(samples, 0.9)


def fit(points: Sequence[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares line through (x, y) points: intercept and slope (e.g. fixed seconds and seconds per page)."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x in xs)
    return my - slope * mx, slope
