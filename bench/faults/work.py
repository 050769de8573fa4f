"""One generated knowledge base with kb's default `.kb/` beside it, the commands the bench runs on it, the
environment they run in (kb from a snapshot of kb/, unless --live-source), and what is in `.kb/`."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import harness as h
from corpus.knowledge import Generator

QUERY = "three out of four"
INDEX_FILES = frozenset({"index.sqlite", "index.sqlite.stamp", "index.sqlite.lock"})
CHECK_PAGES = 3


SOURCE: dict[str, str] = {}  # set by main(): PYTHONPATH of the snapshot of kb/, unless --live-source


def env() -> dict[str, str]:
    """The harness's environment for kb processes, importing kb from the snapshot when there is one."""
    return h.clean_env() | SOURCE


def run(command: Sequence[str], cwd: Path) -> h.Ran:
    return h.capture(command, cwd, env())


def listing(folder: Path) -> dict[str, int]:
    try:
        return {p.name: p.stat().st_size for p in folder.iterdir()}
    except OSError:
        return {}


def orphans(folder: Path) -> dict[str, int]:
    return {name: size for name, size in listing(folder).items() if name not in INDEX_FILES}


def integrity(index: Path) -> str:
    """`PRAGMA integrity_check` by the sqlite3 shell (read-only), or by Python's sqlite3 module without one."""
    if not index.is_file():
        return "no index"
    shell = shutil.which("sqlite3")
    if shell:
        done = subprocess.run(
            [shell, "-readonly", str(index), "PRAGMA integrity_check;"], capture_output=True, text=True, check=False
        )
        return " ".join((done.stdout + done.stderr).split())[:80] or f"sqlite3 exited {done.returncode}"
    try:
        connection = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
        try:
            return " ".join(str(row[0]) for row in connection.execute("PRAGMA integrity_check"))[:80]
        finally:
            connection.close()
    except sqlite3.Error as exc:
        return f"error: {exc}"


def mb(size: int) -> str:
    return f"{size / 1e6:.1f}"


def flag(files: dict[str, int]) -> str:
    return ",".join(f"{name}({mb(size)}MB)" for name, size in sorted(files.items())) or "-"


@dataclass
class Work:
    """One generated knowledge base: data/ and kb's default .kb/ beside it, and the commands the bench runs."""

    kb: str
    folder: Path
    claims: int
    generate_s: float = 0.0

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def dot_kb(self) -> Path:
        return self.folder / ".kb"

    @property
    def index(self) -> Path:
        return self.dot_kb / "index.sqlite"

    @property
    def claims_file(self) -> Path:
        return self.data / "claims.yaml"

    def kb_run(self, *args: str) -> list[str]:
        return [self.kb, *args, "--data", str(self.data)]

    def rebuild(self) -> list[str]:
        return self.kb_run("index", "--rebuild")

    def index_cmd(self) -> list[str]:
        return self.kb_run("index")

    def search(self) -> list[str]:
        return self.kb_run("search", QUERY, "--format", "json")

    def check(self) -> list[str]:
        pages = sorted((self.folder / "check-pages").iterdir())
        return [self.kb, "check", *map(str, pages), "--format", "json", "--fail-on", "none", "--data", str(self.data)]


def make_work(kb: str, root: Path, claims: int) -> Work:
    work = Work(kb, root / f"kb-{claims}", claims)
    h.log(f"{claims:,} claims: generating data in {work.data}")
    start = time.perf_counter()
    Generator(claims).write(work.data)
    work.generate_s = time.perf_counter() - start
    pages = work.folder / "check-pages"  # outside data/: the pages checked are not inputs of the index
    pages.mkdir(exist_ok=True)
    for page in sorted((work.data / "pages").iterdir())[:CHECK_PAGES]:
        shutil.copyfile(page, pages / page.name)
    return work
