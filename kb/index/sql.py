"""The write side's SQL, one interface over two drivers: stdlib sqlite3 for an update of the SQLite index (no
SQLAlchemy to import: ~0.4 s of a command that finds one claim changed) and an SQLAlchemy connection for a server
and for the full build. Statements are written once, with `:name` parameters, which both accept."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

Row = dict[str, Any]


class Writer:
    """Run SQL inside the write's transaction; `rows` makes it a kb.store.db.Database for the readers too."""

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def run(self, sql: str, params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None) -> None:
        raise NotImplementedError

    def records(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        raise NotImplementedError

    def insert(self, table: str, rows: Sequence[Row]) -> None:
        """Insert rows that all have the columns of the first, in its key order."""
        if rows:
            columns = list(rows[0])
            names = ", ".join(columns)
            cursor = self.sqlite_cursor()
            if cursor is None:
                marks = ", ".join(f":{column}" for column in columns)
                self.run(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
                return
            # Positional parameters, taken from each row by one C call: a third less than sqlite3 binding by name.
            get = itemgetter(*columns)
            values = map(get, rows) if len(columns) > 1 else ((value,) for value in map(get, rows))
            try:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", values)
            finally:
                cursor.close()

    def insert_values(self, table: str, columns: Sequence[str], values: Sequence[tuple[Any, ...]]) -> None:
        """Insert rows given as tuples in `columns` order (no dict per row: kb_claim_term has millions)."""
        cursor = self.sqlite_cursor()
        if cursor is None:
            self.insert(table, [dict(zip(columns, row, strict=True)) for row in values])
            return
        try:
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", values
            )
        finally:
            cursor.close()

    def sqlite_cursor(self) -> sqlite3.Cursor | None:
        """A cursor of the sqlite3 driver in the write's transaction, or None on another driver."""
        return None


class SqliteWriter(Writer):
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def sqlite_cursor(self) -> sqlite3.Cursor | None:
        return self.connection.cursor()

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, dict(params or {})).fetchall()

    def run(self, sql: str, params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None) -> None:
        if isinstance(params, Sequence):
            self.connection.executemany(sql, params)
        else:
            self.connection.execute(sql, dict(params or {}))

    def records(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        cursor = self.connection.execute(sql, dict(params or {}))
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


class AlchemyWriter(Writer):
    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def sqlite_cursor(self) -> sqlite3.Cursor | None:
        if self.connection.dialect.name != "sqlite":
            return None
        cursor: sqlite3.Cursor = self.connection.connection.cursor()
        return cursor

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        if not params:  # the driver's cursor: SQLAlchemy's Row objects cost more than the query on big reads
            cursor = self.connection.connection.cursor()
            try:
                cursor.execute(sql)
                return [tuple(row) for row in cursor.fetchall()]
            finally:
                cursor.close()
        from sqlalchemy import text

        return [tuple(row) for row in self.connection.execute(text(sql), dict(params))]

    def run(self, sql: str, params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None) -> None:
        from sqlalchemy import text

        if isinstance(params, Sequence) and self.connection.dialect.name == "sqlite":
            cursor = self.connection.connection.cursor()  # the driver's executemany, in the same transaction
            try:
                cursor.executemany(sql, params)
            finally:
                cursor.close()
        elif isinstance(params, Sequence):
            self.connection.execute(text(sql), [dict(p) for p in params])
        else:
            self.connection.execute(text(sql), dict(params or {}))

    def records(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        from sqlalchemy import text

        return [dict(row._mapping) for row in self.connection.execute(text(sql), dict(params or {}))]
