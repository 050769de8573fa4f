"""Add an entry to a list in a YAML file by inserting its lines, leaving every other byte as it was.

A re-dump of the whole document, even by ruamel.yaml's round-trip emitter, re-wraps long flow sequences: on the
bundled claims.yaml it changes 809 of 2,215 lines. So the writer renders only the new entry (`render`) and splices
it in after the last line of the list it joins, found from the positions kb's loader records (`yamlload`).
`transaction` then re-reads the result and checks it equals the old document plus the entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kb.data.write.render import render_item
from kb.data.yamlload import MarkedDict, MarkedList
from kb.errors import DataError

Path_ = tuple[str | int, ...]


def _follower(tree: MarkedDict, path: Path_) -> int | None:
    """The first line of whatever follows the node at `path` in the document (None: it runs to the end)."""
    node: Any = tree
    lines: list[int] = []
    for part in path:
        if isinstance(node, MarkedDict) and isinstance(part, str):
            keys = list(node)
            after = keys.index(part) + 1
            if after < len(keys):
                lines.append(node.key_positions[keys[after]][0])
        elif isinstance(node, MarkedList) and isinstance(part, int) and part + 1 < len(node):
            lines.append(node.item_positions[part + 1][0])
        node = node[part]
    return min(lines) if lines else None


def _last_content(lines: list[str], first: int, bound: int | None) -> int:
    """The last line (1-based) from `first` up to `bound` (exclusive) that is neither blank nor a comment."""
    last = first
    for number in range(first, (bound or len(lines) + 1)):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            last = number
    return last


def _insert(lines: list[str], after: int, block: str) -> str:
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return "".join([*lines[:after], block, *lines[after:]])


def _dash_column(lines: list[str], items: MarkedList) -> int:
    line, column = items.item_positions[0]
    text = lines[line - 1][: column - 1]
    dash = text.rstrip().rfind("-")
    return dash if dash >= 0 else column - 1


def append_entry(text: str, tree: MarkedDict, path: Path_, item: Mapping[str, Any], name: str) -> str:
    """`text` with `item` added at the end of the list at `path` (e.g. ("claims",), ("claims", 3, "mentions"))."""
    lines = text.splitlines(keepends=True)
    parent: Any = tree
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1]
    assert isinstance(parent, MarkedDict) and isinstance(key, str)
    if key not in parent:  # no such list yet: add the key after the parent's last line
        key_column = next(iter(parent.key_positions.values()), (1, 1))[1] - 1 if parent else 0
        bound = _follower(tree, path[:-1]) if path[:-1] else None
        start = parent.position[0] if path[:-1] else 1
        after = _last_content(lines, start, bound) if lines else 0
        block = " " * key_column + f"{key}:\n" + render_item(item, key_column + 2)
        return _insert(lines, after, ("\n" if not path[:-1] else "") + block)
    line, column = parent.key_positions[key]
    items = parent[key]
    if items is None or (isinstance(items, MarkedList) and not items):
        if isinstance(items, MarkedList):  # `key: []` becomes `key:` followed by the entry
            row = lines[line - 1]
            at = row.find("[]", column)
            if at < 0:
                raise DataError(f"cannot add to `{key}`: written across lines", name, line, column, "write `[]`")
            lines[line - 1] = row[:at].rstrip() + row[at + 2 :]
        return _insert(lines, line, render_item(item, column - 1 + 2))
    if not isinstance(items, MarkedList):
        raise DataError(f"`{key}` is not a list", name, line, column, "make it a list of entries")
    if lines[items.position[0] - 1][items.position[1] - 1 :].lstrip().startswith("["):
        raise DataError(
            f"`{key}` is a flow list ([…]); kb adds entries only to block lists",
            name,
            line,
            column,
            "write each entry on its own `- ` line",
        )
    after = _last_content(lines, items.item_positions[-1][0], _follower(tree, path))
    separator = ""
    if len(items) >= 2:
        previous_end = _last_content(lines, items.item_positions[-2][0], items.item_positions[-1][0])
        if any(not lines[n - 1].strip() for n in range(previous_end + 1, items.item_positions[-1][0])):
            separator = "\n"  # entries here are separated by a blank line
    return _insert(lines, after, separator + render_item(item, _dash_column(lines, items)))
