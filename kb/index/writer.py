"""Writing an index safely, for the full build and the incremental update alike.

SQLite: the index is written into a temporary file beside it (empty for a build, a copy of the current index for an
update), renamed into place once complete, then stamped; a failure or a kill leaves the current index as it was and
the temporary file for the next command to remove (kb.index.files.remove_orphans). Journal and fsync are off for the
temporary file: nothing reads it before the rename, and a crash only loses a file that is thrown away.
A server: the whole write is one transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kb.index.files import unwritable, write_stamp
from kb.index.inputs import content_hash
from kb.index.sql import AlchemyWriter, SqliteWriter, Writer
from kb.settings import Settings

CHANGED_DURING_BUILD = "changed-during-build"

Fill = Callable[[Writer], None]  # run inside the write's transaction


def write_index(
    settings: Settings, meta: dict[str, str], fill: Fill, update: bool = False, then: Fill | None = None
) -> dict[str, str]:
    """Run `fill`, then `then`, then record `meta` in kb_meta (replacing those keys), atomically. Returns the meta
    written.

    `update`: change the current index (its copy, on SQLite) rather than write a new one; on SQLite that runs on
    stdlib sqlite3, with no SQLAlchemy to import. `then`: what a new SQLite index reads from what `fill` wrote, with
    that committed (in the temporary file: no reader sees it before the rename), so other processes can read it
    too; on a server, in the same transaction."""
    target = settings.sqlite_path if settings.is_sqlite else None
    if target is None:
        return _on_server(settings, meta, fill, then)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.unlink(missing_ok=True)
        if update:
            import shutil  # here, not at the top: importing it costs every kb check a few milliseconds

            shutil.copyfile(target, temporary)
        else:
            temporary.touch()
    except OSError as exc:
        _discard(temporary)
        raise unwritable(target, exc) from None
    try:
        if update:
            meta = _sqlite_update(temporary, settings, meta, fill if then is None else _both(fill, then))
        else:
            meta = _sqlite_build(temporary, settings, meta, fill, then)
    except BaseException as exc:
        _discard(temporary)
        if isinstance(exc, OSError) or type(exc).__module__.startswith(("sqlite3", "sqlalchemy")):
            raise unwritable(target, exc if isinstance(exc, OSError) else OSError(str(exc))) from None
        raise
    try:
        for suffix in ("-journal", "-wal", "-shm"):
            # Never used (the index is not written in place): one left by a crash must not meet the new file.
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        os.replace(temporary, target)
        write_stamp(target, meta)
    except OSError as exc:
        _discard(temporary)
        raise unwritable(target, exc) from None
    return meta


def _sqlite_update(temporary: Path, settings: Settings, meta: dict[str, str], fill: Fill) -> dict[str, str]:
    connection = sqlite3.connect(temporary, isolation_level=None)
    try:
        _throwaway_pragmas(connection, None)
        connection.execute("BEGIN")
        writer = SqliteWriter(connection)
        fill(writer)
        meta = _record_meta(writer, settings, meta)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return meta


def _sqlite_build(
    temporary: Path, settings: Settings, meta: dict[str, str], fill: Fill, then: Fill | None
) -> dict[str, str]:
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{temporary}")
    event.listen(engine, "connect", _throwaway_pragmas)
    if then is None:
        return _fill_in(engine, settings, meta, fill)
    try:
        with engine.begin() as connection:
            fill(AlchemyWriter(connection))
    except BaseException:
        engine.dispose()
        raise
    return _fill_in(engine, settings, meta, then)


def _on_server(settings: Settings, meta: dict[str, str], fill: Fill, then: Fill | None) -> dict[str, str]:
    from sqlalchemy import create_engine

    from kb.store.db import engine_for

    engine_for(settings.database_url)  # a one-line error for a URL SQLAlchemy cannot use
    return _fill_in(create_engine(settings.database_url), settings, meta, fill if then is None else _both(fill, then))


def _both(fill: Fill, then: Fill) -> Fill:
    def both(writer: Writer) -> None:
        fill(writer)
        then(writer)

    return both


def _fill_in(engine: Any, settings: Settings, meta: dict[str, str], fill: Fill) -> dict[str, str]:
    """Fill the tables and the meta rows in one transaction, then let the engine go."""
    try:
        with engine.begin() as connection:
            writer = AlchemyWriter(connection)
            fill(writer)
            return _record_meta(writer, settings, meta)
    finally:
        engine.dispose()


def _record_meta(writer: Writer, settings: Settings, meta: dict[str, str]) -> dict[str, str]:
    if content_hash(settings.data_dir) != meta["content_hash"]:
        # The data changed while it was being read (an editor saving, a checkout): what was compiled may be the
        # new content under the old content's hash. Label it so that no later command trusts it.
        meta = meta | {"content_hash": CHANGED_DURING_BUILD, "stat_signature": CHANGED_DURING_BUILD}
    for key in meta:
        writer.run("DELETE FROM kb_meta WHERE key = :key", {"key": key})
    writer.insert("kb_meta", [{"key": key, "value": value} for key, value in meta.items()])
    return meta


def _throwaway_pragmas(connection: Any, _record: Any) -> None:
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")


def _discard(temporary: Path) -> None:
    for path in (temporary, temporary.with_name(temporary.name + "-journal")):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass
