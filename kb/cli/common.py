"""What the page-reading commands (`kb check`, `kb contradictions`) share: which files to read, stdin, colour,
writing stdout."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kb.errors import KBError, UsageError
from kb.records import InputError
from kb.text.paths import from_cwd


def page_files(
    paths: tuple[str, ...],
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
    from kb.pages.collect import collect

    given = [p for p in paths if p != "-"]
    if not paths:
        if not content:
            raise UsageError(
                "no paths given and no `content` configured",
                hint="pass files or folders, or set content = [...] in kb.toml",
            )
        given = [str(root / pattern) if not Path(pattern).is_absolute() else pattern for pattern in content]
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


def _configured_pages(files: list[Path], content: tuple[str, ...], ignore: tuple[str, ...], root: Path) -> list[Path]:
    from kb.pages.collect import collect
    from kb.pages.read import CONTENT_SUFFIXES

    pages = [f for f in files if f.name.lower().endswith(CONTENT_SUFFIXES)]
    if not content:
        return pages
    patterns = [str(root / pattern) if not Path(pattern).is_absolute() else pattern for pattern in content]
    allowed: set[Path] = set()
    for pattern in patterns:
        try:
            allowed |= {path.resolve() for path in collect([pattern], ignore)}
        except KBError:
            continue  # a content pattern that matches nothing yet: no given file is inside it
    return [f for f in pages if f.resolve() in allowed]


def write_report(text: str, output_file: str | None) -> None:
    """The report to stdout, or with `--output FILE` into that file, atomically (a reader never sees half of it)."""
    if output_file is None:
        write_output(text)
        return
    from kb.safeio import write_atomic

    write_atomic(Path(output_file), text.encode("utf-8"), "the report")


def say_settings(config_path: Path | None, data_dir: Path, database_url: str, files: int) -> None:
    """--verbose: what the run used, on stderr, before the report."""
    sys.stderr.write(
        f"kb: config {config_path or 'none (defaults)'}; data {data_dir.resolve()}; index {database_url}; "
        f"{files} file(s)\n"
    )


def use_color(choice: str) -> bool:
    """--color auto|always|never; with auto, NO_COLOR and TERM=dumb turn colour off, FORCE_COLOR turns it on
    (no-color.org, force-color.org), and otherwise a terminal decides."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def read_stdin(limit: int) -> tuple[bytes | None, list[InputError]]:
    """The page on standard input, or why it cannot be read (past the size limit, closed): never an empty page."""
    from kb.safeio import read_limited

    try:
        return read_limited(getattr(sys.stdin, "buffer", None), "-", limit), []
    except KBError as exc:
        return None, [InputError.from_error(exc, "-")]


def write_output(text: str) -> None:
    """All of stdout at once; a closed stdout is an error (kb.errors), never a silent success."""
    sys.stdout.write(text)
    sys.stdout.flush()
