"""`kb contradictions` as a library: read pages into statements, add the registered pages' statements when asked,
and find the conflicts by subject (kb.contradictions.report). The CLI (kb.cli.contradictions) only parses options
and renders.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kb.contradictions.report import SubjectReport, find_conflicts
from kb.errors import KBError
from kb.fastclass import replace
from kb.language.statements import document_statements
from kb.language.values import Statement
from kb.language.vocabulary import Vocabulary
from kb.pages.pool import fan_out
from kb.pages.read import read_bytes, read_path
from kb.records import InputError
from kb.settings import Settings
from kb.store.db import Database
from kb.store.statements import registered_pages, stored_statements
from kb.store.vocabulary import load_vocabulary
from kb.text.paths import page_key


@dataclass(frozen=True)
class ContradictionResult:
    reports: tuple[SubjectReport, ...]
    statements: int
    files_read: int
    notes: tuple[str, ...]
    input_errors: tuple[InputError, ...] = ()


Read = tuple[list[Statement], list[str], list[InputError]]


def known_statements(db: Database, data_dir: Path, display: Callable[[Path], str]) -> list[Statement]:
    """What the registered pages state, with their paths shown as the user's other paths are."""
    return [replace(s, path=display(data_dir / s.path)) for s in stored_statements(db)]


_WORKER: tuple[Vocabulary, dict[str, str]] | None = None


def _init_worker(settings: Settings) -> None:
    global _WORKER
    from kb.store.db import open_database

    db = open_database(settings)
    _WORKER = (load_vocabulary(db), registered_pages(db, settings.data_dir))


def _read_one(path: str) -> Read:
    assert _WORKER is not None
    vocabulary, pages = _WORKER
    return _statements_of(path, vocabulary, pages)


def involving(report: SubjectReport, pages: frozenset[str]) -> SubjectReport:
    """The report with only the conflicts in which one of `pages` takes part."""
    kept = tuple(
        conflict
        for conflict in report.conflicts
        if conflict.pages.pages & pages or (conflict.other is not None and conflict.other.pages & pages)
    )
    return replace(report, conflicts=kept)


def _statements_of(path: str, vocabulary: Vocabulary, pages: dict[str, str], raw: bytes | None = None) -> Read:
    """What one page (from disk, or `raw` bytes for stdin) states, or why it could not be read."""
    try:
        doc = read_bytes(raw, path) if raw is not None else read_path(Path(path), path)
    except KBError as exc:
        return [], [], [InputError.from_error(exc, path)]
    page = pages.get(page_key(path), path) if raw is None else path
    notes = [w if w.startswith(path) else f"{path}: {w}" for w in doc.warnings]
    return document_statements(doc, vocabulary, page), notes, []


def contradictions(
    paths: Sequence[str],
    settings: Settings,
    db: Database,
    with_known: bool = False,
    jobs: int = 1,
    stdin: bytes | None = None,
    display: Callable[[Path], str] = str,
    only_given: bool = False,
    stdin_name: str = "-",
) -> ContradictionResult:
    """Conflicts among the pages at `paths` (and stdin), their sources, and with `with_known` the registered pages.
    With `only_given`, only the conflicts that involve a page given here: what a commit that changed those pages
    is answerable for (the registered pages' disagreements among themselves are not)."""
    vocabulary = load_vocabulary(db)
    pages = registered_pages(db, settings.data_dir)
    statements: list[Statement] = []
    notes: list[str] = []
    unreadable: list[InputError] = []

    def add(read: Read) -> None:
        statements.extend(read[0])
        notes.extend(read[1])
        unreadable.extend(read[2])

    files = [p for p in paths if p != "-"]
    if stdin is not None:
        add(_statements_of(stdin_name, vocabulary, pages, stdin))
    serial = partial(_statements_of, vocabulary=vocabulary, pages=pages)
    for read in fan_out(files, jobs, serial, _read_one, _init_worker, (settings,), chunksize=16):
        add(read)
    pages_read = {s.page for s in statements}
    if with_known:
        statements += [s for s in known_statements(db, settings.data_dir, display) if s.page not in pages_read]
    reports = find_conflicts(statements, vocabulary)
    if only_given:
        reports = [involving(report, frozenset(pages_read)) for report in reports]
    files_read = len(files) + (stdin is not None)
    return ContradictionResult(tuple(reports), len(statements), files_read, tuple(notes), tuple(sorted(unreadable)))
