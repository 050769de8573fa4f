"""Domain errors, and the exit-code contract every command follows (`outcome`, used by every front end).

Exit codes: 0 clean; 1 findings (for `kb validate`: problems in the data; for `kb cite`: a claim it refuses to
cite); 2 cannot run (usage, configuration,
input, data); 3 internal error (a bug in kb); 130 interrupted. Errors are one line on stderr, never a traceback
unless `--debug` or `KB_DEBUG=1` asks for one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from kb.records import Problem, Severity

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_CANNOT_RUN = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
DEBUG_ENV = "KB_DEBUG"


class KBError(Exception):
    """Something the user must fix before kb can run: bad input, missing path, bad configuration.

    Carries a location so the message reads like a compiler's: ``path:line:column: message (fix: hint)``.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint

    def location(self) -> str:
        parts = [p for p in (self.path, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} (fix: {self.hint})" if self.hint else text


class DataError(KBError):
    """A data file cannot be read or parsed: malformed YAML, bad encoding, aliases, empty file."""


class InvalidData(KBError):
    """The data parses but fails validation; carries every problem found.

    Exit 2 for commands that need valid data to run; `kb validate` itself reports the problems and exits 1.
    """

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        more = f" (and {len(problems) - 1} more problem(s); run `kb validate`)" if len(problems) > 1 else ""
        super().__init__(first.message + more, first.path, first.line, first.column, first.hint)
        self.problems = problems


class NotFound(KBError):
    """An id given on the command line does not exist."""


class UsageError(KBError):
    """A bad option value or combination."""


class CiteRefused(KBError):
    """`kb cite` will not cite a claim's sources as its support (do-not-use, or no supporting source): exit 1, as
    for findings, since the request was read and judged."""

    exit_code = EXIT_FINDINGS


def as_error(exc: BaseException) -> KBError | None:
    """The one-line error an exception stands for (a KBError, or an unreachable database); None for a bug."""
    if isinstance(exc, KBError):
        return exc
    return unreachable_database(exc) or unreadable_index(exc)


def unreadable_index(exc: BaseException) -> KBError | None:
    """SQLite failing on the index (damaged, locked, not a database) as a one-line error with the command that
    fixes it; None for anything else."""
    if type(exc).__module__ != "sqlite3" or not isinstance(exc, Exception):
        return None
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return KBError(f"cannot read the index: {reason}", hint="run `kb index --rebuild` (or pass another --db)")


def unreachable_database(exc: BaseException) -> KBError | None:
    """A database that cannot be reached (SQLAlchemy's OperationalError, e.g. a server that is down) as a
    one-line error; None for anything else. Checked by name so the SQLite read path never imports SQLAlchemy."""
    if type(exc).__name__ != "OperationalError" or not type(exc).__module__.startswith("sqlalchemy"):
        return None
    original = getattr(exc, "orig", None) or exc
    reason = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    return KBError(f"cannot reach the database: {reason}", hint="check --db / KB_DATABASE_URL and that the server runs")


def debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0", "false", "no")


def environment_error(exc: OSError) -> KBError:
    """An operating-system failure outside kb's control (disk full, read-only folder) as a located error."""
    where = exc.filename if isinstance(exc.filename, str) else None
    reason = exc.strerror or str(exc) or type(exc).__name__
    if where and _shipped(where):
        # a data file of kb's own (kb/resources/) is missing or unreadable: the installation, not the user's folder
        return KBError(
            f"kb's own data file cannot be read: {reason}",
            path=where,
            hint="the kb installation is incomplete: reinstall it (pip install --force-reinstall kb-claims)",
        )
    hint = "check that the folder exists, is writable and has free space" if where else "check the environment"
    return KBError(reason, path=where, hint=hint)


def _shipped(path: str) -> bool:
    from kb.text.resources import RESOURCES

    try:
        return Path(path).resolve().is_relative_to(RESOURCES)
    except (OSError, ValueError):
        return False


def outcome(exc: BaseException) -> tuple[int, str]:
    """The exit code and the one-line message for an exception that ends a command: the whole error contract."""
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED, "kb: interrupted"
    if isinstance(exc, BrokenPipeError):
        return EXIT_CANNOT_RUN, "kb: error: the output was closed before kb finished writing (broken pipe)"
    error = as_error(exc)
    if error is None and isinstance(exc, OSError):
        error = environment_error(exc)
    if error is not None:
        return error.exit_code, f"kb: error: {error}"
    from kb import __version__

    detail = " ".join(str(exc).split())[:300]
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return EXIT_INTERNAL, (
        f"kb: internal error: {what} (this is a bug in kb {__version__}; please report it with the command you ran;"
        f" rerun with --debug or {DEBUG_ENV}=1 for the traceback)"
    )


def report(exc: BaseException, write: Callable[[str], object]) -> int:
    """Write the one-line message (and, when debugging, the traceback first) with `write`; return the exit code."""
    code, message = outcome(exc)
    if code == EXIT_INTERNAL and debugging():
        import traceback  # only here: importing it costs every command a few milliseconds

        write("".join(traceback.format_exception(exc)))
    write(message + "\n")
    return code


def exit_code(severities: Iterable[Severity], fail_on: str, cannot_run: bool = False) -> int:
    """The one exit code of a run that finished: 2 when an input could not be read (whatever else was found),
    1 when anything is at or above `fail_on` ("error", "warning", "info"), else 0; "none" never fails."""
    if cannot_run:
        return EXIT_CANNOT_RUN
    if fail_on == "none":
        return EXIT_CLEAN
    floor = Severity.parse(fail_on)
    return EXIT_FINDINGS if any(severity >= floor for severity in severities) else EXIT_CLEAN
