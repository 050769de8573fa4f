"""The statements of the registered pages (kb_statement), read at build time with the vocabulary just written.

When the rows they are read against are committed to an SQLite file (a full build writes them in a transaction of
their own: kb.index.writer), the pages are shared with a forked child (kb.index.forked), which reads the index with
its own connection: the parent the first pages, the child the rest, each in page order, cut where the pages' bytes
are halved. The statements come out as one process reads them, and so do the reads the extraction makes of the
claims (kb.index.reads): the child's, after the parent's, are the ones the parent has not made, in the order the
child made them, which is the order one process makes them in (what a page asks of the claims does not depend on
the pages read before it, except for what those already asked)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from kb.index.sql import Writer
from kb.settings import Settings
from kb.store.db import Database, SqliteDatabase

if TYPE_CHECKING:
    from kb.index.reads import Recording

Row = dict[str, Any]
SHARED = 4_000_000  # bytes of pages from which reading them in two processes repays the fork (1.2 MB: it did not)


class Source:
    """The database the knowledge view reads: the child of a shared reading points it at its own connection."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self.db.rows(sql, params)


def write_statements(settings: Settings, writer: Writer, pages: list[Row], read: dict[str, Any] | None = None) -> None:
    """Read the pages' statements into kb_statement, and what the reading asked of the claims into kb_meta
    (`statement_reads`, kb.index.reads: an update replays it to tell whether the statements can stay).
    `read`: pages already read (`read_pages`), by file."""
    from kb.index.reads import Recording
    from kb.store.knowledge import KnowledgeView

    source = Source(writer)
    view = Recording(KnowledgeView(source))
    writer.insert("kb_statement", page_statements(settings, source, pages, view, read, _committed_file(writer)))
    writer.run("DELETE FROM kb_meta WHERE key = 'statement_reads'")
    writer.insert("kb_meta", [{"key": "statement_reads", "value": view.stored()}])


def read_pages(settings: Settings, files: list[str]) -> dict[str, Any]:
    """The registered pages read ahead (a full build reads them while the claims compile), by file; a page that
    cannot be read is left out, to be read (and its error raised) where its statements are read."""
    from kb.errors import KBError
    from kb.pages.read import read_path

    found: dict[str, Any] = {}
    for file in files:
        try:
            found[file] = read_path(settings.data_dir / file, file, limit=None)
        except (KBError, OSError):
            continue
    return found


def page_statements(
    settings: Settings,
    db: Database,
    pages: list[Row],
    view: Any = None,
    read: dict[str, Any] | None = None,
    committed: str | None = None,
) -> list[Row]:
    """Rows for kb_statement: what each registered page states, so `kb check` compares a new page with them.
    `committed`: the SQLite file `db` reads, all of it committed (the pages may then be shared with a child)."""
    from kb.language.statements import document_statements
    from kb.pages.read import read_path
    from kb.store.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(db, view)

    def part(chosen: list[Row]) -> list[Row]:
        found: list[Row] = []
        for page in chosen:
            file = page["file"]
            doc = (read or {}).get(file) or read_path(settings.data_dir / file, file, limit=None)
            for statement in document_statements(doc, vocabulary, page["id"]):
                found.append(
                    {
                        "id": 0,  # numbered once every page is read
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

    from kb.index.reads import Recording

    if committed is not None and isinstance(db, Source) and isinstance(view, Recording):
        found = _in_two(settings, pages, part, db, view, committed)
    else:
        found = part(pages)
    for number, row in enumerate(found, start=1):
        row["id"] = number
    return found


def _in_two(
    settings: Settings,
    pages: list[Row],
    part: Callable[[list[Row]], list[Row]],
    source: Source,
    view: Recording,
    file: str,
) -> list[Row]:
    from kb.index.forked import available, forked

    sizes = [_size(settings, page) for page in pages]
    if sum(sizes) < SHARED or len(pages) < 2 or not available():
        return part(pages)
    cut, total = 0, 0
    while cut < len(pages) - 1 and 2 * (total + sizes[cut]) <= sum(sizes):
        total += sizes[cut]
        cut += 1
    cut = max(cut, 1)

    def child() -> tuple[list[Row], list[Any], bool]:
        source.db = SqliteDatabase(file)  # its own connection: the parent's is not to be used across a fork
        before = len(view.reads)
        found = part(pages[cut:])
        return found, view.reads[before:], view.opaque

    with forked(child) as join:
        mine = part(pages[:cut])
        theirs = join()
    if theirs is None:
        return mine + part(pages[cut:])
    found, reads, opaque = theirs
    view.merge(reads, opaque)
    return mine + found


def _size(settings: Settings, page: Row) -> int:
    try:
        return int((settings.data_dir / page["file"]).stat().st_size)
    except OSError:
        return 0


def _committed_file(writer: Writer) -> str | None:
    """The SQLite file `writer` writes, when nothing it wrote is uncommitted (another connection reads the same)."""
    cursor = writer.sqlite_cursor()
    if cursor is None:
        return None
    try:
        if cursor.connection.in_transaction:
            return None
        files = [file for _, name, file in cursor.execute("PRAGMA database_list").fetchall() if name == "main"]
    finally:
        cursor.close()
    return files[0] if files and files[0] else None
