"""Markdown pages: markdown-it tokens, with every visible character of inline text mapped back to the source.

markdown-it gives block tokens a line range (`map`) but inline tokens no columns, so each inline token's content
is re-found line by line in the source, and its children (text, emphasis, links, images, breaks) are aligned
inside that content with a cursor. Front matter, code (fenced, indented, inline) and raw HTML are not prose.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from kb.reading import Run, Visible, align, locate

_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_MDX_STATEMENT = re.compile(r"(?:import|export)\s")
_OPENERS = "*_[]!<>"  # emphasis, link and autolink markup that may sit between two text tokens
_PARSER: list[MarkdownIt] = []


def _parser() -> MarkdownIt:
    if not _PARSER:
        _PARSER.append(MarkdownIt("commonmark").enable("table").use(front_matter_plugin))
    return _PARSER[0]


def read_markdown(vis: Visible, comments: list[tuple[int, int, str]], mdx: bool = False) -> None:
    cells: dict[int, int] | None = None  # in a table: per source line, where the next cell may start
    row_cursors: dict[int, int] = {}
    for tok in _parser().parse(vis.source):
        if tok.type in ("th_open", "td_open"):
            cells = row_cursors
        elif tok.type in ("th_close", "td_close"):
            cells = None
        elif tok.type == "inline" and tok.map:
            # MDX import/export lines are code, not prose.
            if not (mdx and tok.level == 1 and _MDX_STATEMENT.match(tok.content)):
                _Inline(vis, tok, comments, cells).read()
            vis.brk()
        elif tok.type == "html_block" and tok.map:
            _block_comments(vis, tok.map, comments)


def _block_comments(vis: Visible, lines: Sequence[int], comments: list[tuple[int, int, str]]) -> None:
    starts = vis.lines.starts
    lo = starts[min(lines[0], len(starts) - 1)]
    hi = starts[lines[1]] if lines[1] < len(starts) else len(vis.source)
    for m in _COMMENT.finditer(vis.source, lo, hi):
        comments.append((vis.where(m.start())[0], vis.where(m.end() - 1)[0], m.group(1).strip()))


class _Inline:
    """One inline token: align its children inside its content, then map content offsets to the source."""

    def __init__(
        self, vis: Visible, tok: Token, comments: list[tuple[int, int, str]], cells: dict[int, int] | None
    ) -> None:
        self.vis, self.tok, self.comments = vis, tok, comments
        self.content = tok.content
        self.pos = 0
        self.runs: list[Run] = []
        self.cstarts: list[int] = []  # content offset where each content line starts
        self.bases: list[int] = []  # source offset of that line's first content character
        self.exact: list[bool] = []  # False when the line could not be re-found (tabs expanded, ...)
        first = tok.map[0] if tok.map else 0
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
