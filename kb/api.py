"""The Python API: what `kb check`, `kb search`, `kb contradictions`, `kb validate` and `kb cite` do, as calls that
return the result records instead of printing them (docs/api.md).

`load` resolves the data folder, the index and `kb.toml` as the command line does and refreshes the index once;
the `KnowledgeBase` it returns answers any number of calls. The module functions of the same names load, answer
one call and close. Every failure kb can explain is a `kb.errors.KBError` (`UsageError`, `DataError`,
`InvalidData`, `NotFound`); a page that cannot be read is an `InputError` in the result, not an exception.

The stages are imported inside the calls, so `import kb` (which loads this module on first use) stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kb.errors import CiteRefused, DataError, InvalidData, KBError, NotFound, UsageError
from kb.fastclass import replace
from kb.records import Finding, InputError, Problem, SearchHit, Severity
from kb.settings import Settings, resolve

if TYPE_CHECKING:
    from kb.check.config import CheckConfig
    from kb.check.runner import CheckResult
    from kb.contradictions.finder import ContradictionResult
    from kb.store.db import Database

__all__ = [
    "CiteRefused",
    "DataError",
    "Finding",
    "InputError",
    "InvalidData",
    "KBError",
    "KnowledgeBase",
    "NotFound",
    "Problem",
    "SearchHit",
    "Severity",
    "UsageError",
    "check_pages",
    "cite",
    "find_contradictions",
    "load",
    "search",
    "validate",
]

PathArg = str | os.PathLike[str]  # a path: "data/pages", Path("page.md")
Paths = PathArg | Iterable[PathArg]  # one path or several


def _path_list(paths: Paths) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(path) for path in paths]


@dataclass(frozen=True)
class KnowledgeBase:
    """An open knowledge base: the resolved `settings` (data folder, index URL), the `kb.toml` `config`, and the
    freshly refreshed index `db`. Made by `kb.load`; use it as a context manager, or call `close`, to release the
    index. Each method is the module function of the same name without the loading."""

    settings: Settings
    config: CheckConfig
    db: Database

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the index (a SQLite connection, or a server engine's pool)."""
        connection = getattr(self.db, "connection", None)
        if connection is not None:
            connection.close()
        engine = getattr(self.db, "engine", None)
        if engine is not None:
            engine.dispose()

    def _files(self, paths: list[str], changed_since: str | None) -> list[str]:
        """The pages to read, as `kb check` finds them: the paths given (files, folders, globs) minus `ignore`, or
        the configured `content` when no path is given; shown relative to the working directory."""
        from kb.pages.collect import page_files

        config = self.config
        return page_files(paths, changed_since, config.content, config.ignore, config.root)

    def check_pages(
        self,
        paths: Paths = (),
        *,
        text: str | bytes | None = None,
        changed_since: str | None = None,
        min_level: str | None = None,
        threshold: float | None = None,
        jobs: int = 1,
    ) -> CheckResult:
        """Lint pages for health claims, as `kb check` does: every `Finding` (sorted by path, line, column), notes,
        the number of files checked, and an `InputError` for each page that could not be read. `text` is one more
        page given as a string (its path is "-"); `min_level` and `threshold` override `kb.toml`."""
        from kb.check.runner import check

        config = self.config
        if min_level is not None or threshold is not None:
            config = replace(
                config,
                min_level=min_level or config.min_level,
                threshold=config.threshold if threshold is None else threshold,
            )
        given = _path_list(paths)
        files = self._files(given, changed_since) if given or text is None else []
        raw = text.encode("utf-8") if isinstance(text, str) else text
        return check(files, self.db, self.settings, config, max(1, jobs), raw)

    def search(
        self,
        query: str = "",
        *,
        limit: int = 10,
        levels: Iterable[str] = (),
        min_level: str | None = None,
        statuses: Iterable[str] = (),
        source: str | None = None,
        page: str | None = None,
        subject: str | None = None,
    ) -> list[SearchHit]:
        """Ranked, number-aware fuzzy search over the claims, as `kb search`: at most `limit` hits, best first. An
        empty query lists the claims the filters allow. Unknown levels or statuses raise `UsageError`."""
        from kb.query.search import Filters, check_filters
        from kb.query.search import search as run_search

        if limit < 1:
            raise UsageError(f"limit must be at least 1, not {limit}")
        filters = Filters(tuple(levels), min_level, tuple(statuses), source, page, subject)
        check_filters(filters)
        return run_search(self.db, query, filters, limit)

    def find_contradictions(
        self, paths: Paths = (), *, text: str | bytes | None = None, with_known: bool = False, jobs: int = 1
    ) -> ContradictionResult:
        """Conflicts among pages, by subject, as `kb contradictions`: a page against a source (an error) and a page
        against another page (a warning); `with_known` adds the pages registered in the data."""
        from kb.contradictions.finder import contradictions
        from kb.text.paths import from_cwd

        given = _path_list(paths)
        files = self._files(given, None) if given or text is None else []
        raw = text.encode("utf-8") if isinstance(text, str) else text
        cwd = Path.cwd().resolve()
        display = lambda path: from_cwd(path, cwd)  # noqa: E731
        return contradictions(files, self.settings, self.db, with_known, max(1, jobs), raw, display)

    def cite(
        self, ids: str | Iterable[str] = (), style: str = "ama", *, page: str | None = None, subject: str | None = None
    ) -> str:
        """Formatted references for claim ids (their supporting sources), source ids, a registered page's claims and
        a subject's claims, as `kb cite`, in `style`: "ama", "apa", "vancouver", "bibtex", "csl-json" or "ris". An
        unknown id raises `NotFound`; a do-not-use claim, or one no source supports, raises `CiteRefused`."""
        from kb.query.bibliography import bibliography
        from kb.query.cite import STYLES, format_citations

        if style not in STYLES:
            raise UsageError(f"unknown citation style {style!r}", hint=f"use one of {', '.join(STYLES)}")
        given = [ids] if isinstance(ids, str) else list(ids)
        return format_citations(bibliography(self.db, given, page, subject), style).rstrip("\n")


def load(data: PathArg | None = None, db: str | None = None, config: PathArg | None = None) -> KnowledgeBase:
    """Open the knowledge base as the command line does: the data folder is `data`, else `kb.toml`'s `data`, else
    `$KB_DATA`, else the nearest `data/claims.yaml` at or above the working directory; the index is `db` (a SQLite
    path or a database URL), else `$KB_DATABASE_URL`, else `.kb/index.sqlite` beside the data folder. The index is
    rebuilt first if the data changed. Raises `UsageError` (bad paths, options or kb.toml), `DataError` (a data
    file that does not parse) or `InvalidData` (data that fails validation; `.problems` lists every problem)."""
    from kb.check.toml import load_config
    from kb.index.build import ready

    settings_file = Path(os.fspath(config)) if config is not None else None
    check_config = load_config(Path.cwd(), settings_file)
    folder = os.fspath(data) if data is not None else check_config.data
    settings = resolve(str(folder) if folder is not None else None, db)
    return KnowledgeBase(settings, check_config, ready(settings))


def check_pages(
    paths: Paths = (),
    *,
    text: str | bytes | None = None,
    data: PathArg | None = None,
    db: str | None = None,
    config: PathArg | None = None,
    changed_since: str | None = None,
    min_level: str | None = None,
    threshold: float | None = None,
    jobs: int = 1,
) -> CheckResult:
    """`kb check` as a call: `load(data, db, config).check_pages(paths, ...)`, closing the index after."""
    with load(data, db, config) as base:
        return base.check_pages(
            paths, text=text, changed_since=changed_since, min_level=min_level, threshold=threshold, jobs=jobs
        )


def search(
    query: str = "",
    *,
    data: PathArg | None = None,
    db: str | None = None,
    limit: int = 10,
    levels: Iterable[str] = (),
    min_level: str | None = None,
    statuses: Iterable[str] = (),
    source: str | None = None,
    page: str | None = None,
    subject: str | None = None,
) -> list[SearchHit]:
    """`kb search` as a call: `load(data, db).search(query, ...)`, closing the index after."""
    with load(data, db) as base:
        return base.search(
            query,
            limit=limit,
            levels=levels,
            min_level=min_level,
            statuses=statuses,
            source=source,
            page=page,
            subject=subject,
        )


def find_contradictions(
    paths: Paths = (),
    *,
    text: str | bytes | None = None,
    data: PathArg | None = None,
    db: str | None = None,
    config: PathArg | None = None,
    with_known: bool = False,
    jobs: int = 1,
) -> ContradictionResult:
    """`kb contradictions` as a call: `load(data, db, config).find_contradictions(paths, ...)`, closing the index
    after."""
    with load(data, db, config) as base:
        return base.find_contradictions(paths, text=text, with_known=with_known, jobs=jobs)


def cite(
    ids: str | Iterable[str] = (),
    style: str = "ama",
    *,
    page: str | None = None,
    subject: str | None = None,
    data: PathArg | None = None,
    db: str | None = None,
) -> str:
    """`kb cite` as a call: `load(data, db).cite(ids, style, page=…, subject=…)`, closing the index after."""
    with load(data, db) as base:
        return base.cite(ids, style, page=page, subject=subject)


def validate(data: PathArg | None = None) -> list[Problem]:
    """`kb validate` as a call: every problem in the data folder (schema, ids, references, identifiers,
    verification records, quotes), sorted by file and position; [] means valid. The folder is found as `load` finds
    it (without kb.toml). Needs no index. Raises `UsageError` (no data folder) or `DataError` (a file that does not
    parse: malformed YAML, duplicate keys, aliases)."""
    from kb.data.dataset import load as load_dataset
    from kb.data.validate import check as check_dataset

    settings = resolve(os.fspath(data) if data is not None else None)
    return check_dataset(load_dataset(settings.data_dir))
