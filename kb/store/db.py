"""The read side's database access: stdlib sqlite3 for the embedded index, SQLAlchemy only for servers.

Queries are written once, with `:name` parameters, which both sqlite3 and SQLAlchemy's `text()` accept.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Protocol

from kb.errors import KBError
from kb.settings import Settings


class Database(Protocol):
    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]: ...


class SqliteDatabase:
    def __init__(self, path: str) -> None:
        # Immutable: kb never changes an index file in place (kb.index.build renames a new one over it), so no locks,
        # and no journal left beside it by a crash, can make a reader fail.
        self.connection = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, dict(params or {})).fetchall()


class ServerDatabase:
    def __init__(self, url: str) -> None:
        self.engine = engine_for(url)

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        with self.engine.connect() as connection:
            return ConnectionDatabase(connection).rows(sql, params)


class ConnectionDatabase:
    """Reads through an open SQLAlchemy connection: the index being built, inside its own transaction."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        from sqlalchemy import text

        return [tuple(row) for row in self.connection.execute(text(sql), dict(params or {}))]


@cache
def engine_for(url: str) -> Any:
    from sqlalchemy import create_engine
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        return create_engine(url)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise KBError(
            f"cannot use database URL {url!r}: {exc}", hint="e.g. postgresql+psycopg://user@host/db"
        ) from None


def open_database(settings: Settings) -> Database:
    if settings.is_sqlite:
        return SqliteDatabase(str(settings.sqlite_path))
    return ServerDatabase(settings.database_url)


def placeholders(name: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """`:name0, :name1, …` and their parameters, for an IN list that works on every engine."""
    params = {f"{name}{i}": value for i, value in enumerate(values)}
    return ", ".join(f":{key}" for key in params), params


def placeholder_chunks(name: str, values: Sequence[Any], size: int = 500) -> list[tuple[str, dict[str, Any]]]:
    """`placeholders` for at most `size` values at a time: one IN list per query, each small enough for any SQLite
    build (older ones allow 999 variables, newer ones 32,766) and for PostgreSQL. Small lists also parse fast:
    SQLite looks named variables up one by one, so a query's parse time grows with the square of its variables."""
    return [placeholders(name, values[start : start + size]) for start in range(0, len(values), size)]
