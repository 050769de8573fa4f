"""The command line and the work folder: a parser from the script's docstring, size lists, `--keep`, `--json`."""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def parser(doc: str | None) -> argparse.ArgumentParser:
    """An argument parser described by the first paragraph of the script's docstring."""
    return argparse.ArgumentParser(description=doc.split("\n\n")[0] if doc else None)


def numbers(text: str) -> list[int]:
    """A comma-separated list of sizes: "1000,10_000" -> [1000, 10000]."""
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


@contextmanager
def work_folder(keep: str | None, prefix: str) -> Iterator[Path]:
    """`--keep DIR` (made if missing, kept afterwards), else a temporary folder removed at the end."""
    root = Path(keep) if keep else Path(tempfile.mkdtemp(prefix=prefix))
    root.mkdir(parents=True, exist_ok=True)
    try:
        yield root
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def write_json(path: str, data: object, default: Callable[[Any], Any] | None = None) -> None:
    """`--json FILE`: the results, indented."""
    Path(path).write_text(json.dumps(data, indent=2, default=default))
