"""claims.yaml cut into its claims, by text, so an edit is found (and parsed) claim by claim.

The cut is deliberately strict: it knows one layout (the top-level `claims:` key followed by a block sequence whose
items start with `- ` at one indentation) and gives up (None) on anything else, which sends the index down the full
rebuild. It is checked against the YAML parser twice: a full build keeps it only when every claim starts where the
parser put it and the text after the last claim is the parser's next top-level key; an incremental update parses
each changed claim on its own and requires exactly one item. An unchanged claim is text already checked so.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from kb.data.yamlload import Outline

KEY = "claims"
# Patterns anchored on "\n" over "\n" + text: `^` with re.MULTILINE tries every position, several times slower.
_KEY_LINE = re.compile(r"\nclaims:[ ]*(?:#[^\n]*)?(?=\n|$)")
_CONTENT = re.compile(r"\n *[^ \n#]")  # the first line that is neither blank nor a comment
_ITEM = re.compile(r"\n( *)-(?: |\n|$)")
_END = re.compile(r"\n[^ \n#]")  # the next top-level key (or anything else at the margin)
_END_AT_MARGIN = re.compile(r"\n(?!-(?: |\n|$))[^ \n#]")  # the same when the items are at the margin
_MARKER = re.compile(r"\n(?:---|\.\.\.|%)")


@dataclass(frozen=True)
class Cut:
    """The claims as text (each from its `- ` line to the next), what is left (the frame), and where they sit."""

    chunks: tuple[str, ...]
    frame: str
    first_line: tuple[int, ...]  # 1-based line of each chunk's `- `
    end_line: int  # 1-based line that ends the sequence (the next top-level key), or 0 at the end of the file

    def digests(self) -> list[str]:
        return [digest(chunk) for chunk in self.chunks]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _odd(text: str) -> bool:
    """Text the cut does not try to read: other line breaks, tabs at a line's start, a BOM, document markers."""
    if "\r" in text or text.startswith("\ufeff") or "\n\t" in text or text.startswith("\t"):
        return True
    return _MARKER.search("\n" + text) is not None


def cut(text: str) -> Cut | None:
    """The claims of claims.yaml's text, or None when its layout is not the one this cut reads."""
    if _odd(text):
        return None
    padded = "\n" + text  # so that every line, the first too, starts after a "\n"; offsets below are in it
    heads = list(_KEY_LINE.finditer(padded))
    if len(heads) != 1:
        return None
    first = _CONTENT.search(padded, heads[0].end())
    item = _ITEM.match(padded, first.start()) if first else None
    if first is None or item is None:
        return None  # `claims:` holds no block sequence (empty, a flow list): not this layout
    indent = len(item.group(1))
    stop = (_END_AT_MARGIN if indent == 0 else _END).search(padded, first.start())
    end = stop.start() if stop else len(padded)
    region = padded[first.start() : end]
    starts = [m.start() + first.start() + 1 for m in re.finditer(rf"\n {{{indent}}}-(?: |\n|$)", region)]
    if len(re.findall(rf"\n {{0,{indent}}}[^ \n#]", region)) != len(starts):
        return None  # a line at or left of the items' indentation that is not an item
    # Each chunk runs from its `- ` to the next one's (or the sequence's end), with its line break.
    bounds = [*starts[1:], end + 1]
    chunks = tuple(padded[a:b] for a, b in zip(starts, bounds, strict=True))
    lines, line, previous = [], 0, 0
    for position in starts:
        line += padded.count("\n", previous, position)
        lines.append(line)
        previous = position
    end_line = line + padded.count("\n", previous, end + 1) if stop else 0
    frame = padded[1 : starts[0]] + padded[end + 1 :]
    return Cut(chunks, frame, tuple(lines), end_line)


def agrees(found: Cut, outline: Outline) -> bool:
    """The cut agrees with the parser's reading of the whole file (its outline: where the items of `claims:` and
    the top-level keys start): same claims, same starts, same end."""
    if outline.item_lines.get(KEY) != found.first_line:
        return False
    return found.end_line == 0 or found.end_line in outline.key_lines


def lone_item_text(chunk: str) -> str:
    """A chunk as a YAML document of its own: the one claim under the `claims:` key."""
    return f"{KEY}:\n{chunk}"
