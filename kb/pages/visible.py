"""Visible text with its way back to the source: `Visible` keeps, next to the text a parser shows, runs that map
each visible character to an offset in the original file, so a finding points at the line and column an editor
shows; `align` and `locate` map a parser's decoded output back onto the source."""

from __future__ import annotations

import re
from bisect import bisect_right

from kb.pages.sentences import Sentence, split_sentences
from kb.text.normalise import normalise, unescape

# Same grammar as textnorm's entity pattern (semicolon optional), so decoding here agrees with normalise().
ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#\d+|[A-Za-z][A-Za-z0-9]*);?")

# Inside the visible text "\n" is reserved for block boundaries; other line breaks become spaces (same length).
_WS = str.maketrans(dict.fromkeys("\n\r\t\f\v\x1c\x1d\x1e\x85\u2028\u2029", " "))

_NL = re.compile("\n")


class LineIndex:
    """Source offset -> 1-based (line, column in characters), by binary search over the line starts."""

    def __init__(self, source: str) -> None:
        self.starts = [0] + [m.end() for m in _NL.finditer(source)]

    def position(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1

    def offset(self, line: int, column: int) -> int:
        """The inverse of `position`; a line or column out of range is taken as the nearest one."""
        return self.starts[min(max(line, 1), len(self.starts)) - 1] + max(column, 1) - 1


class Visible:
    """Visible text of a document being built, with runs mapping it back to `source` offsets.

    A run is exact when its visible characters correspond one to one to source characters (whitespace may be
    translated); otherwise (an entity, an escape, an unmappable character) the whole run maps to its source span.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.lines = LineIndex(source)
        self._parts: list[str] = []
        self._size = 0
        self._vis: list[int] = []
        self._src: list[int] = []
        self._end: list[int] = []
        self._exact: list[bool] = []

    def text(self, start: int, end: int) -> None:
        """Source characters shown as they are, except literal entities the parser left undecoded (`&rsquo t`)."""
        if start >= end:
            return
        piece = self.source[start:end]
        if "&" not in piece:
            self._run(_spaces(piece), start, end, True)
            return
        done = 0
        for m in ENTITY.finditer(piece):
            decoded = unescape(m.group())
            if decoded != m.group():
                self.text(start + done, start + m.start())
                self._run(decoded, start + m.start(), start + m.end(), False)
                done = m.end()
        if done < len(piece):
            self._run(_spaces(piece[done:]), start + done, end, True)

    def atom(self, text: str, start: int, end: int) -> None:
        """Visible text that maps to a source span as a whole (entity, escape, soft break, unmapped text)."""
        if text:
            self._run(_spaces(text), start, max(start, end), False)

    def brk(self) -> None:
        """Block boundary: no sentence crosses it."""
        if self._parts and self._parts[-1] != "\n":
            self._parts.append("\n")
            self._size += 1

    def _run(self, text: str, start: int, end: int, exact: bool) -> None:
        self._parts.append(text)
        self._vis.append(self._size)
        self._src.append(start)
        self._end.append(end)
        self._exact.append(exact)
        self._size += len(text)

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Source span of visible characters [a, b)."""
        r = bisect_right(self._vis, a) - 1
        start = self._src[r] + (a - self._vis[r]) if self._exact[r] else self._src[r]
        r = bisect_right(self._vis, b - 1) - 1
        end = self._src[r] + (b - self._vis[r]) if self._exact[r] else self._end[r]
        # Degraded (inexact) runs can only make a span empty, never reversed or out of the file.
        start = min(start, len(self.source))
        return start, min(max(start, end), len(self.source))

    def where(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a source offset."""
        return self.lines.position(offset)

    def sentences(self) -> tuple[Sentence, ...]:
        text = "".join(self._parts)
        out = []
        for a, b in split_sentences(text):
            start, end = self.span(a, b)
            line, column = self.where(start)
            end_line, last_column = self.where(max(start, end - 1))
            out.append(Sentence(_normalise(text[a:b]), start, end, line, column, end_line, last_column + 1))
        return tuple(out)


def _spaces(text: str) -> str:
    # isprintable() is a fast C scan that is False for every character _WS maps; translate() is slow.
    return text if text.isprintable() else text.translate(_WS)


def _normalise(text: str) -> str:
    """textnorm.normalise, skipped when it cannot change anything (plain ASCII, single spaces): most sentences."""
    if text.isascii() and text.isprintable() and "&" not in text and "  " not in text:
        return text.strip()
    return normalise(text)


# Printable ASCII that parsers never re-encode (no & ' < > \); any other character is aligned on its own.
_CHUNK = re.compile(r"[\x20-\x25\x28-\x3b=\x3f-\x5b\x5d-\x7e]+|.", re.S)

Run = tuple[int, int, "str | None"]  # [start, end) in the haystack; visible text, or None when it is hay[start:end]


def align(text: str, hay: str, pos: int, runs: list[Run], markup: re.Pattern[str] | None = None) -> int:
    """Map `text` (a parser's decoded output) onto `hay` from `pos`; append runs and return the end position.

    `markup` matches what a parser may drop from the middle of a text run (stray HTML end tags): it is skipped.
    """
    # A visible "&" may come from "&amp;": it never takes the fast paths.
    if "&" not in text and hay.startswith(text, pos):
        _exact(runs, pos, pos + len(text))
        return pos + len(text)
    for m in _CHUNK.finditer(text):
        chunk = m.group()
        if chunk != "&" and hay.startswith(chunk, pos):
            _exact(runs, pos, pos + len(chunk))
            pos += len(chunk)
        else:
            pos = _align_slow(chunk, hay, pos, runs, markup)
    return pos


def _exact(runs: list[Run], start: int, end: int) -> None:
    # Merge contiguous exact runs so a literal entity split over chunks is still seen whole by Visible.text.
    if runs and runs[-1][2] is None and runs[-1][1] == start:
        runs[-1] = (runs[-1][0], end, None)
    else:
        runs.append((start, end, None))


def _align_slow(chunk: str, hay: str, pos: int, runs: list[Run], markup: re.Pattern[str] | None) -> int:
    """Character by character: entities, backslash escapes, CRLF; resynchronise or degrade, never fail."""
    i, n = 0, len(chunk)
    while i < n:
        ch, h = chunk[i], hay[pos : pos + 1]
        if h == "&" and (d := _entity_at(hay, pos)) and chunk.startswith(d[0], i):
            runs.append((pos, d[1], d[0]))  # before the literal test: "&amp;" shows "&" but is not one
            pos, i = d[1], i + len(d[0])
        elif h == ch:
            _exact(runs, pos, pos + 1)
            pos, i = pos + 1, i + 1
        elif h == "\r":
            pos += 1
        elif h == "\\" and hay.startswith(ch, pos + 1):
            runs.append((pos, pos + 2, ch))
            pos, i = pos + 2, i + 1
        elif ch.isspace() and h.isspace():
            runs.append((pos, pos + 1, ch))
            pos, i = pos + 1, i + 1
        elif markup is not None and (m := markup.match(hay, pos)) and m.end() > pos:
            pos = m.end()
        else:
            rest = chunk[i:]
            q = hay.find(rest, pos, pos + len(rest) + 256) if len(rest.strip()) >= 3 else -1
            if q >= 0:
                pos = q
                continue
            # Unmappable: the rest of the chunk goes to the nearest preceding mapped offset, in one run (linear).
            runs.append((pos, pos, rest))
            break
    return pos


def _entity_at(hay: str, pos: int) -> tuple[str, int] | None:
    """The decoded text and end of an entity starting at `pos`, if there is one."""
    m = ENTITY.match(hay, pos)
    if m is None:
        return None
    decoded = unescape(m.group())
    return (decoded, m.end()) if decoded != m.group() else None


def locate(text: str, hay: str, pos: int, skipped: int) -> int:
    """Where a parser's text run starts in `hay`: at `pos`, after the markup ending at `skipped`, or found later.

    Only a plain ASCII chunk of two or more characters is searched for; a lone quote or letter could match
    anywhere, so those are left to `align`'s character-level handling at `skipped`.
    """
    m = _CHUNK.match(text)
    first = m.group() if m else ""
    if hay.startswith(first, pos):
        return pos
    if hay.startswith(first, skipped) or len(first.strip()) < 2:
        return skipped
    found = hay.find(first, pos, pos + 100_000)  # bounded: a run that is nowhere must not make reading quadratic
    return found if found >= 0 else skipped
