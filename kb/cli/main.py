"""The `kb` console script. Chooses the front end, runs it, applies the exit-code contract, and exits without
interpreter teardown."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TextIO


def run(argv: list[str]) -> int:
    """Run one command line and return its exit code; every exception ends as `kb.errors.outcome` says."""
    from kb.errors import DEBUG_ENV, report

    if "--debug" in argv:
        argv = [arg for arg in argv if arg != "--debug"]
        os.environ[DEBUG_ENV] = "1"
    try:
        if sys.stdout is None or sys.stderr is None:
            from kb.errors import KBError

            raise KBError("standard output is closed", hint="run kb with its output going somewhere")
        code: int | None = None
        if argv[:1] == ["search"] and not {"--help", "-h"} & set(argv):
            from kb.cli.search import fast_main

            code = fast_main(argv[1:])
        if code is None:
            from kb.cli.app import app

            try:
                app(args=argv, prog_name="kb")
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)
        sys.stdout.flush()
        return code
    except BaseException as exc:  # noqa: BLE001 - the one place the contract turns exceptions into exit codes
        stream = sys.stderr if sys.stderr is not None else open(os.devnull, "w")  # noqa: SIM115
        return report(exc, _writer(stream))


def _writer(stream: TextIO) -> Callable[[str], None]:
    def write(text: str) -> None:
        try:
            stream.write(text)
            stream.flush()
        except (OSError, ValueError):
            pass  # stderr itself is gone: the exit code still tells

    return write


def main() -> None:
    code = run(sys.argv[1:])
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            code = max(code, 2) if code != 130 else code
    # Skipping teardown saves ~70 ms a call; every write is finished and flushed by now.
    os._exit(code)
