"""The `kb` console script. Chooses the front end, runs it, and exits without interpreter teardown."""

from __future__ import annotations

import os
import sys


def main() -> None:
    argv = sys.argv[1:]
    code: int | None = None
    if argv[:1] == ["search"] and not {"--help", "-h"} & set(argv):
        from kb.search_cli import fast_main

        code = fast_main(argv[1:])
    if code is None:
        from kb.cli import app

        try:
            app()
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    # Skipping teardown saves ~70 ms a call; every write is finished and flushed by now.
    os._exit(code)
