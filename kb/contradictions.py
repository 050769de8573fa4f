"""`kb contradictions` as a library: read pages into statements, add the registered pages' statements when asked,
and find the conflicts by subject (kb.conflicts). The CLI (kb.contradictions_cli) only parses options and renders.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from kb.config import Settings
from kb.conflicts import SubjectReport, find_conflicts
from kb.db import Database
from kb.errors import KBError
from kb.reading import read_bytes, read_path
from kb.statements import Statement, document_statements, page_key, registered_pages, stored_statements
from kb.subjects import Vocabulary, load_vocabulary


@dataclass(frozen=True)
class ContradictionResult:
    reports: tuple[SubjectReport, ...]
    statements: int
    files_read: int
    notes: tuple[str, ...]


def known_statements(db: Database, data_dir: Path, display: Callable[[Path], str]) -> list[Statement]:
    """What the registered pages state, with their paths shown as the user's other paths are."""
    return [replace(s, path=display(data_dir / s.path)) for s in stored_statements(db)]


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
    page = pages.get(page_key(path), path)
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
