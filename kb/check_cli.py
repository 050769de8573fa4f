"""`kb check`: option handling and output for the page audit. The work is in `kb.checker`; output in `kb.formats`.

Exit codes (the Vale / pip-audit contract): 0 nothing at or above `--fail-on`; 1 findings at or above it;
2 usage, configuration or input error. `--fail-on` sets only the exit code; every finding is displayed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from kb.errors import UsageError
from kb.records import Finding, Severity

FAIL_ON = ("error", "warning", "info", "none")


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[str, ...]
    output: str = "text"
    fail_on: str | None = None
    config: str | None = None
    baseline: str | None = None
    write_baseline: str | None = None
    changed_since: str | None = None
    jobs: int = 1
    min_level: str | None = None
    threshold: float | None = None
    data: str | None = None
    db: str | None = None
    color: str = "auto"


def _display(path: Path, cwd: Path) -> str:
    """Relative to the working directory, POSIX, so fingerprints and baselines do not depend on the machine."""
    try:
        return path.resolve().relative_to(cwd).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _files(options: CheckOptions, content: tuple[str, ...], ignore: tuple[str, ...], root: Path) -> list[str]:
    from kb.collect import collect

    given = [p for p in options.paths if p != "-"]
    if not options.paths:
        if not content:
            raise UsageError(
                "no paths given and no `content` configured",
                hint="pass files or folders, or set content = [...] in kb.toml",
            )
        given = [str(root / pattern) if not Path(pattern).is_absolute() else pattern for pattern in content]
    if not given:
        return []
    files = collect(given, ignore)
    cwd = Path.cwd().resolve()
    if options.changed_since:
        from kb.changed import changed_files

        changed = changed_files(options.changed_since, cwd)
        files = [f for f in files if f.resolve() in changed]
    return [_display(f, cwd) for f in files]


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for many files in a terminal; nothing otherwise."""
    if total < 20 or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("kb check", total=total)
        yield lambda done: bar.advance(task, done)


def _color(choice: str) -> bool:
    import os

    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def run_check(options: CheckOptions) -> int:
    from kb import __version__
    from kb.checkconfig import load_config
    from kb.checker import check
    from kb.config import resolve
    from kb.formats import Report, render, summary

    if options.fail_on is not None and options.fail_on not in FAIL_ON:
        raise UsageError(f"unknown --fail-on {options.fail_on!r}", hint=f"use one of {', '.join(FAIL_ON)}")
    config = load_config(Path.cwd(), Path(options.config) if options.config else None)
    if options.min_level or options.threshold is not None:
        config = replace(
            config,
            min_level=options.min_level or config.min_level,
            threshold=config.threshold if options.threshold is None else options.threshold,
        )
    settings = resolve(options.data or config.data, options.db)
    files = _files(options, config.content, config.ignore, config.root)
    stdin = sys.stdin.buffer.read() if "-" in options.paths else None
    with _progress(len(files)) as progress:
        result = check(files, settings, config, max(1, options.jobs), stdin, progress)
    findings = list(result.findings)
    if options.baseline:
        from kb.baseline import filter_new, load_baseline

        findings = filter_new(findings, load_baseline(Path(options.baseline)))
    if options.write_baseline:
        from kb.baseline import write_baseline

        write_baseline(Path(options.write_baseline), findings)
        sys.stderr.write(f"kb check: wrote {len(findings)} finding(s) to {options.write_baseline}\n")
        return 0
    report = Report(result.files_checked, __version__, Path.cwd(), result.notes, _color(options.color))
    sys.stdout.write(render(findings, options.output, report))
    if options.output in ("text", "line"):
        sys.stderr.write(summary(findings, report) + "\n")
    return exit_code(findings, options.fail_on or config.fail_on.label)


def exit_code(findings: list[Finding], fail_on: str) -> int:
    if fail_on == "none":
        return 0
    floor = Severity.parse(fail_on)
    return 1 if any(finding.severity >= floor for finding in findings) else 0
