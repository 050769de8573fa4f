"""The one rich Console factory: every console kb draws on is made here, so they agree on what a closed pipe
means and on how wide a piped or captured output is."""

from __future__ import annotations

import os
from io import StringIO

from rich.console import Console

from kb.formats.width import MIN_PIPED_WIDTH, REPORT_WIDTH


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich turns a closed stdout into SystemExit(1), the code for findings; kb's contract says 2 (kb.errors).
        raise BrokenPipeError(32, "Broken pipe")


def stdout_console() -> Console:
    """stdout, at least MIN_PIPED_WIDTH columns wide when it is not a terminal and `COLUMNS` is not set."""
    out = _Console(soft_wrap=False)
    if not out.is_terminal and not os.environ.get("COLUMNS", "").isdigit():
        out.width = max(out.width, MIN_PIPED_WIDTH)
    return out


def stderr_console() -> Console:
    """stderr, for progress bars."""
    return _Console(stderr=True)


def report_console(color: bool, width: int = REPORT_WIDTH) -> tuple[Console, StringIO]:
    """A console writing into a string at `width` columns, independent of the caller's environment (the CLI passes
    `output_width()`; the library's default is fixed, so its output is reproducible)."""
    out = StringIO()
    console = _Console(
        file=out, width=width, color_system="standard" if color else None, force_terminal=color,
        no_color=False, highlight=False, emoji=False, soft_wrap=False, legacy_windows=False,
        _environ={},  # reproducible: no COLUMNS, NO_COLOR, TERM or FORCE_COLOR from the caller's environment
    )  # fmt: skip
    return console, out
