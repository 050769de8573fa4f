"""Keep the compiled index in step with the YAML: a no-op when nothing changed, a full rebuild when it did.

Change detection works like git's index: a cheap signature of every input's size, modification time, change time
and inode first (an edit that restores the old timestamp still changes the change time); only when that differs is
the content hashed, and only when the content hash differs is the index rebuilt. The inputs are the data folder's
files and kb's own code, so a new kb never reads an index an older one compiled.

A SQLite index is never written in place. A rebuild goes to a temporary file that is renamed into place, and a
stamp beside it (`index.sqlite.stamp`, also renamed into place) records the signatures and the index file's own
identity, so an index changed behind kb's back is noticed. Readers open the file read-only and immutable: a process
rebuilding the index replaces the file, never changes the one a reader has open, and a stray journal beside it is
ignored. Builders take a lock, so concurrent commands build once; temporary files of a build that was killed are
removed by the next command. kb writes only over a file that is a kb index (or its stamp says kb wrote it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from kb.errors import KBError
from kb.index.files import (
    build_lock,
    check_target,
    index_identity,
    index_meta,
    read_stamp,
    remove_orphans,
    unwritable,
    write_stamp,
)
from kb.index.inputs import SCHEMA_VERSION, content_hash, stat_signature
from kb.safeio import mark_own_folder
from kb.settings import Settings
from kb.store.db import ConnectionDatabase, Database, open_database

TABLE_ORDER = ("subject", "source", "page", "claim", "claim_source", "mention", "term", "claim_term", "number")
CHANGED_DURING_BUILD = "changed-during-build"


# ------------------------------------------------------------------------------------------ the SQLite index file


def _sqlite_state(settings: Settings, signature: str) -> str | None:
    """ "fresh" when the stamp vouches for the index as it is now; "touched" when only timestamps moved."""
    index = settings.sqlite_path
    stamp = read_stamp(index)
    identity = index_identity(index)
    if (
        identity is not None
        and stamp.get("schema_version") == SCHEMA_VERSION
        and stamp.get("index") == identity
        and stamp.get("stat_signature") == signature
    ):
        return "fresh"
    meta = index_meta(index)
    if meta.get("schema_version") != SCHEMA_VERSION:
        return None
    digest = content_hash(settings.data_dir)
    if meta.get("content_hash") != digest:
        return None
    meta_now = {"schema_version": SCHEMA_VERSION, "stat_signature": signature, "content_hash": digest}
    try:
        write_stamp(index, meta_now)
    except KBError:
        pass  # a read-only folder: the index is right, it is just hashed again next time
    return "touched"


def read_meta(settings: Settings) -> dict[str, str]:
    """The stored signatures, or {} when there is no index yet."""
    if settings.is_sqlite:
        meta = index_meta(settings.sqlite_path)
        stamp = read_stamp(settings.sqlite_path)
        if meta and stamp.get("content_hash") == meta.get("content_hash") and "stat_signature" in stamp:
            meta["stat_signature"] = stamp["stat_signature"]
        return meta
    try:
        return dict(open_database(settings).rows("SELECT key, value FROM kb_meta"))
    except Exception:  # noqa: BLE001 - missing tables on a fresh server: build them
        return {}


def refresh(settings: Settings, force: bool = False) -> str:
    """Bring the index up to date. Returns "fresh", "touched" (files touched, content same) or "rebuilt"."""
    if not settings.is_sqlite:
        return _refresh_server(settings, force)
    check_target(settings)
    index = settings.sqlite_path
    remove_orphans(index)
    if not force:
        state = _sqlite_state(settings, stat_signature(settings.data_dir))
        if state is not None:
            return state
    with build_lock(index):
        if settings.default_db:
            mark_own_folder(index.parent)
        signature = stat_signature(settings.data_dir)
        if not force:  # another process may have built it while this one waited for the lock
            state = _sqlite_state(settings, signature)
            if state is not None:
                return state
        meta = {"schema_version": SCHEMA_VERSION, "stat_signature": signature}
        meta["content_hash"] = content_hash(settings.data_dir)
        build(settings, meta)
    return "rebuilt"


def _refresh_server(settings: Settings, force: bool) -> str:
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
    from sqlalchemy import text

    from kb.store.db import engine_for

    with engine_for(settings.database_url).begin() as connection:
        for key, value in values.items():
            connection.execute(text("UPDATE kb_meta SET value = :v WHERE key = :k"), {"v": value, "k": key})


def load_rows(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    """Load, validate and compile the data; raise InvalidData with every problem when it is not valid."""
    from kb.data.dataset import load
    from kb.data.validate import check
    from kb.errors import InvalidData
    from kb.index.compile import compile_rows

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

    from kb.index import tables

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
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary.unlink(missing_ok=True)
            temporary.touch()
        except OSError as exc:
            raise unwritable(target, exc) from None
        url = f"sqlite:///{temporary}"
    else:
        from kb.store.db import engine_for

        engine_for(url)  # a one-line error for a URL SQLAlchemy cannot use
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            if target is None:
                metadata.drop_all(connection)
            metadata.create_all(connection)
            for name in TABLE_ORDER:
                if rows[name]:
                    connection.execute(table_for[name].__table__.insert(), rows[name])  # type: ignore[attr-defined]
            # Statements are read from the registered pages with the vocabulary just written (kb.language.statements),
            # in the same transaction: a server index is never left without them.
            meta_table = tables.Meta.__table__  # type: ignore[attr-defined]
            connection.execute(meta_table.insert(), rows["meta"])
            statements = page_statements(settings, ConnectionDatabase(connection), rows["page"])
            if statements:
                connection.execute(tables.StatementRow.__table__.insert(), statements)  # type: ignore[attr-defined]
            if content_hash(settings.data_dir) != meta["content_hash"]:
                # The data changed while it was being read (an editor saving, a checkout): what was compiled may be
                # the new content under the old content's hash. Label it so that no later command trusts it.
                meta = meta | {"content_hash": CHANGED_DURING_BUILD, "stat_signature": CHANGED_DURING_BUILD}
            meta_rows = [{"key": key, "value": value} for key, value in meta.items()]
            connection.execute(meta_table.insert(), meta_rows)
    except BaseException as exc:
        if target is not None:
            _discard(temporary)
            if isinstance(exc, OSError) or type(exc).__module__.startswith(("sqlite3", "sqlalchemy")):
                raise unwritable(target, exc if isinstance(exc, OSError) else OSError(str(exc))) from None
        raise
    finally:
        engine.dispose()
    if target is not None:
        try:
            for suffix in ("-journal", "-wal", "-shm"):
                # Never used (the index is not written in place): one left by a crash must not meet the new file.
                target.with_name(target.name + suffix).unlink(missing_ok=True)
            os.replace(temporary, target)
            write_stamp(target, meta)
        except OSError as exc:
            _discard(temporary)
            raise unwritable(target, exc) from None


def _discard(temporary: Path) -> None:
    for path in (temporary, temporary.with_name(temporary.name + "-journal")):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


def page_statements(settings: Settings, db: Database, pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for kb_statement: what each registered page states, so `kb check` compares a new page with them."""
    from kb.language.statements import document_statements
    from kb.pages.read import read_path
    from kb.store.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(db)
    found: list[dict[str, Any]] = []
    for page in pages:
        doc = read_path(settings.data_dir / page["file"], page["file"], limit=None)
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
