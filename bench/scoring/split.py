"""The fixed development/evaluation split: pages ordered by the SHA-256 of their file name, the first 60 % dev."""

from __future__ import annotations

import hashlib
from pathlib import Path

DEV_SHARE = 0.6
SPLITS = ("dev", "eval")


def split_of(domain_dir: Path) -> dict[str, str]:
    """Map each page's `<domain>/<file name>` to "dev" or "eval"; the rule never looks at the pages' content."""
    names = sorted(p.name for p in domain_dir.glob("*.txt"))
    ordered = sorted(names, key=lambda name: hashlib.sha256(name.encode()).hexdigest())
    cut = round(len(ordered) * DEV_SHARE)
    return {f"{domain_dir.name}/{name}": ("dev" if i < cut else "eval") for i, name in enumerate(ordered)}
