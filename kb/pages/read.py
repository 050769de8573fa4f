"""Reading layer of `kb check`: turn a content page (Markdown, HTML or plain text) into sentences with positions.

Every parser reports *visible* text (`kb.pages.visible`), split into sentences (`kb.pages.sentences`). Markdown and
HTML live in `kb.pages.markdown` / `kb.pages.html` (imported lazily: `kb check` on .txt files never pays for
markdown-it or lxml).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kb.errors import KBError
from kb.fastclass import dataclass
from kb.pages.sentences import Sentence
from kb.pages.visible import Visible
from kb.safeio import DEFAULT_MAX_BYTES, read_regular

KINDS = ("markdown", "html", "text")
CONTENT_SUFFIXES = (".md", ".mdx", ".markdown", ".html", ".htm", ".txt")
_SUFFIX_KIND = {".md": "markdown", ".mdx": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    kind: str
    source: str
    sentences: tuple[Sentence, ...]
    comments: tuple[tuple[int, int, str], ...]
    warnings: tuple[str, ...]


# ---------------------------------------------------------------------------------------------------- visible text


# ----------------------------------------------------------------------------------------------------- alignment


# ------------------------------------------------------------------------------------------------------ sentences


# ----------------------------------------------------------------------------------------------------- plain text

# A list item at line start: bullets seen in scraped pages, plus "-", "*", "+" and "1." / "1)".
_BULLET = re.compile(r"[ \t]*(?:[•◦▪‣●*+-]|\d{1,3}[.)])[ \t]+(?=\S)")


# A suppression directive in plain text: a line of its own starting with `# kb-` (`# kb-disable-next-line RULE --
# reason`), as shell, TOML and YAML comments are written. Prose does not start a line with "# kb-"; a Markdown
# heading would be "# Title". The line is not read as prose, and every other line keeps its number and columns.
TEXT_DIRECTIVE = re.compile(r"^[ \t]*#[ \t]*(kb-[a-z].*?)[ \t\r]*$")


def read_text(vis: Visible, comments: list[tuple[int, int, str]] | None = None) -> None:
    """Plain text: blank lines and list markers end a block; other line breaks are soft (the text is re-wrapped).
    `# kb-…` directive lines go to `comments` (line, line, text) and end a block."""
    pos = 0
    for number, line in enumerate(vis.source.split("\n"), start=1):
        end = pos + len(line) + 1  # the newline itself becomes a space, exact length
        directive = TEXT_DIRECTIVE.match(line) if "kb-" in line else None
        if directive is not None:
            vis.brk()
            if comments is not None:
                comments.append((number, number, directive.group(1)))
        elif not line.strip():
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
        read_text(vis, comments)
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
