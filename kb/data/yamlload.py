"""Read a YAML data file safely, keeping the line and column of every key and list item.

PyYAML's C parser does the parsing (fast); construction is ours so that we can
- remember positions for error messages (`Marked*` containers),
- reject duplicate keys (YAML allows them silently; a citation database must not),
- reject aliases, which curated data never needs and which make "billion laughs" bombs possible,
- reject integers Python cannot convert (past 4,300 digits) or that no number in kb could be, with their position.

Files are read only when they are regular files (`read_regular`): a directory, FIFO or device is a located error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kb import safeio
from kb.data.collector import collector_paused
from kb.errors import DataError

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Position = tuple[int, int]
# The largest integer a data file may write: beyond 2**1024 an integer is not even a float. (Decimal integers past
# Python's int-string conversion limit, 4,300 digits, fail earlier; both are located errors, not crashes.)
MAX_INTEGER_BITS = 1024


class MarkedDict(dict[str, Any]):
    """A mapping that knows where each of its keys was written (1-based line, column)."""

    position: Position = (1, 1)

    def __init__(self) -> None:
        super().__init__()
        self.key_positions: dict[str, Position] = {}


class MarkedList(list[Any]):
    """A sequence that knows where each item was written."""

    position: Position = (1, 1)

    def __init__(self) -> None:
        super().__init__()
        self.item_positions: list[Position] = []


def _position(node: yaml.Node | yaml.Event) -> Position:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_INT, _TIMESTAMP = "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp"


class _MarkedLoader(_Loader):  # type: ignore[misc]
    """Construction is a direct walk over the composed nodes for the tags kb data uses (text, mappings,
    sequences, integers, dates); any other tag goes through PyYAML's own machinery. Every node is recorded once
    constructed, so a node met twice (an alias) is refused whichever path built it."""

    path = "<yaml>"

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # The composer asks this of every node; most plain scalars start with a character no implicit tag can
        # start with (PyYAML's resolvers are indexed by first character): text, without trying any pattern.
        if kind is yaml.ScalarNode:
            if not implicit[0] or (value and value[0] not in IMPLICIT_FIRST):
                return _STR
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 40:
                    _RESOLVED[value] = tag
            return tag
        return super().resolve(kind, value, implicit)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        constructed = self.constructed_objects
        if node in constructed:
            raise DataError("YAML aliases are not allowed in kb data", self.path, hint="write the value out in full")
        tag = node.tag
        if isinstance(node, yaml.ScalarNode) and tag in (_STR, _TIMESTAMP):
            value: Any = node.value  # dates stay text: `issued: 2018-11-01` is a citation field, not a datetime
        elif isinstance(node, yaml.ScalarNode) and tag == _INT:
            value = _construct_int(self, node)
        elif (
            isinstance(node, yaml.MappingNode | yaml.SequenceNode)
            and node not in self.recursive_objects
            and (tag == (_MAP if isinstance(node, yaml.MappingNode) else _SEQ))
        ):
            self.recursive_objects[node] = None
            value = _construct_map(self, node) if isinstance(node, yaml.MappingNode) else _construct_seq(self, node)
            del self.recursive_objects[node]
        else:  # other tags (floats, booleans, null, explicit tags), and a node inside itself: PyYAML's way
            return super().construct_object(node, deep=True)
        constructed[node] = value
        return value


# PyYAML's implicit resolvers are indexed by a scalar's first character; no wildcard ones are registered.
IMPLICIT_FIRST = frozenset(key for key in _MarkedLoader.yaml_implicit_resolvers if key)
_RESOLVED: dict[str, str] = {}  # short plain scalars that may be something else than text: "true", "3", dates
assert None not in _MarkedLoader.yaml_implicit_resolvers and not _MarkedLoader.yaml_path_resolvers


def _construct_map(loader: _MarkedLoader, node: yaml.MappingNode) -> MarkedDict:
    result = MarkedDict()
    result.position = _position(node)
    positions = result.key_positions
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node)
        mark = key_node.start_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if not isinstance(key, str):
            raise DataError(f"keys must be text, not {_shown(key)}", loader.path, line, column, "quote the key")
        if key in result:
            first = positions[key][0]
            raise DataError(
                f"duplicate key {key!r} (first written on line {first})",
                loader.path,
                line,
                column,
                "remove or rename one of them",
            )
        result[key] = loader.construct_object(value_node)
        positions[key] = (line, column)
    return result


def _construct_seq(loader: _MarkedLoader, node: yaml.SequenceNode) -> MarkedList:
    result = MarkedList()
    result.position = _position(node)
    positions = result.item_positions
    for item in node.value:
        result.append(loader.construct_object(item))
        positions.append(_position(item))
    return result


def _shown(value: object) -> str:
    """A short repr for a message: never the whole of a huge value (and never a conversion that can raise)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"a {value.bit_length()}-bit integer"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _construct_int(loader: _MarkedLoader, node: yaml.ScalarNode) -> int:
    """YAML integers, refused with their position when Python cannot convert them or they are absurdly large."""
    line, column = _position(node)
    hint = "kb numbers are far smaller; quote the value if it is text"
    try:
        value: int = _Loader.construct_yaml_int(loader, node)
    except ValueError:
        message = f"integer too long ({len(str(node.value)):,} characters)"
        raise DataError(message, loader.path, line, column, hint) from None
    if value.bit_length() > MAX_INTEGER_BITS:
        raise DataError(f"integer too large ({value.bit_length():,} bits)", loader.path, line, column, hint)
    return value


# Also registered for PyYAML's own path (construct_object hands a node inside itself to it, which then refuses it).
_MarkedLoader.add_constructor(_MAP, _construct_map)
_MarkedLoader.add_constructor(_SEQ, _construct_seq)
_MarkedLoader.add_constructor(_INT, _construct_int)
_MarkedLoader.add_constructor(_TIMESTAMP, _Loader.construct_yaml_str)


def decode(raw: bytes, path: str) -> str:
    """UTF-8 text or a located error: binary files and bad bytes are named, not guessed at."""
    if b"\x00" in raw[:8192]:
        raise DataError("binary file, not YAML text", path, 1, 1, "point kb at the YAML data file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise DataError(
            f"invalid UTF-8 byte 0x{raw[exc.start]:02x}", path, line, column, "save the file as UTF-8"
        ) from None


def _syntax_error(exc: yaml.MarkedYAMLError, path: str) -> DataError:
    """Where the parser gave up, and where the construct it was reading began (an unclosed bracket's line)."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = f"malformed YAML: {exc.problem or exc.context or 'syntax error'}"
    context = exc.context_mark
    if exc.context and context is not None and (context.line + 1, context.column + 1) != (line, column):
        message += f" ({exc.context} at line {context.line + 1}, column {context.column + 1})"
    return DataError(message, path, line, column, "fix the YAML syntax there")


def _first_alias(text: str) -> Position:
    """Where the first `*alias` is used. The composer hands back the anchored node, so ask the event stream."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return _position(event)
    return (1, 1)


def load_text(text: str, path: str) -> MarkedDict:
    """Parse YAML text whose top level must be a mapping."""
    if not text.strip():
        raise DataError("empty file", path, 1, 1, "the file needs its top-level key, e.g. `claims:`")
    loader = _MarkedLoader(text)
    loader.path = path
    try:
        with collector_paused():
            data = loader.get_single_data()
    except DataError as exc:
        if exc.line is None:  # an alias: locate its use
            exc.line, exc.column = _first_alias(text)
        raise
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path) from None
    except yaml.YAMLError as exc:
        raise DataError(f"malformed YAML: {exc}", path, 1, 1, "fix the YAML syntax") from None
    except RecursionError:
        raise DataError("YAML nested too deeply", path, 1, 1, "flatten the structure") from None
    except (ValueError, OverflowError, IndexError) as exc:  # a scalar the constructors cannot turn into a value
        # (IndexError: PyYAML's own `!!int` with nothing after it)
        raise DataError(f"unreadable value: {type(exc).__name__}", path, 1, 1, "check the file's numbers") from None
    finally:
        loader.dispose()
    if not isinstance(data, MarkedDict):
        raise DataError("the top level must be a mapping", path, 1, 1, "start the file with its top-level key")
    return data


def read_regular(
    path: Path, name: str, what: str = "a YAML file", missing: str = "create it or point --data at the right folder"
) -> bytes:
    """The bytes of a regular file (kb.safeio: special files are refused before they are opened), or a located
    `DataError` saying why not, with a fix that speaks of `what` the file should be."""
    try:
        return safeio.read_regular(path, name)
    except safeio.Unreadable as exc:
        if exc.reason == "missing":
            hint = missing if exc.message == "no such file" else exc.hint
            raise DataError("file not found", name, hint=hint) from None
        if exc.reason == "special":
            raise DataError(f"is {exc.kind}, not {what}", name, 1, 1, f"put {what} (a regular file) there") from None
        raise DataError(exc.message, name, 1, 1, exc.hint) from None


def load_file(path: Path, display: str | None = None) -> MarkedDict:
    name = display or str(path)
    return load_text(decode(read_regular(path, name), name), name)


@dataclass(frozen=True)
class Outline:
    """Where a file's top-level keys and the items of its top-level sequences start (1-based lines): what
    kb.index.entries checks its cut of claims.yaml against. The fast reading (kb.data.fastyaml) makes one too."""

    key_lines: frozenset[int]
    item_lines: dict[str, tuple[int, ...]]


def outline_of(tree: MarkedDict) -> Outline:
    items = {
        key: tuple(line for line, _ in value.item_positions)
        for key, value in tree.items()
        if isinstance(value, MarkedList)
    }
    return Outline(frozenset(line for line, _ in tree.key_positions.values()), items)


def position_of(root: Any, loc: tuple[int | str, ...]) -> Position:
    """The deepest position known for a pydantic error location inside a marked tree."""
    node, best = root, getattr(root, "position", (1, 1))
    for part in loc:
        if isinstance(node, MarkedDict) and isinstance(part, str) and part in node:
            best = node.key_positions[part]
            node = node[part]
        elif isinstance(node, MarkedList) and isinstance(part, int) and 0 <= part < len(node):
            best = node.item_positions[part]
            node = node[part]
        else:
            break
    return best
