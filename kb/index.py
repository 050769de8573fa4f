"""Keep the compiled index in step with the YAML: a no-op when nothing changed, a full rebuild when it did.

Change detection works like git's index: a cheap signature of every file's size and mtime first; only when that
differs is the content hashed, and only when the content hash differs is the index rebuilt. Rebuilds of a SQLite
index are written to a temporary file and renamed into place, so a failed build never leaves a broken index.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from kb.config import Settings
from kb.db import ConnectionDatabase, Database, open_database

SCHEMA_VERSION = "4"
TABLE_ORDER = ("subject", "source", "page", "claim", "claim_source", "mention", "term", "claim_term", "number")


# The modules whose code shapes the compiled rows: a change to any of them makes the index stale too.
_COMPILER = tuple(
    Path(__file__).with_name(name)
    for name in (
        "compile.py",
        "evidence.py",
        "quantities.py",
        "schema.py",
        "tables.py",
        "textnorm.py",
        "index.py",
        "subjects.py",
        "statements.py",
        "reading.py",
    )
)


def _inputs(data_dir: Path) -> list[tuple[str, Path]]:
    """Every file the index is compiled from, named stably: the data folder's files and the compiler's code."""
    files = sorted(p for p in data_dir.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [(str(p.relative_to(data_dir)), p) for p in files] + [(f"kb/{p.name}", p) for p in _COMPILER]


def stat_signature(data_dir: Path) -> str:
    parts = []
    for name, path in _inputs(data_dir):
        info = path.stat()
        parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def content_hash(data_dir: Path) -> str:
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for name, path in _inputs(data_dir):
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def read_meta(settings: Settings) -> dict[str, str]:
    """The stored signatures, or {} when there is no index yet."""
    if settings.is_sqlite:
        path = settings.sqlite_path
        if not path.is_file():
            return {}
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
                return dict(connection.execute("SELECT key, value FROM kb_meta").fetchall())
        except sqlite3.DatabaseError:
            return {}  # a damaged or foreign file: rebuild over it
    try:
        return dict(open_database(settings).rows("SELECT key, value FROM kb_meta"))
    except Exception:  # noqa: BLE001 - missing tables on a fresh server: build them
        return {}


def refresh(settings: Settings, force: bool = False) -> str:
    """Bring the index up to date. Returns "fresh", "touched" (files touched, content same) or "rebuilt"."""
    meta = {} if force else read_meta(settings)
    signature = stat_signature(settings.data_dir)
    if meta.get("schema_version") == SCHEMA_VERSION and meta.get("stat_signature") == signature:
        return "fresh"
    digest = content_hash(settings.data_dir)
    if meta.get("schema_version") == SCHEMA_VERSION and meta.get("content_hash") == digest:
        _write_meta(settings, {"stat_signature": signature})
        return "touched"
    build(settings, {"schema_version": SCHEMA_VERSION, "stat_signature": signature, "content_hash": digest})
    return "rebuilt"


def _write_meta(settings: Settings, values: dict[str, str]) -> None:
    if settings.is_sqlite:
        with sqlite3.connect(settings.sqlite_path) as connection:
            connection.executemany("UPDATE kb_meta SET value = ? WHERE key = ?", [(v, k) for k, v in values.items()])
        return
    from sqlalchemy import text

    from kb.db import engine_for

    with engine_for(settings.database_url).begin() as connection:
        for key, value in values.items():
            connection.execute(text("UPDATE kb_meta SET value = :v WHERE key = :k"), {"v": value, "k": key})


def load_rows(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """Load, validate and compile the data; raise InvalidData with every problem when it is not valid."""
    from kb.compile import compile_rows
    from kb.dataset import load
    from kb.errors import InvalidData
    from kb.validate import check

    dataset = load(settings.data_dir)
    problems = check(dataset)
    if problems:
        raise InvalidData(problems)
    assert dataset.sources and dataset.claims and dataset.pages
    return compile_rows(dataset.sources, dataset.claims, dataset.pages)


def build(settings: Settings, meta: dict[str, str]) -> None:
    rows = load_rows(settings)
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    from kb import tables

    table_for = {
        "subject": tables.SubjectRow,
        "source": tables.SourceRow,
        "page": tables.PageRow,
        "claim": tables.ClaimRow,
        "claim_source": tables.ClaimSourceRow,
        "mention": tables.MentionRow,
        "term": tables.TermRow,
        "claim_term": tables.ClaimTermRow,
        "number": tables.ClaimNumberRow,
    }
    metadata = SQLModel.metadata
    target = settings.sqlite_path if settings.is_sqlite else None
    url = settings.database_url
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.unlink(missing_ok=True)
        url = f"sqlite:///{temporary}"
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            if target is None:
                metadata.drop_all(connection)
            metadata.create_all(connection)
            for name in TABLE_ORDER:
                if rows[name]:
                    connection.execute(table_for[name].__table__.insert(), rows[name])  # type: ignore[attr-defined]
            # Statements are read from the registered pages with the vocabulary just written (kb.statements), in
            # the same transaction: a server index is never left without them.
            meta_table = tables.Meta.__table__  # type: ignore[attr-defined]
            connection.execute(meta_table.insert(), rows["meta"])
            statements = page_statements(settings, ConnectionDatabase(connection), rows["page"])
            if statements:
                connection.execute(tables.StatementRow.__table__.insert(), statements)  # type: ignore[attr-defined]
            meta_rows = [{"key": key, "value": value} for key, value in meta.items()]
            connection.execute(meta_table.insert(), meta_rows)
    except BaseException:
        if target is not None:
            temporary.unlink(missing_ok=True)
        raise
    finally:
        engine.dispose()
    if target is not None:
        os.replace(temporary, target)


def page_statements(settings: Settings, db: Database, pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for kb_statement: what each registered page states, so `kb check` compares a new page with them."""
    from kb.reading import read_path
    from kb.statements import document_statements
    from kb.subjects import load_vocabulary

    vocabulary = load_vocabulary(db)
    found: list[dict[str, Any]] = []
    for page in pages:
        doc = read_path(settings.data_dir / page["file"], page["file"])
        for statement in document_statements(doc, vocabulary, page["id"]):
            found.append(
                {
                    "id": len(found) + 1,
                    "subject_id": statement.subject,
                    "page_id": page["id"],
                    "path": page["file"],
                    "line": statement.line,
                    "col": statement.column,
                    "end_line": statement.end_line,
                    "end_col": statement.end_column,
                    "quote": statement.quote,
                    "record": json.dumps(statement.as_dict()),
                }
            )
    return found


def ready(settings: Settings) -> Database:
    """The index, refreshed if the YAML changed, opened for reading."""
    refresh(settings)
    return open_database(settings)
