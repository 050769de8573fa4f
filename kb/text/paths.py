"""The one way kb shows a path: POSIX, no leading `./`, relative to a root folder when it is inside it."""

from __future__ import annotations

import os
from pathlib import Path, PurePath


def display_path(path: str | PurePath, root: PurePath) -> str:
    """`path` as shown in every output: relative to `root` when it is an absolute path inside it (or inside what
    `root` resolves to). Relative paths are taken as already relative to `root` (no file-system look-up, so output
    is reproducible)."""
    pure = PurePath(path)
    if pure.is_absolute():
        for base in _bases(root):
            if pure.is_relative_to(base):
                pure = pure.relative_to(base)
                break
    text = pure.as_posix()
    while text.startswith("./"):
        text = text[2:]
    return text


def from_cwd(path: str | PurePath, cwd: Path | None = None) -> str:
    """A file the user named, shown relative to the working directory. `abspath`, not `resolve`: a symbolic link
    is shown (and reported) as the link, not as what it points to."""
    return display_path(os.path.abspath(path), cwd or Path.cwd())


def page_key(path: str | Path) -> str:
    """How a page file is recognised whatever path named it: absolute, resolved, case-folded where the OS does."""
    return os.path.normcase(str(Path(path).resolve()))


def _bases(root: PurePath) -> list[PurePath]:
    if isinstance(root, Path):
        return [root.absolute(), root.resolve()]
    return [root]
