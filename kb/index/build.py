"""Keep the compiled index in step with the YAML: a no-op when nothing changed, an update when only claims changed
(kb.index.delta: their rows alone are rewritten, and what is derived across claims recomputed), a full rebuild
otherwise.

Change detection works like git's index: a cheap signature of every input's size, modification time, change time
and inode first (an edit that restores the old timestamp still changes the change time); only when that differs is
the content hashed, and only when the content hash differs is the index rebuilt. The inputs are the data folder's
files and kb's own code, so a new kb never reads an index an older one compiled.

A SQLite index is never written in place. A rebuild goes to a temporary file that is renamed into place, and a
stamp beside it (`index.sqlite.stamp`, also renamed into place) records the signatures and the index file's own
identity, so an index changed behind kb's back is noticed. Readers open the file read-only and immutable: a process
rebuilding the index replaces the file, never changes the one a reader has open, and a stray journal beside it is
ignored. An update is applied to a copy of the index, renamed into place the same way (kb.index.writer). Builders
take a lock, so concurrent commands build once; temporary files of a build or update that was killed are removed
by the next command. kb writes only over a file that is a kb index (or its stamp says kb wrote it).
"""

from __future__ import annotations

from typing import Any

from kb.errors import KBError
from kb.index.files import (
    build_lock,
    check_target,
    index_identity,
    index_meta,
    read_stamp,
    remove_orphans,
    write_stamp,
)
from kb.index.inputs import SCHEMA_VERSION, content_hash, stat_signature
from kb.index.sql import AlchemyWriter, Writer
from kb.index.writer import write_index
from kb.safeio import mark_own_folder
from kb.settings import Settings
from kb.store.db import Database, open_database

TABLE_ORDER = (
    "subject",
    "source",
    "page",
    "claim",
    "claim_source",
    "mention",
    "term",
    "claim_term",
    "number",
    "entry",
)


# ------------------------------------------------------------------------------------------ the SQLite index file


def _sqlite_state(settings: Settings, signature: str, digests: dict[str, str]) -> str | None:
    """ "fresh" when the stamp vouches for the index as it is now; "touched" when only timestamps moved.
    `digests`: the content hash by stat signature, as far as this process computed it (one per signature)."""
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
    digest = _digest(settings, signature, digests)
    if meta.get("content_hash") != digest:
        return None
    meta_now = {"schema_version": SCHEMA_VERSION, "stat_signature": signature, "content_hash": digest}
    try:
        write_stamp(index, meta_now)
    except KBError:
        pass  # a read-only folder: the index is right, it is just hashed again next time
    return "touched"


def _digest(settings: Settings, signature: str, digests: dict[str, str]) -> str:
    """The content hash, read once per stat signature: the signature is what says the files did not change (as it
    does for "fresh"); kb.index.writer hashes again after writing, to catch an edit made during the build."""
    if signature not in digests:
        digests[signature] = content_hash(settings.data_dir)
    return digests[signature]


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
    """Bring the index up to date. Returns "fresh", "touched" (files touched, content same), "updated" (only
    claims changed: kb.index.delta rewrote their rows) or "rebuilt"."""
    if not settings.is_sqlite:
        return _refresh_server(settings, force)
    check_target(settings)
    index = settings.sqlite_path
    remove_orphans(index)
    digests: dict[str, str] = {}
    if not force:
        state = _sqlite_state(settings, stat_signature(settings.data_dir), digests)
        if state is not None:
            return state
    with build_lock(index):
        if settings.default_db:
            mark_own_folder(index.parent)
        signature = stat_signature(settings.data_dir)
        if not force:  # another process may have built it while this one waited for the lock
            state = _sqlite_state(settings, signature, digests)
            if state is not None:
                return state
        meta = {"schema_version": SCHEMA_VERSION, "stat_signature": signature}
        meta["content_hash"] = _digest(settings, signature, digests)
        from kb.data.collector import collector_paused  # here: the read path imports no kb.data

        with collector_paused():
            if not force and _update(settings, meta):
                return "updated"
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
    meta = {"schema_version": SCHEMA_VERSION, "stat_signature": signature, "content_hash": digest}
    from kb.data.collector import collector_paused

    with collector_paused():
        if not force and _update(settings, meta):
            return "updated"
        build(settings, meta)
    return "rebuilt"


def _update(settings: Settings, meta: dict[str, str]) -> bool:
    from kb.index.apply import update  # imported only when the data changed: the read path stays light

    return update(settings, meta)


def _write_meta(settings: Settings, values: dict[str, str]) -> None:
    from sqlalchemy import text

    from kb.store.db import engine_for

    with engine_for(settings.database_url).begin() as connection:
        for key, value in values.items():
            connection.execute(text("UPDATE kb_meta SET value = :v WHERE key = :k"), {"v": value, "k": key})


class _Declined(Exception):
    """The fast reading declined a file (kb.data.dataset.Dataset.vouch) after its values were in use."""


def load_rows(settings: Settings) -> tuple[dict[str, list[Any]], dict[str, Any]]:
    """Load, validate and compile the data; raise InvalidData with every problem when it is not valid. Returns the
    rows and the registered pages read ahead (kb.index.statements.read_pages).

    The claims compile while the data is validated (kb.index.parallel: validating is the parent's first work, the
    child compiles meanwhile); no row is kept from data that turns out not to be valid. What makes the fast YAML
    reading vouch for the files is walked first in that work too; when it declines one, all is done again, each
    file vouched for (or read the positioned way) before it is used."""
    try:
        return _load_rows(settings, defer=True)
    except _Declined:
        return _load_rows(settings, defer=False)


def _load_rows(settings: Settings, defer: bool) -> tuple[dict[str, list[Any]], dict[str, Any]]:
    from kb.data.checked import load_checked
    from kb.data.dataset import load
    from kb.data.validate import check
    from kb.errors import InvalidData
    from kb.index.compile import compile_rows
    from kb.index.delta import entry_rows
    from kb.index.parallel import mapped
    from kb.index.statements import read_pages

    dataset = load(settings.data_dir, fast=True, defer=defer)
    entries: list[tuple[list[dict[str, Any]], str]] = []
    pages: dict[str, Any] = {}

    def validated() -> None:  # and what else is the parent's own work: the claims' digests, the pages read ahead
        if not dataset.vouch():
            raise _Declined
        if check(dataset):
            raise InvalidData(load_checked(settings.data_dir)[1])  # located as kb check locates them
        entries.append(entry_rows(settings.data_dir, dataset))
        assert dataset.pages is not None
        pages.update(read_pages(settings, [page.file for page in dataset.pages.pages]))

    if dataset.problems or not (dataset.sources and dataset.claims and dataset.pages):
        validated()
    assert dataset.sources and dataset.claims and dataset.pages
    rows = compile_rows(
        dataset.sources, dataset.claims, dataset.pages, each=lambda one, count: mapped(one, count, validated)
    )
    rows["entry"], frame_hash = entries[-1]
    rows["meta"].append({"key": "claims_frame_hash", "value": frame_hash})
    return rows, pages


def build(settings: Settings, meta: dict[str, str]) -> None:
    rows, pages = load_rows(settings)
    from sqlalchemy.schema import CreateTable
    from sqlmodel import SQLModel

    from kb.index import tables
    from kb.index.terms import LINK_COLUMNS

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
        "entry": tables.EntryRow,
    }

    def fill(writer: Writer) -> None:
        assert isinstance(writer, AlchemyWriter)  # a new index: its tables are SQLModel's
        connection = writer.connection
        if not settings.is_sqlite:
            SQLModel.metadata.drop_all(connection)
            SQLModel.metadata.create_all(connection)
        else:  # the tables first, their indexes once the rows are in: one sort each, not an insert per row
            for table in SQLModel.metadata.sorted_tables:
                connection.execute(CreateTable(table))
        for name in TABLE_ORDER:
            table = table_for[name].__table__  # type: ignore[attr-defined]
            if name == "claim_term":  # (term id, claim rowid) pairs
                writer.insert_values(table.name, LINK_COLUMNS, rows[name])
            elif settings.is_sqlite:
                writer.insert(table.name, rows[name])  # the driver's executemany: a third of SQLAlchemy's time
            elif rows[name]:
                connection.execute(table.insert(), rows[name])
        if settings.is_sqlite:
            for table in SQLModel.metadata.sorted_tables:
                for index in sorted(table.indexes, key=lambda index: str(index.name)):
                    index.create(connection)
        connection.execute(tables.Meta.__table__.insert(), rows["meta"])  # type: ignore[attr-defined]

    def statements(writer: Writer) -> None:
        # Statements are read from the registered pages with the vocabulary just written (kb.language.statements):
        # on SQLite once that is committed to the temporary file (two processes can read it), on a server in the
        # same transaction (a server index is never left without them).
        from kb.index.statements import write_statements

        write_statements(settings, writer, rows["page"], pages)

    write_index(settings, meta, fill, then=statements)


def ready(settings: Settings) -> Database:
    """The index, refreshed if the YAML changed, opened for reading."""
    refresh(settings)
    return open_database(settings)
