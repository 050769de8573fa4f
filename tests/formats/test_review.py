"""The review report (`--format html`, `--format markdown`): escaping of hostile page and knowledge-base text, safe
links, marks that nest whatever the findings' overlaps, the Content-Security-Policy, and the comment size limit."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from kb.cli.app import app
from kb.formats import html as html_format
from kb.formats import markdown as markdown_format
from kb.formats.highlight import locate
from kb.formats.report import Report
from kb.formats.review import ClaimNote, Review, SourceNote, links_of, safe_href
from kb.pages.read import read_bytes
from kb.records import Finding, Severity
from tests.conftest import Run
from tests.formats.hostile import ATTRIBUTE, SCRIPT, hostile_site

pytestmark = pytest.mark.usefixtures("pinned_date")


def _report(run: Run, tmp_path: Path, fmt: str) -> str:
    site = hostile_site(tmp_path / "site")
    code, out, err = run("check", "--data", site / "kb", "--db", tmp_path / "i.sqlite", site / "page.txt", "-f", fmt)
    assert code == 1, err  # the page has errors
    return out


def _assert_inert(tree: lxml.html.HtmlElement) -> None:
    """Only kb's own script; no event handler attribute; no link that is not http(s) or in-page."""
    scripts = tree.xpath("//script")
    assert len(scripts) == 1 and "getElementById" in scripts[0].text
    assert tree.xpath("//img | //iframe | //object | //embed") == []
    for element in tree.iter():
        assert not any(name.lower().startswith("on") for name in element.attrib), lxml.html.tostring(element)
    for href in tree.xpath("//@href"):
        assert href.startswith(("#", "https://", "http://")), href


def test_html_escapes_hostile_page_and_knowledge_base(run: Run, tmp_path: Path) -> None:
    out = _report(run, tmp_path, "html")
    tree = lxml.html.fromstring(out)
    _assert_inert(tree)
    text = tree.text_content()
    assert f"responders {SCRIPT}." in text  # the claim statement, as text
    assert f"Ketamine for Refractory Headache {SCRIPT}" in text  # the source title, in its AMA citation
    assert ATTRIBUTE in text  # the quote did not close an attribute
    assert "<img src=x onerror=alert(1)>" in text and "[click](javascript:alert(1))" in text  # the page's words
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "<script>alert(1)" not in out


def test_a_javascript_url_in_a_source_is_shown_not_linked() -> None:
    links = links_of({"url": "javascript:alert(1)", "doi": "10.1/x", "pmid": "1"})
    assert [(link.label, link.href) for link in links] == [
        ("DOI", "https://doi.org/10.1/x"),
        ("PMID", "https://pubmed.ncbi.nlm.nih.gov/1/"),
        ("URL", None),
    ]
    source = SourceNote("s", "supports", f"Title {SCRIPT}", ATTRIBUTE, "abstract", links)
    claim = ClaimNote("c", SCRIPT, "low", "approved", "Say it so.", (), (source,))
    doc = read_bytes(b"Some page text that says a thing.\n", "p.txt")
    finding = Finding("p.txt", 1, 1, 1, 34, "weak-evidence", Severity.WARNING, SCRIPT, doc.sentences[0].text, "c")
    review = Review("kb", "error", date(2026, 12, 1), {"p.txt": doc}, {"c": claim})
    out = html_format.render([finding], Report(1, "0.1.0", Path("/srv"), review=review))
    tree = lxml.html.fromstring(out)
    _assert_inert(tree)
    assert "javascript:alert(1)" in tree.xpath("//span[@class='link']")[0].text_content()
    assert tree.xpath("//a[@class='link']/@href") == ["https://doi.org/10.1/x", "https://pubmed.ncbi.nlm.nih.gov/1/"]


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://example.org/a?b=c", "https://example.org/a?b=c"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("//example.org", None),
        ("https://exa mple.org", None),
        ("https://example.org/\nx", None),
    ],
)
def test_safe_href(url: str, href: str | None) -> None:
    assert safe_href(url) == href


def test_the_policy_allows_exactly_the_inline_style_and_script(run: Run, tmp_path: Path) -> None:
    out = _report(run, tmp_path, "html")
    tree = lxml.html.fromstring(out)
    policy = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", out, re.S).group(1)  # type: ignore[union-attr]
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}';" in policy
    assert not re.search(r"""(?:src|href)=["']?(?!#|https?://)""", out.split("<style>")[0])  # no external asset
    assert tree.xpath("//link | //*[@style]") == []  # no stylesheet link; no style attribute for the CSP to refuse


def _marks(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """Each finding's marked text: its pieces' text in order, without the reference numbers."""
    for ref in tree.xpath("//sup[@class='ref']"):
        ref.drop_tree()
    marked: dict[str, str] = {}
    for mark in tree.xpath("//mark"):
        number = mark.get("data-finding")
        marked[number] = marked.get(number, "") + mark.text_content()
    return marked


def test_overlapping_and_nested_findings_make_well_formed_marks() -> None:
    page = b"Our therapy is a guaranteed cure for every headache you have.\n"
    doc = read_bytes(page, "p.txt")

    def at(words: str, rule: str) -> Finding:
        start = page.decode().index(words) + 1
        return Finding("p.txt", 1, start, 1, start + len(words), rule, Severity.ERROR, "m", words)

    findings = [
        at(doc.sentences[0].text, "unsupported-claim"),  # the whole sentence
        at("a guaranteed cure", "disallowed-claim"),  # inside it
        at("cure for every", "figure-mismatch"),  # crossing the one before
        at("cure", "weak-evidence"),  # inside both
    ]
    numbered = list(enumerate(findings, 1))
    assert locate(doc, numbered).placed == {1, 2, 3, 4}
    review = Review("kb", "error", date(2026, 12, 1), {"p.txt": doc})
    out = html_format.render(findings, Report(1, "0.1.0", Path("/srv"), review=review))
    text = out[out.index('<div class="text">') : out.index("<h3>Findings")]
    assert text.count("<mark") == text.count("</mark>")
    tree = lxml.html.fromstring(out)
    marks = _marks(tree)
    expected = {str(n): f.text for n, f in numbered}
    # html.render numbers findings in (path, line, column, rule) order; map by rule to compare
    rules = {m.get("data-finding"): m.get("data-rule") for m in tree.xpath("//mark")}
    assert {rules[n]: words for n, words in marks.items()} == {f.rule: f.text for f in findings}
    assert len(marks) == len(expected)
    assert len(tree.xpath("//mark[@id]")) == 4  # one anchor a finding; the continued piece has none


def test_html_without_review_data_still_renders_every_finding() -> None:
    finding = Finding("a.md", 2, 3, 2, 9, "unsupported-claim", Severity.ERROR, f"m {SCRIPT}", f"t {ATTRIBUTE}")
    out = html_format.render([finding], Report(1, "0.1.0", Path("/srv")))
    tree = lxml.html.fromstring(out)
    _assert_inert(tree)
    assert tree.xpath("//article[@data-rule='unsupported-claim']") and "not part of this report" in out


def _gfm(text: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)


def test_markdown_escapes_page_text(run: Run, tmp_path: Path) -> None:
    out = _report(run, tmp_path, "markdown")
    rendered = _gfm(out)
    assert "<script" not in rendered and "<img" not in rendered and "<a " not in rendered
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in rendered
    assert "[click](javascript:alert(1))" in lxml.html.fromstring(rendered).text_content()
    rows = [line for line in out.splitlines() if line.startswith("|")]
    assert len({row.replace("\\|", "").count("|") for row in rows}) == 1  # every row has the same cells
    assert "`code`" not in out.replace("\\`code\\`", "")  # the page's backticks are escaped


def test_markdown_table_survives_a_pipe_in_a_path() -> None:
    finding = Finding("a|b.md", 1, 1, 1, 2, "unsupported-claim", Severity.ERROR, "m", "x")
    out = markdown_format.render([finding], Report(1, "0.1.0", Path("/srv")))
    table = lxml.html.fromstring(_gfm(out)).xpath("//table")[0]
    assert [len(row.xpath("td|th")) for row in table.xpath(".//tr")] == [6, 6, 6]
    assert table.xpath(".//tbody/tr[1]/td[1]")[0].text_content() == "a|b.md"


def test_markdown_stays_under_the_comment_limit() -> None:
    many = [
        Finding("p.md", line, 1, line, 5, "unsupported-claim", Severity.ERROR, "x" * 400, "words", fix="y" * 200)
        for line in range(1, 400)
    ]
    out = markdown_format.render(many, Report(1, "0.1.0", Path("/srv")))
    assert len(out) <= markdown_format.LIMIT
    written = out.count("\n- ` p.md:")
    assert 0 < written < len(many)
    assert f"_{len(many) - written} more findings left out" in out
    assert "| **all pages** |  | **399** |" in out  # the summary still counts them all
    assert "left out" not in markdown_format.render(many[:3], Report(1, "0.1.0", Path("/srv")))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1. not a list", "1\\. not a list"),
        ("# not a heading", "\\# not a heading"),
        ("- not an item", "\\- not an item"),
        ("a | b", "a \\| b"),
        ("see https://x.org", "see https:\\/\\/x.org"),
    ],
)
def test_markdown_escape(text: str, shown: str) -> None:
    assert markdown_format.md(text, line_start=True) == shown


def test_report_formats_write_to_output_files(run: Run, tmp_path: Path) -> None:
    site = hostile_site(tmp_path / "site")
    for fmt, name in (("html", "report.html"), ("markdown", "comment.md")):
        target = tmp_path / name
        args = ("check", "--data", site / "kb", "--db", tmp_path / "i.sqlite", site / "page.txt", "-f", fmt)
        code, out, err = run(*args, "--output", target)
        assert (code, out) == (1, ""), err
        code, stdout, _ = run(*args)
        assert target.read_text(encoding="utf-8") == stdout


def test_report_of_a_page_read_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = hostile_site(tmp_path / "site")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner(env={"KB_DATA": None, "KB_DATABASE_URL": None})
    args = ["check", "--data", str(site / "kb"), "--db", str(tmp_path / "i.sqlite"), "-", "-f", "html"]
    result = runner.invoke(app, args, input=(site / "page.txt").read_bytes(), catch_exceptions=False)
    assert result.exit_code == 1, result.stderr
    tree = lxml.html.fromstring(result.stdout)
    assert tree.xpath("//section[@class='page']/h2")[0].text_content() == "-"
    assert tree.xpath("//mark") and "out of Boston" in tree.xpath("//div[@class='text']")[0].text_content()


def test_without_javascript_everything_is_shown(run: Run, tmp_path: Path) -> None:
    tree = lxml.html.fromstring(_report(run, tmp_path, "html"))
    assert tree.xpath("//form[@id='filters']/@hidden") == [""]  # a bare `hidden`: the script shows the filters
    assert tree.xpath("//*[contains(@class, 'filtered')]") == []  # nothing is hidden in the markup itself
    assert len(tree.xpath("//article[@class and contains(@class, 'finding')]")) == len(tree.xpath("//mark[@id]"))
    header = tree.xpath("//header[@class='run']")[0].text_content()
    assert "date2026-12-01" in header and "fail-onerror" in header and "knowledge basesite/kb" in header


def test_a_page_that_cannot_be_read_is_listed_without_text(run: Run, tmp_path: Path) -> None:
    site = hostile_site(tmp_path / "site")
    (site / "binary.txt").write_bytes(b"\0\1\2 not text")
    args = ("check", "--data", site / "kb", "--db", tmp_path / "i.sqlite", site / "page.txt", site / "binary.txt")
    code, out, err = run(*args, "-f", "html")
    assert code == 2, err
    tree = lxml.html.fromstring(out)
    unread = tree.xpath("//section[h2[contains(., 'binary.txt')]]")[0]
    assert "could not be read" in unread.text_content()
    assert unread.xpath(".//article[@data-rule='input-error']")
    code, out, _ = run(*args, "-f", "markdown")
    assert code == 2 and "` input-error `" in out and "binary" in out
