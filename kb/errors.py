"""Domain errors. Raised inside the library; turned into one-line messages and exit codes by the CLI."""

from __future__ import annotations

from kb.records import Problem


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


def as_error(exc: BaseException) -> KBError | None:
    """The one-line error an exception stands for (a KBError, or an unreachable database); None for a bug."""
    return exc if isinstance(exc, KBError) else unreachable_database(exc)


def unreachable_database(exc: BaseException) -> KBError | None:
    """A database that cannot be reached (SQLAlchemy's OperationalError, e.g. a server that is down) as a
    one-line error; None for anything else. Checked by name so the SQLite read path never imports SQLAlchemy."""
    if type(exc).__name__ != "OperationalError" or not type(exc).__module__.startswith("sqlalchemy"):
        return None
    original = getattr(exc, "orig", None) or exc
    reason = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    return KBError(f"cannot reach the database: {reason}", hint="check --db / KB_DATABASE_URL and that the server runs")
