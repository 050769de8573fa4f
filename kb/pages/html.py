"""HTML pages: lxml (which recovers from broken markup) for structure, a source cursor for positions.

lxml reports decoded text runs in document order but no columns. A cursor walks the source alongside the tree:
each run is found right after the markup preceding it (entities aligned character by character), so positions
stay exact even when a line holds many elements. Text of skipped elements is still walked over, to keep the
cursor in step, but never shown.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html  # type: ignore[import-untyped,unused-ignore]
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from kb.pages.visible import Run, Visible, align, locate

# Not prose: code and scripts, document metadata, and the boilerplate around the article.
_SKIP = frozenset(
    "script style noscript template head title nav header footer aside svg math iframe object canvas"
    " select textarea pre code kbd samp".split()
)
_RAW = frozenset({"script", "style"})
# Elements that end a sentence (a <br> too: a line break in running text is never mid-sentence on the web).
_BLOCK = frozenset(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset figcaption figure footer"
    " form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section summary table tbody td tfoot th thead tr"
    " ul legend option".split()
)
# Markup the cursor passes between two text runs: tags, comments, doctype, processing instructions, whitespace.
_TAGS = re.compile(r"(?:<!--(?:-?>|.*?-->|.*\Z)|<[A-Za-z/!?](?:[^>\"']|\"[^\"]*\"|'[^']*')*>?)+", re.S)
_MARKUP = re.compile(rf"(?:\s+|{_TAGS.pattern})+", re.S)
_COMMENT_START = re.compile(r"<!--|<\?|<!(?![Dd][Oo][Cc][Tt][Yy][Pp][Ee])")
_WINDOW = 100_000  # how far to look when resynchronising: bounded, so a lost page stays linear


def read_html(vis: Visible, comments: list[tuple[int, int, str]], warnings: list[str]) -> None:
    if not vis.source.strip():
        return
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)
    try:
        root = lxml.html.document_fromstring(vis.source.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        warnings.append(f"could not parse HTML ({exc}): no sentences read")
        _comments(vis, vis.source, 0, comments)
        return
    if _too_deep(parser):
        warnings.append(_TOO_DEEP)
        _read_tags(vis, vis.source, 0, comments)
        return
    _walk_document(root, _Reader(vis, comments))


def read_fragment(vis: Visible, html: str, start: int, end: int) -> str | None:
    """Visible text of an HTML fragment whose markup is `vis.source[start:end]` (a Markdown HTML block).

    `html` is the fragment as the caller's parser saw it (container prefixes such as "> " removed), one line
    per source line. Comments are stepped over, not collected: the caller collects them. Returns a warning
    when lxml cannot parse the fragment.
    """
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True)
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        return f"could not parse HTML block ({exc}): its text was not read"
    # The cursor works on the fragment's own source span, so resynchronising never lands outside it.
    if _too_deep(parser):
        _read_tags(vis, vis.source[start:end], start, [])
        return _TOO_DEEP
    _walk_document(root, _Reader(vis, [], start, vis.source[start:end]))
    return None


# libxml2 stops building the tree past a nesting depth (2048 elements, even with huge_tree) and drops the rest of
# the page; it only says so in the parser's error log.
_TOO_DEEP = "HTML nested too deeply for the parser: read by its tags alone"


def _too_deep(parser: Any) -> bool:
    return any(e.type_name == "ERR_RESOURCE_LIMIT" or "Excessive depth" in e.message for e in parser.error_log)


# The tokens of the fallback reader: a comment, a start or end tag (group 2 "/", group 3 the name), other markup.
_TOKEN = re.compile(r"<!--(.*?)(?:-->|\Z)|<(/?)([A-Za-z][^\s/>]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>?|<[!?][^>]*>?", re.S)


def _read_tags(vis: Visible, source: str, base: int, comments: list[tuple[int, int, str]]) -> None:
    """Visible text of `source` (at offset `base` of the page) without a tree: the text between tags, except
    inside skipped elements; block tags end sentences. Linear, for pages lxml cannot build a tree for."""
    pos, hidden, n = 0, 0, len(source)
    while pos < n:
        m = _TOKEN.search(source, pos)
        end = m.start() if m else n
        if not hidden:
            vis.text(base + pos, base + end)
        if m is None:
            return
        pos = m.end()
        name = (m.group(3) or "").lower()
        if m.group(1) is not None and m.group().endswith("-->"):
            comments.append((vis.where(base + m.start())[0], vis.where(base + pos - 1)[0], m.group(1).strip()))
        if name in _BLOCK:
            vis.brk()
        if name in _RAW and not m.group(2):  # raw text: nothing in it is markup, up to its end tag
            close = re.compile(rf"</{name}\b", re.I).search(source, pos)
            pos = close.start() if close else n
        elif name in _SKIP and not m.group().endswith("/>"):
            hidden = max(0, hidden - 1) if m.group(2) else hidden + 1


def _comments(vis: Visible, source: str, base: int, comments: list[tuple[int, int, str]]) -> None:
    """Every complete <!-- … --> comment; an unclosed one ends the search (rescanning would be quadratic)."""
    pos = 0
    while (start := source.find("<!--", pos)) >= 0 and (end := source.find("-->", start + 4)) >= 0:
        where = vis.where
        comments.append((where(base + start)[0], where(base + end + 2)[0], source[start + 4 : end].strip()))
        pos = end + 3


def _walk_document(root: Any, reader: _Reader) -> None:
    for node in [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]:
        reader.walk(node)


class _Reader:
    """Walks the tree with a cursor in `source`: the whole page, or the span of it that starts at offset `base`."""

    def __init__(
        self, vis: Visible, comments: list[tuple[int, int, str]], base: int = 0, source: str | None = None
    ) -> None:
        self.vis, self.comments = vis, comments
        self.base = base
        self.source = vis.source if source is None else source
        self.starts: list[int] | None = vis.lines.starts if source is None else None
        self.cursor = 0

    def walk(self, node: Any) -> None:
        # An explicit stack: recovered HTML can nest thousands of unclosed tags deep.
        stack: list[tuple[Any, bool, bool]] = [(node, True, True)]
        while stack:
            el, opening, shown = stack.pop()
            tag = el.tag if isinstance(el.tag, str) else None
            if not opening:
                if tag in _BLOCK:
                    self.vis.brk()
                self._text(el.tail, shown, None)
                continue
            stack.append((el, False, shown))
            if tag is None:
                if el.tag is etree.Comment:
                    self._comment(el)
                continue
            if tag in _BLOCK:
                self.vis.brk()
            inner = shown and tag not in _SKIP and el.get("hidden") is None
            if tag in _RAW and el.text and (at := self.source.find(el.text, self.cursor)) >= 0:
                self.cursor = at + len(el.text)  # raw text is verbatim in the source; it may even contain "<!--"
            else:
                self._text(el.text, inner, el.sourceline)
            stack.extend((child, True, inner) for child in reversed(el))

    def _text(self, text: str | None, shown: bool, sourceline: int | None) -> None:
        if not text:
            return
        src = self.source
        body = text.lstrip()
        if not body:
            # Where this space maps does not matter (sentences are trimmed, so a space never bounds one), and
            # matching the markup after it here, without moving the cursor, would make long runs quadratic.
            if shown:
                self.vis.atom(" ", self.base + self.cursor, self.base + self.cursor)
            return
        skipped = _MARKUP.match(src, self.cursor)
        after = skipped.end() if skipped else self.cursor
        start = locate(body, src, after, after)
        if start == after and sourceline and body[0].isalnum() and not src.startswith(body[0], after):
            start = self._resync(body, sourceline, after)
        runs: list[Run] = []
        self.cursor = align(body, src, start, runs, _TAGS)
        if shown:
            base = self.base
            if len(body) < len(text):
                self.vis.atom(" ", base + start, base + start)
            for a, b, visible in runs:
                if visible is None:
                    self.vis.text(base + a, base + b)
                else:
                    self.vis.atom(visible, base + a, base + b)

    def _resync(self, body: str, sourceline: int, after: int) -> int:
        """Lost step (odd markup): look again from the element's own line, which lxml does know."""
        if self.starts is None:  # a fragment: lxml's lines are the fragment's, one to one with the span's
            self.starts = [0] + [m.end() for m in re.finditer("\n", self.source)]
        starts = self.starts
        line_start = starts[min(sourceline, len(starts)) - 1]
        probe = body[:32].rstrip()
        found = self.source.find(probe, line_start, line_start + _WINDOW) if len(probe) >= 3 else -1
        return found if found >= 0 else after

    def _comment(self, el: Any) -> None:
        # lxml also turns "bogus comments" (<![CDATA[…]]>, <?xml …?>) into comment nodes: step over them too,
        # but only a real <!-- … --> is reported.
        m = _COMMENT_START.search(self.source, self.cursor)
        if m is None:  # a comment lxml made up while recovering: use its line
            line = el.sourceline or 1
            self.comments.append((line, line, (el.text or "").strip()))
            return
        start, real = m.start(), m.group() == "<!--"
        # From "<!" on: "<!-->" and "<!--->" are complete (empty) comments in HTML.
        end = self.source.find("-->", start + 2) if real else self.source.find(">", m.end())
        end = len(self.source) if end < 0 else end + (3 if real else 1)
        if real:
            where = self.vis.where
            self.comments.append((where(self.base + start)[0], where(self.base + end - 1)[0], (el.text or "").strip()))
        self.cursor = end
