"""What the page-reading commands (`kb check`, `kb contradictions`) share: stdin, colour, writing the report.
Which files to read is `kb.pages.collect.page_files`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kb.errors import KBError
from kb.records import InputError


def write_report(text: str, output_file: str | None) -> None:
    """The report to stdout, or with `--output FILE` into that file, atomically (a reader never sees half of it)."""
    if output_file is None:
        write_output(text)
        return
    from kb.safeio import write_atomic

    write_atomic(Path(output_file), text.encode("utf-8"), "the report")


def say_settings(config_path: Path | None, data_dir: Path, database_url: str, files: int) -> None:
    """--verbose: what the run used, on stderr, before the report."""
    sys.stderr.write(
        f"kb: config {config_path or 'none (defaults)'}; data {data_dir.resolve()}; index {database_url}; "
        f"{files} file(s)\n"
    )


def use_color(choice: str) -> bool:
    """--color auto|always|never; with auto, NO_COLOR and TERM=dumb turn colour off, FORCE_COLOR turns it on
    (no-color.org, force-color.org), and otherwise a terminal decides."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def read_stdin(limit: int) -> tuple[bytes | None, list[InputError]]:
    """The page on standard input, or why it cannot be read (past the size limit, closed): never an empty page."""
    from kb.safeio import read_limited

    try:
        return read_limited(getattr(sys.stdin, "buffer", None), "-", limit), []
    except KBError as exc:
        return None, [InputError.from_error(exc, "-")]


def write_output(text: str) -> None:
    """All of stdout at once; a closed stdout is an error (kb.errors), never a silent success."""
    sys.stdout.write(text)
    sys.stdout.flush()
