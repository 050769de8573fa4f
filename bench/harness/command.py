"""The kb command and its environment: the console script, the bytecode cache, a fingerprint of kb's source."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[2]
Record = dict[str, Any]

BYTECODE: dict[str, str] = {}  # set by use_bytecode_cache(): PYTHONPYCACHEPREFIX, unless --no-bytecode-cache


def kb_command() -> str:
    """The installed console script: on PATH, else beside the running interpreter."""
    found = shutil.which("kb") or str(Path(sys.executable).parent / "kb")
    if not Path(found).is_file():
        sys.exit("bench: the `kb` console script is not installed (pip install -e .)")
    return found


def use_bytecode_cache(root: Path) -> None:
    BYTECODE["PYTHONPYCACHEPREFIX"] = str(root / "pycache")


def clean_env() -> dict[str, str]:
    """The caller's environment without kb settings; with a bytecode cache outside the project unless disabled.

    An environment with PYTHONDONTWRITEBYTECODE=1 and no `kb/__pycache__` recompiles every kb module on every
    start, which a user's install does not; PYTHONPYCACHEPREFIX keeps the cache out of the source tree. Everything
    else (PYTHONPATH included) is passed through, so kb processes import the kb the caller chose.
    """
    skip = ("KB_DATA", "KB_DATABASE_URL", *(("PYTHONDONTWRITEBYTECODE",) if BYTECODE else ()))
    return {key: value for key, value in os.environ.items() if key not in skip} | BYTECODE


def bytecode_note() -> str:
    if BYTECODE:
        return f"bytecode cache: on (PYTHONPYCACHEPREFIX={BYTECODE['PYTHONPYCACHEPREFIX']}, warmed by the first run)"
    flag = os.environ.get("PYTHONDONTWRITEBYTECODE")
    return f"bytecode cache: as the environment has it (PYTHONDONTWRITEBYTECODE={flag or 'unset'})"


def kb_source() -> str:
    """A fingerprint of the kb package's source (git HEAD and a hash of kb/**/*.py): others may edit it mid-run."""
    digest = hashlib.sha256()
    for path in sorted((PROJECT / "kb").rglob("*.py")):
        digest.update(path.relative_to(PROJECT).as_posix().encode() + b"\0" + path.read_bytes())
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True, check=False
    ).stdout.strip()
    return f"git {head or '?'}, kb/*.py sha256/12 {digest.hexdigest()[:12]}"
