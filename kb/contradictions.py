"""`kb contradictions` as a library: read pages into statements, add the registered pages' statements when asked,
and find the conflicts by subject (kb.conflicts). The CLI (kb.contradictions_cli) only parses options and renders.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kb.config import Settings
from kb.conflicts import SubjectReport, find_conflicts
from kb.db import Database
from kb.errors import KBError
from kb.reading import read_bytes, read_path
from kb.statements import StatedValue, Statement, document_statements
from kb.subjects import Vocabulary, load_vocabulary


@dataclass(frozen=True)
class ContradictionResult:
    reports: tuple[SubjectReport, ...]
    statements: int
    files_read: int
    notes: tuple[str, ...]


def registered_pages(db: Database, data_dir: Path) -> dict[str, str]:
    """Absolute path of each registered page's file -> page id."""
    return {
        os.path.normcase(str((data_dir / file).resolve())): ident
        for ident, file in db.rows("SELECT id, file FROM kb_page")
    }


def known_statements(db: Database, data_dir: Path, display: Callable[[Path], str]) -> list[Statement]:
    """What the registered pages state, as compiled into the index."""
    found = []
    rows = db.rows(
        "SELECT subject_id, page_id, path, line, col, end_line, end_col, quote, record FROM kb_statement ORDER BY id"
    )
    for subject, page, path, line, column, end_line, end_column, quote, record in rows:
        data = json.loads(record)
        found.append(
            Statement(
                subject,
                page,
                display(data_dir / path),
                line,
                column,
                end_line,
                end_column,
                quote,
                StatedValue.from_dict(data["value"]),
                data.get("source"),
            )
        )
    return found


_WORKER: tuple[Vocabulary, dict[str, str]] | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER
    from kb.db import open_database

    db = open_database(settings)
    _WORKER = (load_vocabulary(db), registered_pages(db, settings.data_dir))


def _read_one(path: str) -> tuple[list[Statement], list[str]]:
    assert _WORKER is not None
    vocabulary, pages = _WORKER
    return _statements_of(path, vocabulary, pages)


def _statements_of(path: str, vocabulary: Vocabulary, pages: dict[str, str]) -> tuple[list[Statement], list[str]]:
    try:
        doc = read_path(Path(path), path)
    except KBError as exc:
        return [], [str(exc)]
    page = pages.get(os.path.normcase(str(Path(path).resolve())), path)
    notes = [w if w.startswith(path) else f"{path}: {w}" for w in doc.warnings]
    return document_statements(doc, vocabulary, page), notes


def contradictions(
    paths: Sequence[str],
    settings: Settings,
    db: Database,
    with_known: bool = False,
    jobs: int = 1,
    stdin: bytes | None = None,
    display: Callable[[Path], str] = str,
) -> ContradictionResult:
    """Conflicts among the pages at `paths` (and stdin), their sources, and with `with_known` the registered pages."""
    vocabulary = load_vocabulary(db)
    pages = registered_pages(db, settings.data_dir)
    statements: list[Statement] = []
    notes: list[str] = []
    files = [p for p in paths if p != "-"]
    if stdin is not None:
        statements += document_statements(read_bytes(stdin, "-"), vocabulary, "-")
    if jobs > 1 and len(files) > 1:
        from multiprocessing import get_context

        with get_context("fork").Pool(jobs, _init_worker, (settings,)) as pool:
            for found, extra in pool.imap(_read_one, files, chunksize=16):
                statements += found
                notes += extra
    else:
        for path in files:
            found, extra = _statements_of(path, vocabulary, pages)
            statements += found
            notes += extra
    if with_known:
        read = {s.page for s in statements}
        statements += [s for s in known_statements(db, settings.data_dir, display) if s.page not in read]
    reports = find_conflicts(statements, vocabulary)
    return ContradictionResult(tuple(reports), len(statements), len(files) + (stdin is not None), tuple(notes))
