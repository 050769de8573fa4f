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

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kb.errors import DataError, KBError, UsageError
from kb.safeio import read_regular, special_kind, write_atomic
from kb.settings import Settings
from kb.store.db import ConnectionDatabase, Database, open_database

SCHEMA_VERSION = "6"
TABLE_ORDER = ("subject", "source", "page", "claim", "claim_source", "mention", "term", "claim_term", "number")
STAMP_SUFFIX = ".stamp"
LOCK_SUFFIX = ".lock"
SQLITE_HEADER = b"SQLite format 3\x00"
CHANGED_DURING_BUILD = "changed-during-build"
ORPHAN_AGE_S = 3600  # a temporary file this old is left over whatever its process id says
_KB_ROOT = Path(__file__).resolve().parent.parent
# The code that shapes the compiled rows: the stages the index is built from, and the index itself. Found by
# package, so a module added to one of them is an input the day it is written (a hand-kept list missed three).
SHAPING_PACKAGES = ("text", "data", "pages", "language", "store", "index")
SHAPING_MODULES = ("errors.py", "records.py", "safeio.py", "settings.py")


def _code_files() -> list[Path]:
    """Every source file of the packages that shape the index, and the foundation modules they stand on."""
    files = [path for package in SHAPING_PACKAGES for path in (_KB_ROOT / package).rglob("*.py")]
    return sorted(files + [_KB_ROOT / name for name in SHAPING_MODULES])


def _inputs(data_dir: Path) -> list[tuple[str, Path]]:
    """Every file the index is compiled from, named stably: the data folder's files and kb's code."""
    files = sorted(p for p in data_dir.rglob("*") if p.is_file() and not p.name.startswith("."))
    code = [(f"kb/{p.relative_to(_KB_ROOT).as_posix()}", p) for p in _code_files()]
    return [(str(p.relative_to(data_dir)), p) for p in files] + code


def stat_signature(data_dir: Path) -> str:
    parts = []
    for name, path in _inputs(data_dir):
        try:
            info = path.stat()
        except OSError:
            parts.append(f"{name}:missing")
            continue
        parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def content_hash(data_dir: Path) -> str:
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for name, path in _inputs(data_dir):
        digest.update(name.encode() + b"\0")
        try:
            digest.update(read_regular(path, str(path)))
        except KBError as exc:
            raise DataError(exc.message, exc.path, hint=exc.hint or "check the data folder") from None
    return digest.hexdigest()


# ------------------------------------------------------------------------------------------ the SQLite index file


def stamp_path(index: Path) -> Path:
    return index.with_name(index.name + STAMP_SUFFIX)


def _identity(index: Path) -> list[int] | None:
    try:
        info = index.stat()
    except OSError:
        return None
    return [info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def read_stamp(index: Path) -> dict[str, Any]:
    try:
        stamp = json.loads(read_regular(stamp_path(index), limit=1 << 20))
    except (KBError, ValueError):
        return {}
    return stamp if isinstance(stamp, dict) and stamp.get("tool") == "kb" else {}


def _write_stamp(index: Path, meta: dict[str, str]) -> None:
    stamp = {"tool": "kb", **meta, "index": _identity(index)}
    write_atomic(stamp_path(index), json.dumps(stamp, sort_keys=True).encode() + b"\n", "the index stamp")


def _index_meta(index: Path) -> dict[str, str]:
    """The meta table of the index file, or {} when it is missing, damaged or not a kb index."""
    try:
        with open(index, "rb") as stream:
            if stream.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return {}
        connection = sqlite3.connect(f"file:{index}?mode=ro&immutable=1", uri=True)
        try:
            return dict(connection.execute("SELECT key, value FROM kb_meta").fetchall())
        finally:
            connection.close()
    except (OSError, sqlite3.Error):
        return {}


def check_target(settings: Settings) -> None:
    """Refuse an index path kb must not write over: a folder, a special file, or a file that is not a kb index."""
    index = settings.sqlite_path
    folder = index.parent
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            f"{folder} is a file, not a folder, so the index cannot be kept in it",
            hint="move that file away, or pass --db with another path",
        )
    if not os.path.lexists(index):
        return
    try:
        mode = os.stat(index).st_mode
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(f"cannot use {index} as the index: {reason}", hint="pass --db with another path") from None
    kind = special_kind(mode)
    if kind is not None:
        raise UsageError(f"{index} is {kind}, not a kb index", hint="pass --db with the path of a file kb may create")
    if settings.default_db or read_stamp(index) or _index_meta(index):
        return
    raise UsageError(
        f"{index} exists and is not a kb index; kb will not overwrite it",
        hint="pass --db with a new path (kb creates the index there), or delete that file yourself",
    )


def _remove_orphans(index: Path) -> None:
    """Temporary files of builds that died (kill -9, power loss): their process is gone, or they are old."""
    try:
        names = os.listdir(index.parent)
    except OSError:
        return
    prefix = f".{index.name}."
    now = time.time()
    for name in names:
        if not name.startswith(prefix) or ".tmp" not in name:
            continue
        # `.index.sqlite.<pid>.tmp` (the index being built), `.index.sqlite.stamp.<pid>.<random>.tmp` (the stamp)
        pid_text = next((part for part in name[len(prefix) :].split(".") if part.isdigit()), "")
        path = index.parent / name
        try:
            old = now - path.stat().st_mtime > ORPHAN_AGE_S
        except OSError:
            continue
        if old or (pid_text.isdigit() and not _alive(int(pid_text))):
            try:
                path.unlink()
            except OSError:
                pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def _build_lock(index: Path) -> Iterator[None]:
    """One builder at a time per index; the kernel releases the lock of a killed process."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: builders race, each renames a complete index
        yield
        return
    try:
        index.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(index.with_name(index.name + LOCK_SUFFIX), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _unwritable(index, exc) from None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _unwritable(index: Path, exc: OSError) -> KBError:
    return KBError(
        f"cannot write the index: {exc.strerror or exc}",
        path=str(exc.filename or index),
        hint=f"make {index.parent} writable, or pass --db with a path kb may write",
    )


def _sqlite_state(settings: Settings, signature: str) -> str | None:
    """ "fresh" when the stamp vouches for the index as it is now; "touched" when only timestamps moved."""
    index = settings.sqlite_path
    stamp = read_stamp(index)
    identity = _identity(index)
    if (
        identity is not None
        and stamp.get("schema_version") == SCHEMA_VERSION
        and stamp.get("index") == identity
        and stamp.get("stat_signature") == signature
    ):
        return "fresh"
    meta = _index_meta(index)
    if meta.get("schema_version") != SCHEMA_VERSION:
        return None
    digest = content_hash(settings.data_dir)
    if meta.get("content_hash") != digest:
        return None
    meta_now = {"schema_version": SCHEMA_VERSION, "stat_signature": signature, "content_hash": digest}
    try:
        _write_stamp(index, meta_now)
    except KBError:
        pass  # a read-only folder: the index is right, it is just hashed again next time
    return "touched"


def read_meta(settings: Settings) -> dict[str, str]:
    """The stored signatures, or {} when there is no index yet."""
    if settings.is_sqlite:
        meta = _index_meta(settings.sqlite_path)
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
    _remove_orphans(index)
    if not force:
        state = _sqlite_state(settings, stat_signature(settings.data_dir))
        if state is not None:
            return state
    with _build_lock(index):
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
            raise _unwritable(target, exc) from None
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
                raise _unwritable(target, exc if isinstance(exc, OSError) else OSError(str(exc))) from None
        raise
    finally:
        engine.dispose()
    if target is not None:
        try:
            for suffix in ("-journal", "-wal", "-shm"):
                # Never used (the index is not written in place): one left by a crash must not meet the new file.
                target.with_name(target.name + suffix).unlink(missing_ok=True)
            os.replace(temporary, target)
            _write_stamp(target, meta)
        except OSError as exc:
            _discard(temporary)
            raise _unwritable(target, exc) from None


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
