"""Reading layer of `kb check`: turn a content page (Markdown, HTML or plain text) into sentences with positions.

Every parser reports *visible* text; `Visible` keeps, next to that text, runs that map each visible character back
to an offset in the original file, so a finding can point at the exact line and column an editor shows.
Markdown and HTML live in `reading_markdown` / `reading_html` (imported lazily: `kb check` on .txt files never
pays for markdown-it or lxml).
"""

from __future__ import annotations

import ctypes
import os
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.errors import KBError
from kb.safeio import DEFAULT_MAX_BYTES, read_regular
from kb.text.normalise import normalise, unescape

KINDS = ("markdown", "html", "text")
CONTENT_SUFFIXES = (".md", ".mdx", ".markdown", ".html", ".htm", ".txt")
_SUFFIX_KIND = {".md": "markdown", ".mdx": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    kind: str
    source: str
    sentences: tuple[Sentence, ...]
    comments: tuple[tuple[int, int, str], ...]
    warnings: tuple[str, ...]


# ---------------------------------------------------------------------------------------------------- visible text

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


# ----------------------------------------------------------------------------------------------------- alignment

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


# ------------------------------------------------------------------------------------------------------ sentences

_TITLES = frozenset({"dr.", "mr.", "mrs.", "ms.", "prof.", "drs."})
_ABBREVS = frozenset({"e.g.", "i.e.", "vs.", "approx.", "cf.", "fig.", "figs.", "no.", "ca.", "incl.", "al.", "etc."})
_ALNUM = re.compile(r"[^\W_]")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of visible text: blingfire, cut at block boundaries, trimmed, then over-splits repaired."""
    spans: list[tuple[int, int]] = []
    for a, b in _blingfire(text):
        while (k := text.find("\n", a, b)) >= 0:
            _keep(text, a, k, spans)
            a = k + 1
        _keep(text, a, b, spans)
    return _merge(text, spans)


def _keep(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    piece = text[a:b]
    stripped = piece.strip()
    if stripped and _ALNUM.search(stripped):
        a += len(piece) - len(piece.lstrip())
        spans.append((a, a + len(stripped)))


def _merge(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and _joined(text, out[-1], (a, b)):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _joined(text: str, prev: tuple[int, int], nxt: tuple[int, int]) -> bool:
    """True when blingfire split where no sentence ends: "4.|56", "Dr.| Smith", "e.g.| ketamine"."""
    gap = text[prev[1] : nxt[0]]
    if "\n" in gap:
        return False
    if not gap:  # no space at all: inside a number or a token
        return True
    if text[prev[1] - 1] != ".":
        return False
    space = text.rfind(" ", prev[0], prev[1])
    word = text[space + 1 if space >= 0 else prev[0] : prev[1]].lstrip("([\"'").lower()
    if word in _TITLES:
        return True
    first = text[nxt[0]]
    return word in _ABBREVS and (first.islower() or first.isdigit() or first == "(")


def _blingfire(text: str) -> list[tuple[int, int]]:
    if not text.strip():
        return []
    data = text.encode("utf-8")
    fn = _sentence_fn()
    if fn is None:  # a blingfire without the native entry point we call: use its (slower) wrapper
        import blingfire  # type: ignore[import-untyped,unused-ignore]

        return [(int(a), int(b)) for a, b in blingfire.text_to_sentences_and_offsets(text)[1]]
    cap = len(data) * 2 + 16
    out = ctypes.create_string_buffer(cap)
    starts, ends = (ctypes.c_int32 * cap)(), (ctypes.c_int32 * cap)()
    args = (ctypes.byref(out), ctypes.byref(starts), ctypes.byref(ends), ctypes.c_int(cap))
    size = int(fn(ctypes.c_char_p(data), ctypes.c_int(len(data)), *args))
    if size <= 0 or size > cap:
        return [(0, len(text))]
    count = out.raw[:size].count(b"\n") + 1
    return _char_offsets(data, len(text), starts[:count], [e + 1 for e in ends[:count]])


def _char_offsets(data: bytes, length: int, starts: list[int], ends: list[int]) -> list[tuple[int, int]]:
    """blingfire reports UTF-8 byte offsets; convert them to character offsets in linear time."""
    if len(data) == length:
        return list(zip(starts, ends, strict=True))
    import numpy as np

    lead = np.concatenate(([0], np.cumsum((np.frombuffer(data, dtype=np.uint8) & 0xC0) != 0x80)))
    return list(zip(lead[starts].tolist(), lead[ends].tolist(), strict=True))


_FN: list[Any] = []


def _sentence_fn() -> Any:
    # The blingfire wrapper walks every byte in Python to convert offsets (most of its cost); calling the same
    # native function with the same arguments and converting with numpy is faster and linear on a megabyte line.
    if not _FN:
        import blingfire  # type: ignore[import-untyped,unused-ignore]

        _FN.append(getattr(getattr(blingfire, "blingfire", None), "TextToSentencesWithOffsets", None))
    return _FN[0]


# ----------------------------------------------------------------------------------------------------- plain text

# A list item at line start: bullets seen in scraped pages, plus "-", "*", "+" and "1." / "1)".
_BULLET = re.compile(r"[ \t]*(?:[•◦▪‣●*+-]|\d{1,3}[.)])[ \t]+(?=\S)")


def read_text(vis: Visible) -> None:
    """Plain text: blank lines and list markers end a block; other line breaks are soft (the text is re-wrapped)."""
    pos = 0
    for line in vis.source.split("\n"):
        end = pos + len(line) + 1  # the newline itself becomes a space, exact length
        if not line.strip():
            vis.brk()
        elif m := _BULLET.match(line):
            vis.brk()
            vis.text(pos + m.end(), min(end, len(vis.source)))
        else:
            vis.text(pos, min(end, len(vis.source)))
        pos = end


# ----------------------------------------------------------------------------------------------------------- API


def guess_kind(display: str, source: str = "") -> str:
    if display == "-":
        return "html" if source.lstrip().startswith("<") else "text"
    return _SUFFIX_KIND.get(os.path.splitext(display)[1].lower(), "text")


def read_bytes(raw: bytes, display: str, kind: str | None = None) -> Document:
    """Decode and read one page. Raises KBError for binary input or an unknown kind."""
    source, warnings = _decode(raw, display)
    kind = kind or guess_kind(display, source)
    if kind not in KINDS:
        raise KBError(f"unknown page kind {kind!r}", path=display, hint="use one of: " + ", ".join(KINDS))
    vis = Visible(source)
    comments: list[tuple[int, int, str]] = []
    if kind == "markdown":
        from kb.pages.markdown import read_markdown

        read_markdown(vis, comments, mdx=display.lower().endswith(".mdx"), warnings=warnings)
    elif kind == "html":
        from kb.pages.html import read_html

        read_html(vis, comments, warnings)
    else:
        read_text(vis)
    return Document(display, kind, source, vis.sentences(), tuple(comments), tuple(warnings))


def read_path(path: Path, display: str | None = None, limit: int | None = DEFAULT_MAX_BYTES) -> Document:
    """Read a page from disk; every failure is a KBError naming the path. Special files (FIFOs, devices) are
    refused before they are opened, and files past `limit` bytes are refused (kb.safeio)."""
    shown = display if display is not None else str(path)
    return read_bytes(read_regular(path, shown, limit), shown)


def _decode(raw: bytes, display: str) -> tuple[str, list[str]]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), []  # only UTF-16 legitimately contains NUL bytes
    if b"\0" in raw:
        if _looks_utf16(raw):
            raise KBError("UTF-16 text without a byte-order mark", path=display, hint="save the page as UTF-8")
        raise KBError("binary file (contains NUL bytes)", path=display, hint="check only text, Markdown or HTML pages")
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0  # dropped, so columns match what editors show
    try:
        return raw[bom:].decode("utf-8"), []
    except UnicodeDecodeError as exc:
        bad = exc.start + bom
    line_start = raw.rfind(b"\n", 0, bad) + 1
    line = raw.count(b"\n", 0, bad) + 1
    column = len(raw[max(line_start, bom) : bad].decode("utf-8", errors="replace")) + 1
    text = raw[bom:].decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - raw.count("\ufffd".encode())
    if replaced > 8 and replaced * 10 > len(text):
        # Mostly undecodable: another encoding or a binary file; reading it would check noise.
        raise KBError(
            f"not UTF-8 text ({replaced:,} undecodable bytes, the first at line {line}, column {column})",
            path=display,
            hint="save the page as UTF-8",
        )
    warning = f"invalid UTF-8 at line {line}, column {column}: decoded with replacement characters"
    return text, [warning]


def _looks_utf16(raw: bytes) -> bool:
    """Text in UTF-16 has a NUL in every other byte of its ASCII characters."""
    sample = raw[:4096]
    even, odd = sample[0::2], sample[1::2]
    return max(even.count(0), odd.count(0)) * 10 > len(sample) * 4 and min(even.count(0), odd.count(0)) * 10 < len(
        sample
    )
