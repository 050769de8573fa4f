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

from kb.reading import Run, Visible, align, locate

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
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
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
        for m in _COMMENT.finditer(vis.source):
            comments.append((vis.where(m.start())[0], vis.where(m.end() - 1)[0], m.group(1).strip()))
        return
    reader = _Reader(vis, comments)
    for node in [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]:
        reader.walk(node)


class _Reader:
    def __init__(self, vis: Visible, comments: list[tuple[int, int, str]]) -> None:
        self.vis, self.comments = vis, comments
        self.source = vis.source
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
        skipped = _MARKUP.match(src, self.cursor)
        after = skipped.end() if skipped else self.cursor
        body = text.lstrip()
        if not body:
            if shown:
                self.vis.atom(" ", after, after)
            return
        start = locate(body, src, after, after)
        if start == after and sourceline and body[0].isalnum() and not src.startswith(body[0], after):
            start = self._resync(body, sourceline, after)
        runs: list[Run] = []
        self.cursor = align(body, src, start, runs, _TAGS)
        if shown:
            if len(body) < len(text):
                self.vis.atom(" ", start, start)
            for a, b, visible in runs:
                if visible is None:
                    self.vis.text(a, b)
                else:
                    self.vis.atom(visible, a, b)

    def _resync(self, body: str, sourceline: int, after: int) -> int:
        """Lost step (odd markup): look again from the element's own line, which lxml does know."""
        starts = self.vis.lines.starts
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
            self.comments.append((self.vis.where(start)[0], self.vis.where(end - 1)[0], (el.text or "").strip()))
        self.cursor = end
