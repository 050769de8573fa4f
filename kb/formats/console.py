"""The one rich Console factory: every console kb draws on is made here, so they agree on what a closed pipe
means and on how wide a piped or captured output is."""

from __future__ import annotations

from io import StringIO

from rich.console import Console

REPORT_WIDTH = 120  # captured reports (kb check's text format): fixed, so the output is reproducible
MIN_PIPED_WIDTH = 120  # stdout when piped or in CI, where 80 would fold every id


class _Console(Console):
    def on_broken_pipe(self) -> None:
        # rich turns a closed stdout into SystemExit(1), the code for findings; kb's contract says 2 (kb.errors).
        raise BrokenPipeError(32, "Broken pipe")


def stdout_console() -> Console:
    """stdout, at least MIN_PIPED_WIDTH columns wide when it is not a terminal."""
    out = _Console(soft_wrap=False)
    if not out.is_terminal:
        out.width = max(out.width, MIN_PIPED_WIDTH)
    return out


def stderr_console() -> Console:
    """stderr, for progress bars."""
    return _Console(stderr=True)


def report_console(color: bool) -> tuple[Console, StringIO]:
    """A console writing into a string at REPORT_WIDTH columns, independent of the caller's environment."""
    out = StringIO()
    console = _Console(
        file=out, width=REPORT_WIDTH, color_system="standard" if color else None, force_terminal=color,
        no_color=False, highlight=False, emoji=False, soft_wrap=False, legacy_windows=False,
        _environ={},  # reproducible: no COLUMNS, NO_COLOR, TERM or FORCE_COLOR from the caller's environment
    )  # fmt: skip
    return console, out
