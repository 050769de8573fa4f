"""What the index is compiled from and how kb tells it is stale: the data folder's files, the source files of
the packages that shape the index (found by package) and the data files kb ships (kb/resources/: the city list
feeds statement extraction), their stat signature (size, mtime, ctime, inode: as git) and,
when that changed, their content hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kb.errors import DataError, KBError
from kb.safeio import read_regular
from kb.text.resources import resource_files

SCHEMA_VERSION = "9"  # 8: term ids in order of first appearance; 9: kb_claim_term without rowid (SQLite)

CLAIMS_FILE = "claims.yaml"

_KB_ROOT = Path(__file__).resolve().parent.parent

# The code that shapes the compiled rows: the stages the index is built from, and the index itself. Found by
# package, so a module added to one of them is an input the day it is written (a hand-kept list missed three).
SHAPING_PACKAGES = ("text", "data", "pages", "language", "store", "index")

SHAPING_MODULES = ("errors.py", "records.py", "safeio.py", "settings.py")


def _code_files() -> list[Path]:
    """Every source file of the packages that shape the index, the foundation modules they stand on, and every
    data file kb ships (kb/resources/), which those modules read: a changed city list changes the statements."""
    files = [path for package in SHAPING_PACKAGES for path in (_KB_ROOT / package).rglob("*.py")]
    return sorted(files + [_KB_ROOT / name for name in SHAPING_MODULES] + resource_files())


def _inputs(data_dir: Path) -> list[tuple[str, Path]]:
    """Every file the index is compiled from, named stably: the data folder's files and kb's code and data."""
    # Hidden files and folders are not data: editor schemas (`.schema/`), editors' swap files.
    found = (p for p in data_dir.rglob("*") if p.is_file())
    files = sorted(p for p in found if not any(part.startswith(".") for part in p.relative_to(data_dir).parts))
    code = [(f"kb/{p.relative_to(_KB_ROOT).as_posix()}", p) for p in _code_files()]
    return [(str(p.relative_to(data_dir)), p) for p in files] + code


def stat_signature(data_dir: Path) -> str:
    parts = []
    for name, path in _inputs(data_dir):
        try:
            info = path.stat()
        except OSError:
            parts.append(f"{name}:missing")
            continue
        parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def content_hash(data_dir: Path, claims_frame: str | None = None) -> str:
    """The hash of every input's content. With `claims_frame`, claims.yaml counts as that text (the file without
    its claims, kb.index.entries): the hash of everything an edit of claims alone leaves as it was."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for name, path in _inputs(data_dir):
        digest.update(name.encode() + b"\0")
        if claims_frame is not None and name == CLAIMS_FILE:
            digest.update(b"frame\0" + claims_frame.encode())
            continue
        try:
            digest.update(read_regular(path, str(path)))
        except KBError as exc:
            raise DataError(exc.message, exc.path, hint=exc.hint or "check the data folder") from None
    return digest.hexdigest()
