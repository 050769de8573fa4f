"""A fast reading of a YAML data file that is exact or declines: rapidyaml parses, emits JSON, `json` reads it.

rapidyaml reads YAML 1.2 and PyYAML (kb.data.yamlload, the positioned loader) YAML 1.1, and they differ at the edges:
`yes`, `~`, `012`, `1_000`, `0x1F` are text to rapidyaml, `1e5` a number; tags, aliases and some escapes are read
otherwise too. So the fast reading returns what the positioned loader would (the same values, in the same key
order, without positions), or None, and then the caller runs the positioned loader, whose errors are the contract.
It declines (false alarms only cost speed):
- on text the two parsers may read differently: a BOM, `\\r` and the other YAML 1.1 line breaks, tabs, text
  that does not end with a line break, document markers and directives, PyYAML's non-printable characters;
- on tags and anchors: a `!` or `&` of the text that is not in the JSON's strings;
- on a plain string, key or value, that PyYAML would not read as that text (`yes`, `~`, `0x1F`, `<<`, `*x`, `]`,
  `- x`...): the JSON cannot tell quoted from plain, so such a string is looked up in rapidyaml's tree, whose nodes
  come in the JSON's order, and taken only when written quoted or as a block scalar;
- on a number whose own text PyYAML would not read as the same number (`1e5` is text to PyYAML; rapidyaml writes
  `-.5`, text to PyYAML, as `-0.5`), an integer past MAX_INTEGER_BITS, a key longer than PyYAML's 1,024-character
  simple key, a top level that is not a mapping, nesting deep enough to approach PyYAML's recursion limit;
- on duplicate keys, and on anything else that makes the JSON hold fewer (or more) nodes than rapidyaml's tree;
- when an item of a top-level sequence, or a top-level key, does not start where PyYAML would mark it (the lines
  are read from where the text lies in the buffer rapidyaml parsed in place: kb.index.entries checks them).
tests/data/test_fastyaml.py checks the promise with generated documents, and on every data file in the repository.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import Any

import yaml

from kb.data.collector import collector_paused
from kb.data.yamlload import IMPLICIT_FIRST, MAX_INTEGER_BITS, Outline

_TEXT_TAGS = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp")
_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_RESOLVERS: dict[str | None, list[tuple[str, re.Pattern[str]]]] = yaml.resolver.Resolver.yaml_implicit_resolvers
_MAX_DEPTH = 100  # the positioned loader's recursion runs out near 450 levels: far from it
_MAX_KEY = 1000  # PyYAML refuses a simple key longer than 1,024 characters

_ODD = ("\ufeff", "\r", "\t", "\x85", "\u2028", "\u2029")  # YAML 1.1 line breaks: PyYAML breaks lines there
_MARKERS = re.compile(r"\n(?:---|\.\.\.|%)")
# Tags (`!!str 12`) and anchors (`&x`) are dropped from the values, and the two parsers do not read them alike (an
# unknown tag, `&` with no name, an anchor used twice): when every `!` and `&` of the text is in the JSON's strings,
# there are none. The comments that open a file are left out of the count (no content can come before them); any
# other comment with one is a false alarm; an escape that writes one could hide one: those decline.
_MARKS = ("!", "&")
_HEADER = re.compile(r"(?:[ ]*(?:#[^\n]*)?\n)*")
_ESCAPED_MARK = re.compile(r"\\(?:x2[16]|u002[16]|U0000002[16])", re.IGNORECASE)
# Plain scalars rapidyaml reads as text where PyYAML reads something else or refuses them: an alias (`*x`), and one
# that starts with an indicator (`]`, `@x`...), or with `-`, `?`, `:` and a space.
_REFUSED_FIRST = frozenset("*@`[]{},#|>'\"%!&")
_SPACED_FIRST = frozenset("-?:")
_CHECKED_FIRST = IMPLICIT_FIRST | _REFUSED_FIRST | _SPACED_FIRST
_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ASCII_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e]")


class _Declined(Exception):
    """The fast reading cannot vouch for this text: the positioned loader reads it."""


def _resolved(text: str) -> str:
    """The tag PyYAML's implicit resolvers give `text` written as a plain scalar (text when none matches)."""
    for tag, pattern in _RESOLVERS.get(text[0] if text else "", ()):
        if pattern.match(text):
            return tag
    return _TEXT_TAGS[0]


def _textual(text: str) -> bool:
    """True when PyYAML would read `text`, written plain, as this text: not ``, `yes`, `~`, `0x1F`, `*x`, `]`, `- x`...
    Short texts are remembered, as the positioned loader remembers their tags."""
    known = _TEXTUAL.get(text)
    if known is None:
        first = text[:1]
        known = (
            bool(text)
            and first not in _REFUSED_FIRST
            and not (first in _SPACED_FIRST and text[1:2] in ("", " "))
            and _resolved(text) in _TEXT_TAGS
        )
        if len(text) <= 40:
            _TEXTUAL[text] = known
    return known


_TEXTUAL: dict[str, bool] = {}


def _integer(literal: str) -> int:
    if _resolved(literal) != _INT:
        raise _Declined
    try:
        value = int(literal)
    except ValueError:  # past Python's int-string conversion limit: the positioned loader's located error
        raise _Declined from None
    if value.bit_length() > MAX_INTEGER_BITS:
        raise _Declined
    return value


def _float(literal: str) -> float:
    if _resolved(literal) != _FLOAT:  # `1e5`: text to PyYAML
        raise _Declined
    return float(literal)


def _constant(literal: str) -> Any:  # NaN, Infinity: never in rapidyaml's JSON for text PyYAML reads so
    raise _Declined


def _checked(tree: Any, data: dict[str, Any]) -> int:
    """How many nodes `data` is, checking every string on the way. The JSON's values come in rapidyaml's node
    order (a fresh tree numbers its nodes in document order, each map entry one node holding key and value), so
    the value walked at count n is node n: a string that would not be text written plain is accepted only when
    that node wrote it quoted or as a block scalar (and holds that very text)."""

    first, textual = _CHECKED_FIRST, _textual

    def styled(node: int, text: str, key: bool) -> bool:
        if key:
            quoted = tree.is_key_quoted(node) or tree.is_key_literal(node) or tree.is_key_folded(node)
            return bool(quoted) and bytes(tree.key(node)) == text.encode()
        quoted = tree.is_val_quoted(node) or tree.is_val_literal(node) or tree.is_val_folded(node)
        return bool(quoted) and bytes(tree.val(node)) == text.encode()

    def number(node: int, value: float, is_int: bool) -> bool:
        """The JSON's literal may be rapidyaml's rewriting (`-.5` as `-0.5`): the node's own text must be a number
        to PyYAML, the same one."""
        written = bytes(tree.val(node)).decode()
        if _resolved(written) != (_INT if is_int else _FLOAT):
            return False
        try:
            return (int(written) if is_int else float(written)) == value
        except ValueError:
            return False

    def walk(value: dict[str, Any] | list[Any], node: int, depth: int) -> int:
        """The nodes of one container (scalars are checked here, not in a call each: most nodes are)."""
        if depth > _MAX_DEPTH:
            raise _Declined
        count = 1
        pairs = value.items() if type(value) is dict else ((None, item) for item in value)
        for key, item in pairs:
            child = node + count
            if key is not None and (
                len(key) > _MAX_KEY
                or ((not key or key[0] in first) and not textual(key) and not styled(child, key, True))
            ):
                raise _Declined
            kind = type(item)
            if kind is str:
                if (not item or item[0] in first) and not textual(item) and not styled(child, item, False):
                    raise _Declined
                count += 1
            elif isinstance(item, dict | list):
                count += walk(item, child, depth + 1)
            else:
                if (kind is int or kind is float) and not number(child, item, kind is int):  # type: ignore[arg-type]
                    raise _Declined
                count += 1  # a boolean, None: rapidyaml's `true`, `false`, `null` and empty are PyYAML's too
        return count

    return walk(data, 0, 0)


def _suspect(text: str) -> bool:
    """Text the two parsers may read differently (a cheap look first: most files have none of these characters)."""
    if any(mark in text for mark in _ODD) or _MARKERS.search("\n" + text):
        return True
    if "\\" in text and _ESCAPED_MARK.search(text):
        return True
    return (_ASCII_NON_PRINTABLE if text.isascii() else _NON_PRINTABLE).search(text) is not None


def _parse(raw: bytes) -> tuple[Any, bytearray]:
    """rapidyaml's tree, parsed in a copy of `raw` (its scalars point into it: see `_outline`). rapidyaml prints
    its parse errors on stderr, which is silenced for the call."""
    import ryml  # type: ignore[import-untyped]

    buffer = bytearray(raw)
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            try:
                tree = ryml.parse_in_place(buffer)
            finally:
                os.dup2(saved, 2)
    except Exception:  # noqa: BLE001 - rapidyaml's parse errors: the positioned loader reports them
        raise _Declined from None
    finally:
        os.close(saved)
    return tree, buffer


def _address(view: memoryview) -> int:
    import numpy

    return int(numpy.frombuffer(view, dtype=numpy.uint8).ctypes.data)


def _start(tree: Any, node: int) -> memoryview:
    """The text the node starts with, where PyYAML's node marks start: a block mapping's first key, a scalar
    (neither a block scalar nor empty, whose marks are elsewhere). Anything else declines."""
    import ryml

    if tree.is_map(node) and not tree.is_flow(node):
        first = tree.first_child(node)
        if first == ryml.NONE or tree.is_key_literal(first) or tree.is_key_folded(first):
            raise _Declined
        return tree.key(first)  # type: ignore[no-any-return]
    if tree.is_container(node) or not tree.is_val(node) or tree.val_is_null(node):
        raise _Declined
    if tree.is_val_literal(node) or tree.is_val_folded(node):
        raise _Declined
    return tree.val(node)  # type: ignore[no-any-return]


def _outline(tree: Any, buffer: bytearray, raw: bytes) -> Outline:
    """The lines of the top-level keys and of the items of top-level sequences, from where their text lies in
    the buffer rapidyaml parsed in place (a scalar it rewrote elsewhere declines)."""
    import ryml

    base, size = _address(memoryview(buffer)), len(buffer)

    def lines(views: list[memoryview]) -> tuple[int, ...]:
        found, line, previous = [], 1, 0
        for view in views:
            offset = _address(view) - base if len(view) else -1
            if not 0 <= offset < size or offset < previous:
                raise _Declined
            line += raw.count(b"\n", previous, offset)
            found.append(line)
            previous = offset
        return tuple(found)

    root = tree.root_id()
    keys = list(ryml.children(tree, root))
    key_lines = lines([tree.key(key) for key in keys])
    items = {
        bytes(tree.key(key)).decode(): lines([_start(tree, item) for item in ryml.children(tree, key)])
        for key in keys
        if tree.is_seq(key)
    }
    return Outline(frozenset(key_lines), items)


def fast_load(text: str, raw: bytes) -> tuple[dict[str, Any], Outline] | None:
    """What `kb.data.yamlload.load_text(text, ...)` returns, as plain dicts and lists, with its outline; or None
    (declined). `raw` is `text` encoded as UTF-8 (the file's bytes)."""
    found = fast_read(text, raw)
    if found is None:
        return None
    outline = found[1]()
    return None if outline is None else (found[0], outline)


def fast_read(text: str, raw: bytes) -> tuple[dict[str, Any], Callable[[], Outline | None]] | None:
    """`fast_load` in two steps: the values now (or None: declined), and `vouch()`, which walks them to tell whether
    the reading can vouch for them (their outline) or declines (None), to be called before they are trusted (a full
    build validates and compiles meanwhile: kb.index.build)."""
    if not text.strip() or not text.endswith("\n") or _suspect(text):  # at the end, block scalars are read apart
        return None
    try:
        with collector_paused():
            tree, buffer = _parse(raw)
            root = tree.root_id()
            if not tree.is_map(root) or tree.is_doc(root) or tree.is_stream(root):
                return None
            import ryml

            emitted = ryml.emit_json_malloc(tree, root)
            body = _HEADER.match(text).end()  # type: ignore[union-attr]
            if any(text.count(mark, body) != emitted.count(mark) for mark in _MARKS):
                return None  # a tag or an anchor
            data = json.loads(emitted, parse_int=_integer, parse_float=_float, parse_constant=_constant)
            if type(data) is not dict or root != 0:
                return None
    except Exception:  # noqa: BLE001 - declined, JSON rapidyaml wrote that is not JSON, rapidyaml's own errors
        return None

    def vouch() -> Outline | None:
        try:
            with collector_paused():
                if _checked(tree, data) != tree.size():
                    return None
                return _outline(tree, buffer, raw)
        except Exception:  # noqa: BLE001 - declined (as above)
            return None

    return data, vouch
