"""How wide a report is laid out, decided without rich: the machine formats (json, sarif, line, github) need the
width only for their text, and importing rich for it costs a single-page `kb check` ~40 ms."""

from __future__ import annotations

import os
import sys

REPORT_WIDTH = 120  # captured reports (kb check's text format): fixed, so the output is reproducible
MIN_PIPED_WIDTH = 120  # stdout when piped or in CI, where 80 would fold every id


def output_width() -> int:
    """The width a report is laid out for: `COLUMNS` when set (as every command-line tool honours it), else the
    terminal's, else REPORT_WIDTH when piped (a log or a file has no width to fit)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout is not None and sys.stdout.isatty():
        import shutil  # here, not at the top: importing it costs every kb check a few milliseconds

        return shutil.get_terminal_size((REPORT_WIDTH, 24)).columns
    return REPORT_WIDTH
