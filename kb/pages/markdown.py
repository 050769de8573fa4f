"""Markdown pages: markdown-it tokens, with every visible character of inline text mapped back to the source.

markdown-it gives block tokens a line range (`map`) but inline tokens no columns, so each inline token's content
is re-found line by line in the source, and its children (text, emphasis, links, images, breaks) are aligned
inside that content with a cursor. Front matter and code (fenced, indented, inline) are not prose; raw HTML
blocks are read by the HTML reader (visible text only), and HTML comments are collected as suppression comments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline import entity as _markdown_entity
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from kb.pages.inline import INLINE_MARKUP, InlineReader
from kb.pages.visible import Visible
from kb.text.normalise import unescape

_MDX_STATEMENT = re.compile(r"(?:import|export)\s")
_DEEP = "kb_deep"  # token type: a container's content past markdown-it's nesting limit, left to read again
_PARSERS: dict[bool, MarkdownIt] = {}
_Pass = tuple[list[Token], int, int]  # tokens, index to resume at, line shift


class _Block(ParserBlock):
    """markdown-it's block parser, except that a container nested past `maxNesting` is not dropped.

    markdown-it skips such a container's content silently (the limit keeps its recursion bounded). Here the
    content, as markdown-it would have parsed it (container prefixes removed, one line per source line), becomes
    a `kb_deep` token, which the reader parses again from nesting level 0.
    """

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        if state.level >= state.md.options.maxNesting:
            line = state.skipEmptyLines(startLine)
            # The tests markdown-it makes before its nesting test: past the end, or a line not this container's.
            if line < endLine and state.sCount[line] >= state.blkIndent:
                token = state.push(_DEEP, "", 0)
                token.map = [line, endLine]
                token.content = state.getLines(line, endLine, state.blkIndent, False)
                state.line = endLine
                return
        super().tokenize(state, startLine, endLine)


def _entity(state: StateInline, silent: bool) -> bool:
    """markdown-it's entity rule, with numeric references decoded the way textnorm decodes them (HTML5).

    markdown-it turns `&#150;` into U+FFFD; textnorm (and lxml) into "\u2013". Agreeing keeps Markdown text the
    same as the same text in HTML or plain text, and lets `align` map the reference back to its source exactly.
    """
    count = len(state.tokens)
    if not _markdown_entity(state, silent):
        return False
    if not silent and len(state.tokens) > count and state.tokens[-1].markup.startswith("&#"):
        state.tokens[-1].content = unescape(state.tokens[-1].markup)
    return True


def _parser(front_matter: bool = True) -> MarkdownIt:
    """The page parser; `front_matter=False` for content read again, where a leading `---` is not front matter."""
    if front_matter not in _PARSERS:
        md = MarkdownIt("commonmark").enable("table")
        if front_matter:
            md.use(front_matter_plugin)
        md.inline.ruler.at("entity", _entity)
        block = _Block()
        block.ruler = md.block.ruler  # keep the rules the preset and plugins configured
        md.block = block
        _PARSERS[front_matter] = md
    return _PARSERS[front_matter]


def read_markdown(
    vis: Visible, comments: list[tuple[int, int, str]], mdx: bool = False, warnings: list[str] | None = None
) -> None:
    """Read a Markdown page into `vis`; suppression comments go to `comments`, problems to `warnings` if given."""
    _Page(vis, comments, mdx, warnings).read()


class _Page:
    """The token passes of one page: the page itself, then each container nested past the limit, in order.

    Content past the nesting limit is parsed again as a page of its own whose line k is source line shift + k:
    a worklist, not recursion, each pass maxNesting levels deeper. markdown-it's cost grows faster than the size
    on such nesting, so re-parsing has a budget; past it the remaining deep lines are read as plain text.
    """

    def __init__(
        self, vis: Visible, comments: list[tuple[int, int, str]], mdx: bool, warnings: list[str] | None
    ) -> None:
        self.vis, self.comments, self.mdx, self.warnings = vis, comments, mdx, warnings
        self.budget = 2 * len(vis.source) + 100_000  # characters markdown-it may parse again
        self.pending: list[_Pass] = []

    def read(self) -> None:
        page = _parser().parse(self.vis.source)
        self.pending.append((page, 0, 0))
        while self.pending:
            tokens, start, shift = self.pending.pop()
            self._tokens(tokens, start, shift, tokens is page)

    def _tokens(self, tokens: list[Token], start: int, shift: int, top: bool) -> None:
        vis = self.vis
        cells: dict[int, int] | None = None  # in a table: per source line, where the next cell may start
        row_cursors: dict[int, int] = {}
        for i in range(start, len(tokens)):
            tok = tokens[i]
            if tok.type in ("th_open", "td_open"):
                cells = row_cursors
            elif tok.type in ("th_close", "td_close"):
                cells = None
            elif tok.type == "inline" and tok.map:
                # MDX import/export lines are code, not prose.
                if not (self.mdx and top and tok.level == 1 and _MDX_STATEMENT.match(tok.content)):
                    InlineReader(vis, tok, self.comments, cells, shift).read()
                vis.brk()
            elif tok.type == "html_block" and tok.map:
                lines = (tok.map[0] + shift, tok.map[1] + shift)
                _block_comments(vis, lines, self.comments)
                _block_text(vis, tok.content, lines, self.warnings)
            elif tok.type == _DEEP and tok.map:
                vis.brk()
                first, last = tok.map[0] + shift, tok.map[1] + shift
                self.budget -= len(tok.content)
                if self.budget < 0:
                    _read_plain(vis, first, last)
                    if self.warnings is not None and not any(w.startswith(_TOO_DEEP) for w in self.warnings):
                        self.warnings.append(f"{_TOO_DEEP} from line {first + 1}: read as plain text")
                    continue
                # Document order: the deep content first, then the rest of these tokens.
                self.pending.append((tokens, i + 1, shift))
                self.pending.append((_parser(front_matter=False).parse(tok.content), 0, first))
                return


# Container markup at a line start: indentation, block quote markers, list markers.
_PREFIX = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*[ \t]*", re.M)
_TOO_DEEP = "Markdown nested too deeply"


def _read_plain(vis: Visible, first: int, last: int) -> None:
    """Source lines [first, last) as plain text: a list marker, a quote marker or a blank line ends a block."""
    src, starts = vis.source, vis.lines.starts
    for line in range(first, min(last, len(starts))):
        lo = starts[line]
        hi = starts[line + 1] if line + 1 < len(starts) else len(src)  # the newline is a space, exact length
        m = _PREFIX.match(src, lo, hi)
        at = m.end() if m else lo
        if not src[at:hi].strip() or (m and m.group().strip()):
            vis.brk()
        vis.text(at, hi)


def _block_lines(vis: Visible, lines: Sequence[int]) -> tuple[int, int]:
    """Source span of lines [lines[0], lines[1])."""
    starts = vis.lines.starts
    lo = starts[min(lines[0], len(starts) - 1)]
    hi = starts[lines[1]] if lines[1] < len(starts) else len(vis.source)
    return lo, max(lo, hi)


def _block_comments(vis: Visible, lines: Sequence[int], comments: list[tuple[int, int, str]]) -> None:
    # What finditer(r"<!--(.*?)-->") finds, but an unclosed "<!--" ends the search: once there is no "-->"
    # left, scanning again from every later "<!--" would make a block of them quadratic.
    src = vis.source
    lo, hi = _block_lines(vis, lines)
    while (start := src.find("<!--", lo, hi)) >= 0:
        end = src.find("-->", start + 4, hi)
        if end < 0:
            return
        comments.append((vis.where(start)[0], vis.where(end + 2)[0], src[start + 4 : end].strip()))
        lo = end + 3


def _block_text(vis: Visible, html: str, lines: Sequence[int], warnings: list[str] | None) -> None:
    """The visible text of a raw HTML block, read by the HTML reader (tags, scripts and styles are not prose)."""
    if not INLINE_MARKUP.sub("", html).strip():
        return  # most HTML blocks (a lone comment, a tag): nothing to read, and no need to load lxml
    from kb.pages.html import read_fragment

    lo, hi = _block_lines(vis, lines)
    vis.brk()
    problem = read_fragment(vis, html, lo, hi)
    vis.brk()
    if problem is not None and warnings is not None:
        line = vis.where(lo)[0]
        warnings.append(f"line {line}: {problem}")
