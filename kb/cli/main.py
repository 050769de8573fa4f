"""The `kb` console script. Chooses the front end, runs it, applies the exit-code contract, and exits without
interpreter teardown."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TextIO

# Options every command takes, accepted before the command name too (`kb --data D check`), as git and ruff do.
GLOBAL_VALUE_OPTIONS = ("--data", "--db")
VERSION_FLAGS = ("--version", "-V")


def hoist_global_options(argv: list[str]) -> list[str]:
    """`kb --data D --db X check …` -> `kb check … --data D --db X`: the commands declare these options."""
    moved: list[str] = []
    rest = list(argv)
    while rest:
        option, _, value = rest[0].partition("=")
        if option in GLOBAL_VALUE_OPTIONS and value:
            moved.append(rest.pop(0))
        elif option in GLOBAL_VALUE_OPTIONS and len(rest) > 1:
            moved += [rest.pop(0), rest.pop(0)]
        else:
            break
    if not moved or not rest:
        return argv
    return [rest[0], *rest[1:], *moved]


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
        if argv[:1] and argv[0] in VERSION_FLAGS:
            from kb import __version__

            sys.stdout.write(f"kb {__version__}\n")
            sys.stdout.flush()
            return 0
        argv = hoist_global_options(argv)
        code: int | None = None
        if argv[:1] == ["search"] and not {"--help", "-h"} & set(argv):
            from kb.cli.search import fast_main

            code = fast_main(argv[1:])
        elif argv[:1] == ["check"] and not {"--help", "-h"} & set(argv):
            from kb.cli.check import fast_main as fast_check

            code = fast_check(argv[1:])
        if code is None:
            code = _run_typer(argv)
        sys.stdout.flush()
        return code
    except BaseException as exc:  # noqa: BLE001 - the one place the contract turns exceptions into exit codes
        stream = sys.stderr if sys.stderr is not None else open(os.devnull, "w")  # noqa: SIM115
        return report(exc, _writer(stream))


def _run_typer(argv: list[str]) -> int:
    """The Typer app, with click's usage errors as the one-line `kb: error:` every other error is."""
    from typer import Abort
    from typer._click.exceptions import NoArgsIsHelpError, UsageError  # Typer vendors click; these are its classes

    from kb.cli.app import app

    try:
        result = app(args=argv, prog_name="kb", standalone_mode=False)
    except NoArgsIsHelpError as exc:
        if exc.ctx is not None:
            sys.stdout.write(exc.ctx.get_help() + "\n")
        return exc.exit_code
    except UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "kb"
        sys.stderr.write(f"kb: error: {' '.join(exc.format_message().split())} (fix: see '{where} --help')\n")
        return exc.exit_code
    except Abort:
        raise KeyboardInterrupt from None
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)
    return result if isinstance(result, int) else 0


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
