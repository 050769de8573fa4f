"""Markdown inline text: each inline token's content re-found line by line in the source (markdown-it gives inline
tokens no columns), and its children (text, emphasis, links, images, breaks) aligned inside it with a cursor."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from markdown_it.token import Token

from kb.pages.visible import Run, Visible, align, locate

_OPENERS = "*_[]!<>"  # emphasis, link and autolink markup that may sit between two text tokens

# Markup with no visible text: comments and tags. Removed with sub(), not matched with a repeated group, whose
# overlapping alternatives would backtrack exponentially on a block that has text after all.
INLINE_MARKUP = re.compile(r"<!--.*?(?:-->|\Z)|<[^<>]*>", re.S)


class InlineReader:
    """One inline token: align its children inside its content, then map content offsets to the source."""

    def __init__(
        self,
        vis: Visible,
        tok: Token,
        comments: list[tuple[int, int, str]],
        cells: dict[int, int] | None,
        shift: int = 0,
    ) -> None:
        self.vis, self.tok, self.comments = vis, tok, comments
        self.content = tok.content
        self.pos = 0
        self.runs: list[Run] = []
        self.cstarts: list[int] = []  # content offset where each content line starts
        self.bases: list[int] = []  # source offset of that line's first content character
        self.exact: list[bool] = []  # False when the line could not be re-found (tabs expanded, ...)
        first = (tok.map[0] if tok.map else 0) + shift
        offset = 0
        for k, line in enumerate(self.content.split("\n")):
            base, exact = _find_line(vis, first + k, line, cells)
            self.cstarts.append(offset)
            self.bases.append(base)
            self.exact.append(exact)
            offset += len(line) + 1

    def read(self) -> None:
        self._children(self.tok.children or [])
        for a, b, text in self.runs:
            k = bisect_right(self.cstarts, a) - 1
            start = self.bases[k] + (a - self.cstarts[k])
            if not self.exact[k]:
                self.vis.atom(text if text is not None else self.content[a:b], start, start)
            elif text is None:
                self.vis.text(start, start + (b - a))
            else:
                self.vis.atom(text, start, start + (b - a))

    def _children(self, children: Sequence[Token]) -> None:
        for child in children:
            kind = child.type
            if kind in ("softbreak", "hardbreak"):
                self._newline()
            elif kind == "code_inline":
                self._skip_code(child.markup)
            elif kind == "html_inline":
                self._html(child.content)
            elif kind == "image":  # alt text is part of the prose around it
                self._children(child.children or [])
                self._skip_destination()
            elif kind == "link_close":
                self._skip_destination()
            elif child.content and not kind.endswith(("_open", "_close")):
                self._text(child.content)

    def _text(self, text: str) -> None:
        skipped = self.pos
        while skipped < len(self.content) and self.content[skipped] in _OPENERS:
            skipped += 1
        start = locate(text, self.content, self.pos, skipped)
        if start == skipped and not self.content.startswith(text[0], start):
            # The text itself may begin with what looked like markup (a literal "]" or "*"): look there first.
            literal = self.content.find(text[0], self.pos, skipped)
            start = literal if literal >= 0 else start
        self.pos = align(text, self.content, start, self.runs)

    def _newline(self) -> None:
        k = self.content.find("\n", self.pos)
        if k >= 0:
            self.runs.append((k, k + 1, " "))
            self.pos = k + 1

    def _skip_code(self, ticks: str) -> None:
        """Inline code is not prose: move past it, closing backtick run of the same length."""
        c = self.content
        opening = c.find(ticks, self.pos)
        close = opening + len(ticks) if opening >= 0 else -1
        while close >= 0:
            close = c.find(ticks, close)
            if close < 0:
                return
            end = close + len(ticks)
            if c[end : end + 1] != "`" and c[close - 1 : close] != "`":
                self.pos = end
                return
            close = end
            while c[close : close + 1] == "`":
                close += 1

    def _html(self, html: str) -> None:
        at = self.content.find(html, self.pos)
        if at < 0:
            return
        self.pos = at + len(html)
        if html.startswith("<!--"):
            inner = html[4:-3] if html.endswith("-->") else html[4:]
            first, last = self._source(at), self._source(at + len(html) - 1)
            self.comments.append((self.vis.where(first)[0], self.vis.where(last)[0], inner.strip()))

    def _source(self, a: int) -> int:
        k = bisect_right(self.cstarts, a) - 1
        return min(self.bases[k] + (a - self.cstarts[k]), len(self.vis.source))

    def _skip_destination(self) -> None:
        """After a link's or image's text: skip `](url "title")`, `][ref]` or `]`, so the URL is never prose."""
        c, q = self.content, self.pos
        while c[q : q + 1] in ("*", "_"):
            q += 1
        if c.startswith("](", q):
            depth, i = 0, q + 2
            while i < len(c):
                ch = c[i]
                if ch == "\\":
                    i += 1
                elif ch == "(":
                    depth += 1
                elif ch == ")":
                    if depth == 0:
                        self.pos = i + 1
                        return
                    depth -= 1
                i += 1
        elif c.startswith("][", q):
            end = c.find("]", q + 2)
            self.pos = end + 1 if end >= 0 else self.pos
        elif c.startswith("]", q):
            self.pos = q + 1


def _find_line(vis: Visible, line: int, text: str, cells: dict[int, int] | None) -> tuple[int, bool]:
    """Source offset of a content line (its container prefix and indentation stripped by markdown-it)."""
    src, starts = vis.source, vis.lines.starts
    if line >= len(starts):
        return len(src), False
    lo = starts[line]
    hi = starts[line + 1] - 1 if line + 1 < len(starts) else len(src)
    if hi > lo and src[hi - 1] == "\r":
        hi -= 1
    if cells is not None:  # table cells: in order along the row
        at = src.find(text, max(lo, cells.get(line, lo)), hi)
        if at >= 0:
            cells[line] = at + len(text)
            return at, True
    else:
        tail = text.rstrip()
        end = lo + len(src[lo:hi].rstrip())
        if end - len(tail) >= lo and src.startswith(tail, end - len(tail)):
            return end - len(tail), True
        at = src.find(text, lo, hi)  # e.g. an ATX heading with closing hashes
        if at >= 0:
            return at, True
    indent = len(src[lo:hi]) - len(src[lo:hi].lstrip())
    return lo + indent, False
