"""Property tests: the readers, the text normaliser and the quantity layer never crash on arbitrary input.

Any page, however broken, must give a Document (or a KBError saying why it cannot be read), with every sentence
inside the file; text is never dropped silently. Plus regression tests for the crashes and losses found so far.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kb.errors import KBError
from kb.pages.markdown import read_markdown
from kb.pages.read import KINDS, Document, read_bytes
from kb.pages.visible import Visible
from kb.text.normalise import fold, normalise, unescape, words
from kb.text.quantities import digits, extract, extract_digits, is_wide, near

Run = Callable[..., tuple[int, str, str]]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ------------------------------------------------------------------------------------------------ strategies

# Pieces of Markdown and HTML syntax, broken entities and characters that have crashed parsers before.
FRAGMENTS = [
    "&#",
    "&#x",
    ";",
    "&#0;",
    "&#1114112;",
    "&#xFFFFFFFF;",
    "&#xD800;",
    "&#x110000",
    "&#150;",
    "&#x80;",
    "&#99999999999999999999999;",
    "&amp;",
    "&amp",
    "&rsquo t",
    "&nbsp;",
    "&",
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<span>",
    "<br>",
    "<!--",
    "-->",
    "<!-- kb-disable-next-line x -->",
    "<script>",
    "</script>",
    "<style>",
    "<![CDATA[",
    "]]>",
    "<?xml ?>",
    "<!DOCTYPE html>",
    "<",
    ">",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "> ",
    "    ",
    "  ",
    "\t",
    "```",
    "~~~",
    "`",
    "``",
    "---\n",
    "***",
    "**",
    "_",
    "__",
    "[",
    "]",
    "](",
    ")",
    "![",
    "[x]: /u",
    "|",
    "|---|",
    "# ",
    "\\",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "\x00",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    "\ufffd",
    "\ufeff",
    "\ud800",
    "\udfff",
    "\u00a0",
    "\u2019",
    "\u0301",
    "import x\n",
    "{x}",
    "Dr. ",
    "e.g. ",
    "75 percent",
    "3 out of 4",
    "1.5 million",
    "30 to 100 days",
    "about 2 hours",
    "$5",
    "one and a half hours",
    "half of the",
    "two thirds",
    "sixty-one",
    "0.76 mg/kg",
    "4.56",
    ". ",
    "? ",
]
WORD = st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True)
PIECE = st.one_of(st.sampled_from(FRAGMENTS), WORD, st.text(max_size=6), st.from_regex(r"&#x?[0-9a-fA-F]{1,30};?"))
MARKUP = st.lists(PIECE, max_size=40).map("".join)
TEXT = st.one_of(st.text(max_size=200), MARKUP)


@st.composite
def page_bytes(draw: st.DrawFn) -> bytes:
    """Bytes of a page: generated markup in several encodings (lone surrogates kept or replaced), or raw bytes."""
    text = draw(TEXT)
    how = draw(st.sampled_from(["utf-8", "surrogatepass", "bom", "utf-16", "front-matter", "raw"]))
    if how == "raw":
        return draw(st.binary(max_size=200))
    if how == "utf-16":  # the only way NUL and other odd characters reach the parsers
        return b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass")
    if how == "surrogatepass":
        return text.encode("utf-8", "surrogatepass")
    encoded = text.encode("utf-8", "replace")
    if how == "bom":
        return b"\xef\xbb\xbf" + encoded
    if how == "front-matter":
        return b"---\ntitle: x\n---\n" + encoded
    return encoded


def read(raw: bytes, kind: str, display: str = "page") -> Document | None:
    """read_bytes, where the only acceptable failure is a KBError."""
    try:
        return read_bytes(raw, display, kind)
    except KBError:
        return None


def assert_in_file(doc: Document) -> None:
    """Every sentence's span and (line, column, end_line, end_column) lie inside the file, start before end."""
    source = doc.source
    lines = source.split("\n")
    for s in doc.sentences:
        assert 0 <= s.start <= s.end <= len(source), s
        assert 1 <= s.line <= s.end_line <= len(lines), s
        # Columns count characters of the line including its "\n"; end_column is exclusive.
        assert 1 <= s.column <= len(lines[s.line - 1]) + 1, s
        assert 1 <= s.end_column <= len(lines[s.end_line - 1]) + 2, s
        assert (s.line, s.column) < (s.end_line, s.end_column), s
        line_start = source.rfind("\n", 0, s.start) + 1
        assert (s.line, s.column) == (source.count("\n", 0, s.start) + 1, s.start - line_start + 1), s
        assert s.text == s.text.strip() and s.text, s


# ---------------------------------------------------------------------------------------------- properties


@pytest.mark.parametrize("kind", KINDS)
@FAST
@given(raw=page_bytes())
@example(raw=b"Ketamine helps 75 percent &#1114112; of patients.\n")
@example(raw=b"&#xD800; &#0; &#99999999999999999999999; &#x110000")
@example(raw=b"About " + b"9" * 400 + b" out of " + b"9" * 400 + b" patients improved in 1-0 days.")
def test_any_page_reads_or_is_a_kb_error(kind: str, raw: bytes) -> None:
    doc = read(raw, kind)
    if doc is not None:
        assert_in_file(doc)
        assert all(isinstance(w, str) for w in doc.warnings)
        for first, last, _ in doc.comments:
            assert 1 <= first <= last <= doc.source.count("\n") + 1


@FAST
@given(raw=page_bytes(), display=st.sampled_from(["-", "p.md", "p.mdx", "p.html", "p.htm", "p.txt", "p"]))
def test_kind_guessed_from_the_name_reads_too(raw: bytes, display: str) -> None:
    try:
        doc = read_bytes(raw, display)
    except KBError:
        return
    assert_in_file(doc)


@FAST
@given(text=TEXT)
def test_textnorm_never_raises(text: str) -> None:
    decoded = unescape(text)
    normal = normalise(text)
    folded = fold(text)
    assert isinstance(decoded, str) and folded == normal.lower()
    assert normal == normal.strip() and "  " not in normal
    assert all(isinstance(w, str) for w in words(folded))


@FAST
@given(number=st.one_of(st.integers(min_value=0, max_value=2**80), st.integers(min_value=0xD800, max_value=0xDFFF)))
def test_numeric_references_decode_to_one_encodable_character(number: int) -> None:
    for ref in (f"&#{number};", f"&#x{number:x};", f"&#X{number:X}", f"&#{number}"):
        decoded = unescape(ref)
        if ref.startswith("&#X"):  # not a reference in kb's grammar: left as it is
            assert decoded == ref
            continue
        assert len(decoded) == 1, (ref, decoded)
        decoded.encode("utf-8")  # never a lone surrogate


@FAST
@given(text=TEXT)
def test_quantities_never_raise(text: str) -> None:
    converted = digits(text)
    assert isinstance(converted, str)
    for quantity in [*extract(text), *extract_digits(converted), *extract_digits(text)]:
        # Only "never raises": a reversed range ("1-0") or an overflowing figure (inf) is the caller's to judge.
        assert all(isinstance(x, float) for x in (quantity.value, quantity.low, quantity.high))
        assert isinstance(quantity.text, str) and quantity.qualifier
        is_wide(quantity)
        near(quantity)
        quantity.overlaps(quantity)


@st.composite
def nested_lists(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Markdown lists and quotes nesting up to ~40 levels, one distinct word per item: the page and its words."""
    open_markers: list[str] = []  # the list items the next line may nest in, outermost first
    lines, tokens = [], []
    for n in range(draw(st.integers(min_value=1, max_value=40))):
        word = f"word{n}x"
        tokens.append(word)
        del open_markers[draw(st.integers(min_value=max(0, len(open_markers) - 3), max_value=len(open_markers))) :]
        indent = " " * sum(len(m) for m in open_markers)  # a nested item starts where its parent's text does
        marker = draw(st.sampled_from(["- ", "* ", "1. ", "1) ", "> "]))
        if marker == "> ":
            lines.append(indent + "> " * draw(st.integers(min_value=1, max_value=30)) + f"{word} here.")
            lines.append("")
            open_markers.clear()
        else:
            lines.append(f"{indent}{marker}{word} here.")
            open_markers.append(marker)
    return "\n".join(lines) + "\n", tokens


@FAST
@given(page=nested_lists())
def test_nesting_never_drops_text(page: tuple[str, list[str]]) -> None:
    source, tokens = page
    doc = read_bytes(source.encode(), "p.md")
    assert_in_file(doc)
    seen = set(words(" ".join(s.text for s in doc.sentences).lower()))
    assert set(tokens) <= seen, sorted(set(tokens) - seen)
    for s in doc.sentences:  # each sentence starts at its word
        assert re.match(r"word\d+x", doc.source[s.start :]), doc.source[s.start : s.start + 20]


@FAST
@given(
    inner=st.lists(
        st.sampled_from(["<b>", "</b>", "<span class='a'>", "</span>", "<i>", "</i>", " ", "\n"]), max_size=6
    ),
    tag=st.sampled_from(["div", "p", "section", "table", "details"]),
)
def test_html_blocks_in_markdown_are_read(inner: list[str], tag: str) -> None:
    body = re.sub(r"\n\s*\n", "\n", "Alpha " + "".join(inner) + "beta gamma.")  # a blank line ends an HTML block
    source = f"Before.\n\n<{tag}>\n{body}\n</{tag}>\n\nAfter.\n"
    doc = read_bytes(source.encode(), "p.md")
    assert_in_file(doc)
    texts = [s.text for s in doc.sentences]
    assert "Before." in texts and "After." in texts
    assert any(re.fullmatch(r"Alpha\s*beta gamma\.", t) for t in texts), texts
    assert not any("<" in t for t in texts), texts


# ------------------------------------------------------------------------------- regressions: character references

BAD_REFERENCES = ["&#1114112;", "&#xFFFFFFFF;", "&#xD800;", "&#xdfff;", "&#0;", "&#x0;", "&#99999999999999999999999;"]


@pytest.mark.parametrize("ref", [*BAD_REFERENCES, "&#x110000", "&#" + "9" * 5000 + ";"])
def test_bad_numeric_references_decode_to_the_replacement_character(ref: str) -> None:
    assert unescape(ref) == "\ufffd"
    assert normalise(f"a {ref} b") == "a \ufffd b"


def test_numeric_references_follow_html5() -> None:
    assert unescape("&#150;&#x80;&#x9F;") == "\u2013\u20ac\u0178"  # the windows-1252 remapping of 0x80-0x9F
    assert unescape("&#x81;") == "\x81"  # no remapping for the five undefined bytes
    assert unescape("&#65;&#x41;&#0000065;&#x1F600;") == "AAA\U0001f600"


@pytest.mark.parametrize("suffix", [".md", ".html", ".txt"])
@pytest.mark.parametrize("ref", BAD_REFERENCES)
def test_pages_with_bad_references_read(suffix: str, ref: str) -> None:
    source = f"Ketamine helps 75 percent {ref} of patients.\nSecond line.\n"
    doc = read_bytes(source.encode(), "page" + suffix)
    assert [s.text for s in doc.sentences] == ["Ketamine helps 75 percent \ufffd of patients. Second line."] or [
        s.text for s in doc.sentences
    ] == ["Ketamine helps 75 percent \ufffd of patients.", "Second line."]
    first = doc.sentences[0]
    assert (first.line, first.column, first.start) == (1, 1, 0)
    assert doc.source[first.start : first.end].startswith("Ketamine helps 75 percent " + ref)


def test_markdown_decodes_numeric_references_like_html() -> None:
    source = "Pain fell 30&#150;40 percent &#x80; &#8217;quickly&#8217;.\n"
    texts = {kind: [s.text for s in read_bytes(source.encode(), "p", kind).sentences] for kind in KINDS}
    assert texts["markdown"] == texts["html"] == texts["text"] == ["Pain fell 30-40 percent \u20ac 'quickly'."]


def test_kb_check_survives_a_bad_reference(run: Run, mini_data: Path, db_path: Path, tmp_path: Path) -> None:
    pages = []
    for suffix in (".md", ".html", ".txt"):
        pages.append(tmp_path / f"p{suffix}")
        pages[-1].write_text("Ketamine helps: 75 percent &#1114112; of patients improved.\n", encoding="utf-8")
    code, out, err = run("check", *pages, "--data", mini_data, "--db", db_path, "--format", "json", "--fail-on", "none")
    assert code == 0 and "Traceback" not in err, err
    findings = json.loads(out)
    assert {Path(f["path"]).name for f in findings} == {p.name for p in pages}
    assert {(f["line"], f["column"], f["end_column"], f["text"]) for f in findings} == {
        (1, 1, 60, "Ketamine helps: 75 percent \ufffd of patients improved.")
    }


# ------------------------------------------------------------------------------ regressions: text left unread


def nested_list(levels: int) -> str:
    return "".join("  " * i + f"- Level {i} says 75 percent improved.\n" for i in range(levels))


@pytest.mark.parametrize("levels", [9, 10, 11, 30, 120])
def test_deeply_nested_list_text_is_read_where_it_is(levels: int) -> None:
    source = nested_list(levels) + "\nAfter the list.\n"
    doc = read_bytes(source.encode(), "p.md")
    assert [s.text for s in doc.sentences] == [f"Level {i} says 75 percent improved." for i in range(levels)] + [
        "After the list."
    ]
    for i, s in enumerate(doc.sentences[:levels]):
        assert (s.line, s.column, s.end_line, s.end_column) == (i + 1, 2 * i + 3, i + 1, 2 * i + 3 + len(s.text))
    assert not doc.warnings


def test_pathological_nesting_is_still_read_in_bounded_time() -> None:
    # Past a re-parsing budget the deepest lines are read as plain text: still every item, still in place.
    levels = 300
    source = "".join("  " * i + f"- Item *{i}* here.\n" for i in range(levels))
    doc = read_bytes(source.encode(), "p.md")
    assert len(doc.sentences) == levels
    for i, s in enumerate(doc.sentences):
        assert (s.line, s.column) == (i + 1, 2 * i + 3), s
        assert s.text in (f"Item {i} here.", f"Item *{i}* here.")
    vis = Visible(doc.source)
    warnings: list[str] = []
    read_markdown(vis, [], warnings=warnings)
    assert [w.split(" from line")[0] for w in warnings] == ["Markdown nested too deeply"]


def test_ninth_level_item_points_at_its_text() -> None:
    doc = read_bytes(nested_list(9).encode(), "p.md")
    s = doc.sentences[8]
    assert s.text == "Level 8 says 75 percent improved."
    assert (s.line, s.column) == (9, 19)
    assert doc.source[s.start : s.end] == s.text


def test_deep_quotes_and_inline_markup_are_read() -> None:
    source = "> " * 30 + "Deep *quoted* text\n" + "> " * 30 + "goes on.\n\nAfter.\n"
    doc = read_bytes(source.encode(), "p.md")
    assert [s.text for s in doc.sentences] == ["Deep quoted text goes on.", "After."]
    assert (doc.sentences[0].line, doc.sentences[0].column) == (1, 61)
    assert (doc.sentences[0].end_line, doc.sentences[0].end_column) == (2, 69)


def test_text_in_a_raw_html_block_is_read() -> None:
    source = "Intro.\n\n<div>\nKetamine cures migraine.\n</div>\n"
    doc = read_bytes(source.encode(), "p.md")
    assert [s.text for s in doc.sentences] == ["Intro.", "Ketamine cures migraine."]
    s = doc.sentences[1]
    assert (s.line, s.column, s.end_line, s.end_column) == (4, 1, 4, 25)


def test_html_block_shows_visible_text_only_and_keeps_comments() -> None:
    source = (
        "<div><p>Para &amp; <b>bold</b> text.</p><script>var x = 1;</script><style>p { x: 1 }</style>\n"
        "<!-- kb-disable-next-line misattribution -->\n"
        "<p>Second <i>para</i>.</p>\n"
        "</div>\n\n"
        "> <div>\n> Quoted block text.\n> </div>\n"
    )
    doc = read_bytes(source.encode(), "p.md")
    assert [s.text for s in doc.sentences] == ["Para & bold text.", "Second para.", "Quoted block text."]
    assert [(s.line, s.column) for s in doc.sentences] == [(1, 9), (3, 4), (7, 3)]
    assert doc.comments == ((2, 2, "kb-disable-next-line misattribution"),)


def test_text_after_a_comment_in_an_html_block_is_read() -> None:
    source = "<div>\n<!-- kb-disable-next-line a --> Text after the comment.\n</div>\n"
    doc = read_bytes(source.encode(), "p.md")
    assert [(s.line, s.column, s.text) for s in doc.sentences] == [(2, 33, "Text after the comment.")]
    assert doc.comments == ((2, 2, "kb-disable-next-line a"),)


def test_comment_only_html_blocks_are_still_just_comments() -> None:
    source = "<!-- kb-disable-next-line misattribution -- reason -->\nIt works in 75 percent.\n"
    doc = read_bytes(source.encode(), "p.md")
    assert doc.comments == ((1, 1, "kb-disable-next-line misattribution -- reason"),)
    assert [s.text for s in doc.sentences] == ["It works in 75 percent."]


# ------------------------------------------------------------------------- regressions: pathological markup


def test_html_nested_past_the_parser_limit_is_read_by_its_tags() -> None:
    # libxml2 builds no tree past 2048 open elements and drops the rest of the page without an error.
    source = (
        "<p>Intro text.</p>" + "<div>" * 3000 + "Deep &amp; text.</div>\n"
        "<script>var a = '<p>no</p>';</script><nav>Menu</nav><!-- kb-disable-next-line x -->\n<p>End.</p>\n"
    )
    doc = read_bytes(source.encode(), "p.html")
    assert [(s.line, s.column, s.text) for s in doc.sentences] == [
        (1, 4, "Intro text."),
        (1, 15019, "Deep & text."),
        (3, 4, "End."),
    ]
    assert doc.comments == ((2, 2, "kb-disable-next-line x"),)
    assert doc.warnings == ("HTML nested too deeply for the parser: read by its tags alone",)


def test_deep_html_block_in_markdown_is_read() -> None:
    source = "Intro.\n\n<div>\n" + "<div>" * 3000 + "Deep block text.\n</div>\n\nAfter.\n"
    doc = read_bytes(source.encode(), "p.md")
    assert [(s.line, s.column, s.text) for s in doc.sentences] == [
        (1, 1, "Intro."),
        (4, 15001, "Deep block text."),
        (7, 1, "After."),
    ]


@pytest.mark.parametrize(
    ("source", "display", "texts"),
    [
        ("<div>\n" * 20000 + "\nEnd.\n", "p.html", ["End."]),  # whitespace between tags rescanned the markup after
        ("<div><!--" * 20000 + "\n\nEnd.\n", "p.md", ["End."]),  # every unclosed comment scanned to the block's end
        ("<div>" + " \n" * 40 + "Text.\n", "p.md", ["Text."]),  # exponential backtracking in a text-free check
        ("<!---->" * 40 + "Text.\n", "p.md", ["Text."]),
        ("<!--" * 20000 + "\nEnd.\n", "p.html", []),  # an unclosed comment hides the rest, as in a browser
    ],
)
def test_pathological_markup_is_read_in_linear_time(source: str, display: str, texts: list[str]) -> None:
    started = time.perf_counter()
    doc = read_bytes(source.encode(), display)
    assert time.perf_counter() - started < 5
    assert [s.text for s in doc.sentences] == texts
    assert_in_file(doc)


@FAST
@given(text=st.text(alphabet=st.sampled_from("aé€😀. \n"), min_size=1, max_size=60))
def test_byte_offsets_become_the_same_character_offsets_with_or_without_numpy(text: str) -> None:
    """Small pages convert blingfire's byte offsets in Python, large ones with numpy: both give the same answer."""
    import numpy as np

    from kb.pages import sentences

    data = text.encode("utf-8")
    starts = [i for i in range(len(data) + 1) if i == len(data) or (data[i] & 0xC0) != 0x80]
    pairs = list(zip(starts[:-1], starts[1:], strict=True)) or [(0, 0)]
    small = sentences._char_offsets(data, len(text), [a for a, _ in pairs], [b for _, b in pairs])
    lead = np.concatenate(([0], np.cumsum((np.frombuffer(data, dtype=np.uint8) & 0xC0) != 0x80)))
    assert small == [(int(lead[a]), int(lead[b])) for a, b in pairs]


def test_splitting_sentences_loads_neither_numpy_nor_the_blingfire_wrapper() -> None:
    """kb calls blingfire's native library itself: the wrapper imports numpy, ~0.2 s of every `kb check`."""
    import subprocess
    import sys

    script = (
        "import sys; from kb.pages.sentences import split_sentences as s; "
        "assert [len(x) for x in [s('One. Two café.')]] == [2]; "
        "print(sorted(m for m in ('numpy', 'blingfire') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
