"""Which files kb reads: files, folders (recursively) and glob patterns, minus the ignore globs; and, from those
and the configuration, the pages a command reads (`page_files`)."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

from kb.errors import KBError, UsageError
from kb.pages.read import CONTENT_SUFFIXES
from kb.text.paths import from_cwd

_SKIP_DIRS = frozenset({"node_modules", "__pycache__"})


def collect(args: Sequence[str], ignore: Sequence[str] = ()) -> list[Path]:
    """Expand files, directories and glob patterns into the sorted, de-duplicated list of pages to check."""
    ignored = [_glob_regex(p) for p in ignore]
    found: dict[str, Path] = {}
    for arg in args:
        for path in _expand(arg):
            text = path.as_posix()
            if not any(rx.fullmatch(s) for rx in ignored for s in _suffixes(text)):
                found.setdefault(os.path.normcase(os.path.abspath(path)), path)
    return sorted(found.values(), key=lambda p: p.as_posix())


def page_files(
    paths: Sequence[str],
    changed_since: str | None,
    content: tuple[str, ...],
    ignore: tuple[str, ...],
    root: Path,
    force_exclude: bool = False,
) -> list[str]:
    """The files to read: the paths given (stdin's "-" aside), else the configured `content`; with `changed_since`,
    only those git reports changed since that ref; with `force_exclude`, only the given files that are pages inside
    `content` and outside `ignore` (what a pre-commit hook hands over is every changed file). Shown relative to the
    working directory."""
    given = [p for p in paths if p != "-"]
    if not paths:
        if not content:
            raise UsageError(
                "no paths given and no `content` configured",
                hint="pass files or folders, or set content = [...] in kb.toml",
            )
        given = _under(root, content)
    if not given:
        return []
    files = collect(given, ignore)
    if force_exclude and paths:
        files = _configured_pages(files, content, ignore, root)
    cwd = Path.cwd().resolve()
    if changed_since:
        from kb.pages.changed import changed_files

        changed = changed_files(changed_since, cwd)
        files = [f for f in files if f.resolve() in changed]
    return [from_cwd(f, cwd) for f in files]


def _under(root: Path, patterns: Sequence[str]) -> list[str]:
    """Configured patterns are relative to the configuration's folder."""
    return [pattern if Path(pattern).is_absolute() else str(root / pattern) for pattern in patterns]


def _configured_pages(files: list[Path], content: tuple[str, ...], ignore: tuple[str, ...], root: Path) -> list[Path]:
    pages = [f for f in files if f.name.lower().endswith(CONTENT_SUFFIXES)]
    if not content:
        return pages
    allowed = site_pages(content, ignore, root)
    return [f for f in pages if f.resolve() in allowed]


@cache
def site_pages(content: tuple[str, ...], ignore: tuple[str, ...], root: Path) -> frozenset[Path]:
    """Every page of the configured `content` (one site), resolved; empty when no content is configured."""
    allowed: set[Path] = set()
    for pattern in _under(root, content):
        try:
            allowed |= {path.resolve() for path in collect([pattern], ignore)}
        except KBError:
            continue  # a content pattern that matches nothing yet: no given file is inside it
    return frozenset(allowed)


def _expand(arg: str) -> Iterator[Path]:
    path = Path(arg)
    if path.is_dir():
        files = list(_walk(path))
        if not files:
            raise KBError("directory has no pages", path=arg, hint="pages end in " + " ".join(CONTENT_SUFFIXES))
        yield from files
    elif os.path.lexists(path):
        # An explicit file is read whatever its suffix; a dangling link is passed on, to be reported as one.
        yield Path(os.path.normpath(arg))
    elif any(ch in arg for ch in "*?["):
        # A pattern selects pages only: "site/**" must not hand images to the reader.
        matches = [m for m in sorted(glob.glob(arg, recursive=True)) if os.path.isdir(m) or _is_page(m)]
        if not matches:
            raise KBError("no pages match this pattern", path=arg, hint="check the pattern (quote it for the shell)")
        for match in matches:
            yield from (_walk(Path(match)) if os.path.isdir(match) else [Path(os.path.normpath(match))])
    else:
        raise KBError("no such file or directory", path=arg, hint="check the path")


def _walk(root: Path) -> Iterator[Path]:
    # Hidden directories (.git, .venv) and dependency folders are never content.
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS]
        for name in files:
            if _is_page(name):
                yield Path(os.path.normpath(os.path.join(folder, name)))


def _is_page(name: str) -> bool:
    return name.lower().endswith(CONTENT_SUFFIXES) and not os.path.basename(name).startswith(".")


def _suffixes(posix: str) -> Iterator[str]:
    """The path and every tail of it, so "drafts/*.md" matches "content/drafts/a.md" (as in .gitignore)."""
    yield posix
    for i, ch in enumerate(posix):
        if ch == "/":
            yield posix[i + 1 :]


def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    pattern = pattern.replace("\\", "/").removeprefix("./")
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            ch = pattern[i]
            out.append("[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch))
            i += 1
    return re.compile("".join(out) + "(?:/.*)?")
