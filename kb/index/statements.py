"""The statements of the registered pages (kb_statement), read at build time with the vocabulary just written."""

from __future__ import annotations

import json
from typing import Any

from kb.index.sql import Writer
from kb.settings import Settings
from kb.store.db import Database


def write_statements(
    settings: Settings, writer: Writer, pages: list[dict[str, Any]], read: dict[str, Any] | None = None
) -> None:
    """Read the pages' statements into kb_statement, and what the reading asked of the claims into kb_meta
    (`statement_reads`, kb.index.reads: an update replays it to tell whether the statements can stay).
    `read`: pages already read (`read_pages`), by file."""
    from kb.index.reads import Recording
    from kb.store.knowledge import KnowledgeView

    view = Recording(KnowledgeView(writer))
    writer.insert("kb_statement", page_statements(settings, writer, pages, view, read))
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
    settings: Settings, db: Database, pages: list[dict[str, Any]], view: Any = None, read: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Rows for kb_statement: what each registered page states, so `kb check` compares a new page with them."""
    from kb.language.statements import document_statements
    from kb.pages.read import read_path
    from kb.store.vocabulary import load_vocabulary

    vocabulary = load_vocabulary(db, view)
    found: list[dict[str, Any]] = []
    for page in pages:
        doc = (read or {}).get(page["file"]) or read_path(settings.data_dir / page["file"], page["file"], limit=None)
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
