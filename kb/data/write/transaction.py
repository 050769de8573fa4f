"""The one way kb changes the YAML knowledge base: lock, re-read, splice, verify, validate, write atomically.

Under the data folder's lock (`lock`), the files are read afresh (a writer that waited sees what the one before it
wrote), each addition is spliced into its file's text (`splice`), the result is re-read and compared with the old
document plus the additions (a splice that went wrong is a bug, exit 3, and nothing is written), then the whole
knowledge base is validated with `kb validate`'s checks. Only a valid result is written, each changed file through
a temporary file and a rename (`kb.safeio.write_atomic`). Anything else writes nothing.
"""

from __future__ import annotations

import copy
import difflib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.data import validate
from kb.data.dataset import FILES, Dataset, load
from kb.data.write.lock import data_lock
from kb.data.write.splice import append_entry
from kb.data.yamlload import decode, load_text, read_regular
from kb.errors import InvalidData
from kb.fastclass import replace
from kb.records import Problem
from kb.safeio import write_atomic
from kb.text.paths import from_cwd


@dataclass(frozen=True)
class Addition:
    """One entry to append: to the list at `path` of file `name` ("claims", "sources" or "pages")."""

    name: str
    path: tuple[str | int, ...]
    item: Mapping[str, Any]
    what: str = "entry"  # for the message: "claim jefferson-61-responders"


@dataclass(frozen=True)
class Written:
    """What a transaction wrote: each addition with the file and line it landed on."""

    added: tuple[tuple[Addition, str, int], ...]


Plan = Callable[[Dataset], Sequence[Addition]]


def _texts(root: Path) -> dict[str, str]:
    texts = {}
    for name, filename in FILES.items():
        path = root / filename
        if not os.path.lexists(path):
            texts[name] = f"{name}: []\n"  # an optional file not written yet
        else:
            shown = from_cwd(path)
            texts[name] = decode(read_regular(path, shown), shown)
    return texts


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _at(tree: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        tree = tree[part]
    return tree


def _expected(tree: Any, addition: Addition) -> Any:
    document = _plain(copy.deepcopy(tree))
    parent = _at(document, addition.path[:-1])
    if parent.get(addition.path[-1]) is None:
        parent[addition.path[-1]] = []
    parent[addition.path[-1]].append(_plain(addition.item))
    return document


def _line_of(tree: Any, path: tuple[str | int, ...]) -> int:
    items = _at(tree, path)
    return int(items.item_positions[-1][0])


def _in_new_lines(
    problems: list[Problem], texts: dict[str, str], changed: dict[str, str], after: Dataset
) -> list[Problem]:
    """Problems in the lines being added say so: their line numbers are those of the file kb did not write."""
    added: dict[str, set[int]] = {}
    for name, text in changed.items():
        matcher = difflib.SequenceMatcher(a=texts[name].splitlines(), b=text.splitlines(), autojunk=False)
        lines = {n + 1 for tag, _, _, b0, b1 in matcher.get_opcodes() if tag != "equal" for n in range(b0, b1)}
        added[after.paths[name]] = lines
    return [
        replace(problem, message=problem.message + " (in the entry being added; nothing was written)")
        if problem.line in added.get(problem.path, set())
        else problem
        for problem in problems
    ]


def edit(root: Path, plan: Plan) -> Written:
    """Apply the additions `plan` makes from the current data; raises `InvalidData` (exit 2) and writes nothing
    when the result would not validate."""
    with data_lock(root):
        texts = _texts(root)
        before = load(root, texts)
        additions = plan(before)
        changed: dict[str, str] = {}
        landed = []
        for addition in additions:
            name = addition.name
            display = before.paths[name]
            text = changed.get(name, texts[name])
            tree = load_text(text, display)
            new_text = append_entry(text, tree, addition.path, addition.item, display)
            new_tree = load_text(new_text, display)
            if _plain(new_tree) != _expected(tree, addition):
                raise RuntimeError(f"the writer's splice into {display} did not read back as intended")
            changed[name] = new_text
            landed.append((addition, display, _line_of(new_tree, addition.path)))
        after = load(root, {**texts, **changed})
        problems = validate.check(after)
        if problems:
            raise InvalidData(_in_new_lines(problems, texts, changed, after))
        for name, text in changed.items():
            write_atomic(root / FILES[name], text.encode("utf-8"), FILES[name])
        return Written(tuple(landed))
