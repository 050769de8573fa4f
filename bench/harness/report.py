"""Report helpers: the log line, the machine and load average, PASS/MISS, a ruled table header, folder sizes."""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine() -> str:
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()} "
        f"({platform.python_implementation()}) at {sys.executable}"
    )


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def ruled(header: str) -> list[str]:
    """A table's header and a rule as wide."""
    return [header, "-" * len(header)]


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
