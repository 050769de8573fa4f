"""Reading one long single-line page is linear: the time of one and of two megabytes, side by side in one run.

    python bench/bench_reading.py            # 16,000 and 32,000 sentences on one line, .txt, .md and .html

A ratio near 2 is linear; quadratic behaviour (a per-sentence scan from the start of the line) shows as about 4.
"""

from __future__ import annotations

import statistics
import time

from kb.pages.read import read_bytes

UNIT = "The dose was 0.76 mg/kg in 61 patients, and don&rsquo t **stop**. "
WRAPS = {"big.txt": "{}", "big.md": "{}", "big.html": "<p>{}</p>"}
SIZES = (16_000, 32_000)
RUNS = 3


def timed(name: str, wrap: str, sentences: int) -> float:
    data = wrap.format(UNIT * sentences).encode()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        read_bytes(data, name)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    print(f"{'page':<10} {'16,000 sentences':>17} {'32,000 sentences':>17} {'ratio':>6}  (median of {RUNS}, s)")
    for name, wrap in WRAPS.items():
        small, large = (timed(name, wrap, n) for n in SIZES)
        print(f"{name:<10} {small:>17.2f} {large:>17.2f} {large / small:>6.2f}")


if __name__ == "__main__":
    main()
