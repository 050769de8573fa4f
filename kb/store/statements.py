"""Where the index keeps what the registered pages state (kb_statement) and which files the pages are: read side."""

from __future__ import annotations

import json
from pathlib import Path

from kb.language.values import StatedValue, Statement
from kb.store.db import Database
from kb.text.paths import page_key


def registered_pages(db: Database, data_dir: Path) -> dict[str, str]:
    """`page_key` of each registered page's file -> page id (so a page is never compared with itself)."""
    return {page_key(data_dir / file): ident for ident, file in db.rows("SELECT id, file FROM kb_page")}


def stored_statements(db: Database, subject: str | None = None) -> list[Statement]:
    """What the registered pages state, as compiled into the index (kb_statement); paths relative to the data."""
    where, params = ("WHERE subject_id = :s ", {"s": subject}) if subject is not None else ("", {})
    rows = db.rows(
        f"SELECT subject_id, page_id, path, line, col, end_line, end_col, quote, record FROM kb_statement {where}"
        "ORDER BY id",
        params,
    )
    found = []
    for subject_id, page, path, line, column, end_line, end_column, quote, record in rows:
        data = json.loads(record)
        value = StatedValue.from_dict(data["value"])
        found.append(
            Statement(subject_id, page, path, line, column, end_line, end_column, quote, value, data.get("source"))
        )
    return found
