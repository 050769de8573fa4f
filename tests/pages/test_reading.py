"""The reading layer of `kb check`: visible sentences of Markdown, HTML and text pages, with exact positions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.errors import KBError
from kb.pages.collect import collect
from kb.pages.read import Document, read_bytes, read_path
from kb.pages.sentences import Sentence
from kb.text.normalise import normalise

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "data" / "pages").glob("*.txt"))
FIXTURES = Path(__file__).parents[1] / "fixtures" / "pages"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def position(source: str, offset: int) -> tuple[int, int]:
    """Expected 1-based line and column of an offset, computed independently of kb.pages.read."""
    line_start = source.rfind("\n", 0, offset) + 1
    return source.count("\n", 0, offset) + 1, offset - line_start + 1


def sentence_with(doc: Document, fragment: str) -> Sentence:
    found = [s for s in doc.sentences if fragment in s.text]
    assert len(found) == 1, (fragment, [s.text for s in doc.sentences])
    return found[0]


def assert_points_at(doc: Document, sentence: Sentence, visible_start: str) -> None:
    """The sentence starts exactly where `visible_start` starts in the file, and its line/column agree."""
    assert doc.source.startswith(visible_start, sentence.start), doc.source[sentence.start : sentence.start + 40]
    assert (sentence.line, sentence.column) == position(doc.source, sentence.start)
    assert (sentence.end_line, sentence.end_column - 1) == position(doc.source, sentence.end - 1)


def all_text(doc: Document) -> str:
    return " ".join(s.text for s in doc.sentences)


# ------------------------------------------------------------------------------------------------- real pages


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_real_page_sentences_map_back_to_the_source(page: Path) -> None:
    doc = read_path(page)
    assert doc.kind == "text" and doc.warnings == () and len(doc.sentences) > 20
    previous_end = 0
    for s in doc.sentences:
        original = normalise(doc.source[s.start : s.end])
        assert squash(s.text) in squash(original), (s.text, original)
        assert s.text and s.text == s.text.strip() and not doc.source[s.start].isspace()
        assert (s.line, s.column) == position(doc.source, s.start)
        assert s.start >= previous_end
        previous_end = s.end


def test_real_pages_bullets_are_separate_sentences_without_the_marker() -> None:
    doc = read_path(ROOT / "data" / "pages" / "balanced-ketamine.txt")
    rapid = sentence_with(doc, "Rapid Relief")
    assert rapid.text.startswith("Rapid Relief: Ketamine")
    assert_points_at(doc, rapid, "Rapid Relief")
    assert not any("•" in s.text for s in doc.sentences)


def test_almost_75_percent_sentence_starts_where_it_starts_in_the_file() -> None:
    doc = read_path(ROOT / "data" / "pages" / "quad-cities-ketamine-clinic.txt")
    s = sentence_with(doc, "almost 75 percent")
    expected = doc.source.find("Touted by many")
    assert s.start == expected
    assert (s.line, s.column) == position(doc.source, expected) == (7, 1)
    # Literal, semicolon-less entities are decoded in the text, but the offsets stay on the original.
    assert '" almost 75 percent experienced an improvement in their migraine intensity."' in s.text
    assert "&ldquo" not in s.text and "&rdquo" in doc.source[s.start : s.end]


# ----------------------------------------------------------------------------------------------------- Markdown


@pytest.fixture(scope="module")
def markdown() -> Document:
    return read_path(FIXTURES / "clinic.md")


def test_markdown_skips_front_matter_and_code_and_reads_raw_html(markdown: Document) -> None:
    text = all_text(markdown)
    assert markdown.kind == "markdown"
    assert "61 patients" not in text and "title" not in text  # front matter
    assert "75 percent of patients" not in text and "indented" not in text  # fenced and indented code
    assert "raw html block 75 percent" in text  # raw HTML blocks: their visible text is read
    said = sentence_with(markdown, "Dr. Smith said")
    assert "75 percent" not in said.text  # inline code span
    assert said.text == "Dr. Smith said the figure don't hold, and *nothing* else."  # entity, escapes


def test_markdown_sentence_points_at_its_first_visible_character(markdown: Document) -> None:
    # Decision: a sentence starts at its first *visible* character, so "**Sixty-one**" points at "S", not "*".
    s = sentence_with(markdown, "Sixty-one patients")
    assert s.text == "Sixty-one patients took part in the study."
    assert_points_at(markdown, s, "Sixty-one** patients")
    line = markdown.source.splitlines()[s.line - 1]
    assert line.startswith("**Sixty-one**") and s.column == 3


def test_markdown_links_soft_breaks_and_numbers(markdown: Document) -> None:
    s = sentence_with(markdown, "About 75 percent")
    assert s.text == "About 75 percent improved after 4.56 days, at 0.76 mg/kg (see the trial for details)."
    assert_points_at(markdown, s, "About 75 percent improved\nafter")
    assert markdown.source[s.start : s.end].endswith("for details).")
    assert s.end_line == s.line + 1


def test_markdown_lists_images_and_tables(markdown: Document) -> None:
    item = sentence_with(markdown, "list item")
    assert item.text == "A list item with emphasis and an image chart of results inside."
    assert_points_at(markdown, item, "A list item with _emphasis_")
    assert "chart.png" not in all_text(markdown)
    cell = sentence_with(markdown, "Pain relief")
    assert cell.text == "Pain relief"  # a table cell is its own block
    assert_points_at(markdown, cell, "Pain relief |")


def test_markdown_comments_with_their_lines(markdown: Document) -> None:
    line = markdown.source.splitlines().index("<!-- kb-disable-next-line misattribution -- reason -->") + 1
    assert markdown.comments == ((line, line, "kb-disable-next-line misattribution -- reason"),)


def test_markdown_inline_and_multi_line_comments() -> None:
    doc = read_bytes(b"Text with <!-- one\ntwo --> inline comment.\n", "c.md")
    assert doc.comments == ((1, 2, "one\ntwo"),)
    assert [s.text for s in doc.sentences] == ["Text with inline comment."]


def test_markdown_crlf_and_headings() -> None:
    doc = read_bytes(b"# Title ##\r\n\r\nPara **bold**\r\ntext &amp; more.\r\n", "crlf.md")
    assert [s.text for s in doc.sentences] == ["Title", "Para bold text & more."]
    assert_points_at(doc, doc.sentences[0], "Title ##")
    assert_points_at(doc, doc.sentences[1], "Para **bold**\r\n")


# --------------------------------------------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def html() -> Document:
    return read_path(FIXTURES / "clinic.html")


def test_html_visible_text_only(html: Document) -> None:
    assert html.kind == "html"
    assert "75 percent" not in " ".join(s.text for s in html.sentences if "Sixty-one" not in s.text)
    assert [s.text for s in html.sentences] == [
        "Patients don't wait long.",
        "Sixty-one patients improved by 75 percent.",
        "Results",  # <br> ends a sentence
        "vary by patient.",
        "First point & more.",
        "Second point.",
    ]


def test_html_positions_point_into_the_markup(html: Document) -> None:
    first = sentence_with(html, "Patients don't")
    assert_points_at(html, first, "Patients don&rsquo;t wait long.</p>"[:20])
    assert html.source[first.start : first.end] == "Patients don&rsquo;t wait long."
    bold = sentence_with(html, "Sixty-one")
    assert_points_at(html, bold, "Sixty-one</b> patients")
    assert html.source[bold.start : bold.end].endswith("75&nbsp;percent.")
    assert first.line == bold.line  # two sentences on one line, told apart by column
    assert bold.column > first.column


def test_html_comments(html: Document) -> None:
    line = next(i for i, t in enumerate(html.source.splitlines(), 1) if "kb-disable-next-line" in t)
    assert html.comments == ((line, line, "kb-disable-next-line misattribution -- quoted from the study"),)


def test_broken_html_is_read() -> None:
    doc = read_path(FIXTURES / "broken.html")
    texts = [s.text for s in doc.sentences]
    assert "Unclosed paragraph with bold text" in texts
    assert "Cell text here." in texts
    for s in doc.sentences:
        assert squash(s.text) in squash(normalise(re.sub(r"<[^>]*>", "", doc.source[s.start : s.end])))
    assert_points_at(doc, sentence_with(doc, "Cell text"), "Cell text here.")


def test_html_bogus_comments_do_not_derail_positions() -> None:
    src = "<!-- top -->\n<p>Before.<![CDATA[ x ]]> After &#8217;it&#x2019; here.</p>\n<!-- end -->\n"
    doc = read_bytes(src.encode(), "b.html")
    assert [c[2] for c in doc.comments] == ["top", "end"]
    s = sentence_with(doc, "After")
    assert_points_at(doc, s, "After &#8217;")
    assert s.text == "After 'it' here."


# ---------------------------------------------------------------------------------------------------- plain text


def test_text_blank_lines_and_bullets_are_boundaries() -> None:
    doc = read_bytes(b"A heading\n\nFirst part of a\nwrapped sentence. Next.\n  - item one\n  * item two\n", "t.txt")
    assert [s.text for s in doc.sentences] == [
        "A heading",
        "First part of a wrapped sentence.",
        "Next.",
        "item one",
        "item two",
    ]
    assert_points_at(doc, doc.sentences[3], "item one")


def test_numbers_and_titles_are_not_split() -> None:
    doc = read_bytes(b"Dr. Smith gave 0.76 mg/kg for 4.56 hours, e.g. twice. It worked.\n", "n.txt")
    assert [s.text for s in doc.sentences] == ["Dr. Smith gave 0.76 mg/kg for 4.56 hours, e.g. twice.", "It worked."]


def test_stdin_kind_is_sniffed() -> None:
    assert read_bytes(b"  <p>Hello there.</p>", "-").kind == "html"
    assert read_bytes(b"Hello there.", "-").kind == "text"
    assert read_bytes(b"# Hello", "-", kind="markdown").kind == "markdown"
    with pytest.raises(KBError):
        read_bytes(b"x", "x.txt", kind="pdf")


# ----------------------------------------------------------------------------------------------- bad or odd input


def test_invalid_utf8_warns_with_line_and_column() -> None:
    doc = read_bytes(b"Fine line.\nAlso fine.\nbad \xff byte. Rest is fine.\n", "u.txt")
    assert doc.warnings == ("invalid UTF-8 at line 3, column 5: decoded with replacement characters",)
    assert [s.text for s in doc.sentences][-1] == "Rest is fine."
    assert "\ufffd" in doc.source


def test_invalid_utf8_column_counts_characters() -> None:
    doc = read_bytes("é€ x".encode() + b"\xc3(", "u.md")
    assert doc.warnings == ("invalid UTF-8 at line 1, column 5: decoded with replacement characters",)


@pytest.mark.parametrize("name", ["e.md", "e.html", "e.txt"])
def test_empty_file_has_no_sentences(name: str) -> None:
    doc = read_bytes(b"", name)
    assert doc.sentences == () and doc.comments == () and doc.warnings == ()


def test_bom_is_dropped_so_columns_match_editors() -> None:
    doc = read_bytes("\ufeffFirst.\n".encode(), "b.txt")
    assert doc.source == "First.\n" and doc.sentences[0].column == 1


def test_binary_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(KBError) as err:
        read_path(path)
    assert err.value.path == str(path) and err.value.hint


def test_read_path_errors(tmp_path: Path) -> None:
    with pytest.raises(KBError, match="no such file") as err:
        read_path(tmp_path / "missing.md", display="missing.md")
    assert err.value.path == "missing.md"
    with pytest.raises(KBError, match="directory"):
        read_path(tmp_path)


@pytest.mark.parametrize("name,wrap", [("big.txt", "{}"), ("big.md", "{}"), ("big.html", "<p>{}</p>")])
def test_megabyte_single_line_is_read_whole(name: str, wrap: str) -> None:
    # How its time grows with size is bench/bench_reading.py's to measure (no timings in tests).
    unit = "The dose was 0.76 mg/kg in 61 patients, and don&rsquo t **stop**. "
    doc = read_bytes(wrap.format(unit * 16_000).encode(), name)
    assert len(doc.sentences) == 16_000
    last = doc.sentences[-1]
    assert doc.source.startswith("The dose", last.start) and last.line == 1


# ------------------------------------------------------------------------------------------------------- collect


def make_tree(root: Path) -> None:
    for rel in ["a.md", "b.html", "sub/c.txt", "sub/deep/d.mdx", "sub/skip.py", ".git/e.md", "drafts/f.md"]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x")


def test_collect_directory_recursive(tmp_path: Path) -> None:
    make_tree(tmp_path)
    found = [p.relative_to(tmp_path).as_posix() for p in collect([str(tmp_path)])]
    assert found == ["a.md", "b.html", "drafts/f.md", "sub/c.txt", "sub/deep/d.mdx"]
    ignored = collect([str(tmp_path)], ignore=["drafts/**", "*.mdx"])
    assert [p.name for p in ignored] == ["a.md", "b.html", "c.txt"]


def test_collect_globs_files_sorted_and_deduplicated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    found = collect(["sub/**/*.*", "a.md", "./a.md", "sub/c.txt", "sub/skip.py"])
    # A pattern selects pages only; a file named explicitly is read whatever its suffix.
    assert [p.as_posix() for p in found] == ["a.md", "sub/c.txt", "sub/deep/d.mdx", "sub/skip.py"]
    assert [p.as_posix() for p in collect(["sub/**"])] == ["sub/c.txt", "sub/deep/d.mdx"]


def test_collect_errors(tmp_path: Path) -> None:
    with pytest.raises(KBError, match="no such file"):
        collect([str(tmp_path / "missing")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(KBError, match="no pages"):
        collect([str(tmp_path / "empty")])
    with pytest.raises(KBError, match="no pages match"):
        collect([str(tmp_path / "*.nothing")])
