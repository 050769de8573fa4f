"""The Python API (docs/api.md), used only through its public face: `import kb` and the names in `kb.__all__`."""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import kb
from kb.query.search import rank

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
MINI = ROOT / "tests" / "fixtures" / "mini"
DOCS = ROOT / "docs" / "api.md"
WRONG_FIGURE = "In a study of 61 patients, 95 percent were immediate responders.\n"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder with no KB_* settings: nothing is found from the repository by accident."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KB_DATA", raising=False)
    monkeypatch.delenv("KB_DATABASE_URL", raising=False)
    return tmp_path


@pytest.fixture
def base(here: Path) -> Iterator[kb.KnowledgeBase]:
    with kb.load(DATA, str(here / "index.sqlite")) as opened:
        yield opened


def test_check_finds_the_wrong_figure(base: kb.KnowledgeBase, here: Path) -> None:
    page = here / "page.md"
    page.write_text("# Ketamine\n\n" + WRONG_FIGURE, encoding="utf-8")
    result = base.check_pages(page.name)
    assert result.files_checked == 1 and result.input_errors == ()
    mismatch = [f for f in result.findings if f.rule == "figure-mismatch"]
    assert len(mismatch) == 1
    finding = mismatch[0]
    assert (finding.path, finding.line, finding.column) == ("page.md", 3, 28)  # at the figure, "95 percent"
    assert finding.claim_id == "jefferson-61-responders"
    assert finding.severity.label == "error"
    assert "95 percent" in finding.message and finding.fix


def test_check_text_and_unreadable_pages(base: kb.KnowledgeBase, here: Path) -> None:
    from_text = base.check_pages(text=WRONG_FIGURE)
    assert from_text.files_checked == 1
    assert any(f.rule == "figure-mismatch" and f.path == "-" for f in from_text.findings)
    (here / "binary.md").write_bytes(b"\x00\x01\x02 not a page")
    unreadable = base.check_pages("binary.md")
    assert unreadable.findings == () and len(unreadable.input_errors) == 1
    assert unreadable.input_errors[0].path == "binary.md"
    with pytest.raises(kb.KBError, match="no such file"):
        base.check_pages("missing.md")


def test_module_function_check(here: Path) -> None:
    (here / "page.md").write_text(WRONG_FIGURE, encoding="utf-8")
    result = kb.check_pages(["page.md"], data=DATA, db=str(here / "index.sqlite"))
    assert "figure-mismatch" in {f.rule for f in result.findings}


def test_the_names_do_not_shadow_the_packages(here: Path) -> None:
    import kb.check.runner
    import kb.contradictions.finder

    assert inspect.ismodule(kb.check) and inspect.ismodule(kb.contradictions)
    assert inspect.isfunction(kb.check_pages) and inspect.isfunction(kb.find_contradictions)


def test_search_returns_the_claim_first(base: kb.KnowledgeBase, here: Path) -> None:
    hits = base.search("48 of 61 patients were immediate responders")
    assert hits[0].claim_id == "jefferson-61-responders"
    assert hits == sorted(hits, key=rank)  # by score, usable claims first at near-equal scores
    assert kb.search("three out of four", data=DATA, db=str(here / "index.sqlite"), limit=1)[0].claim_id == (
        "jefferson-61-responders"
    )
    assert all(hit.status == "do-not-use" for hit in base.search("", statuses=["do-not-use"], limit=500))
    with pytest.raises(kb.UsageError, match="unknown evidence level"):
        base.search("ketamine", levels=["stellar"])
    with pytest.raises(kb.UsageError):
        base.search("ketamine", limit=0)


def test_contradictions_on_the_bundled_pages(here: Path) -> None:
    result = kb.find_contradictions(DATA / "pages", data=DATA, db=str(here / "index.sqlite"))
    assert result.files_read == len(list((DATA / "pages").iterdir()))
    assert result.input_errors == ()
    conflicts = [conflict for report in result.reports for conflict in report.conflicts]
    assert conflicts
    kinds = {conflict.kind.value for conflict in conflicts}
    assert kinds == {"page-vs-source", "page-vs-page"}
    first = result.reports[0]
    assert first.conflicts[0].kind.value == "page-vs-source" and first.conflicts[0].severity.label == "error"
    assert "addiction-potential" in {report.subject.id for report in result.reports if report.conflicts}


def test_cite(base: kb.KnowledgeBase) -> None:
    ama = base.cite("jefferson-61-responders")
    assert ama.startswith("1. Schwenk ES") and "doi:10.1097/AAP.0000000000000827" in ama
    assert base.cite(["schwenk-2018"], "bibtex").startswith("@article{schwenk2018,")
    with pytest.raises(kb.NotFound, match="did you mean 'jefferson-61-responders'"):
        base.cite("jefferson-61-responder")
    with pytest.raises(kb.UsageError, match="unknown citation style"):
        base.cite("schwenk-2018", "mla")


def test_cite_module_function_and_a_claim_without_sources(here: Path) -> None:
    assert kb.cite("schwenk-2018", "vancouver", data=MINI, db=str(here / "index.sqlite")).startswith("1. Schwenk ES")
    with pytest.raises(kb.CiteRefused, match="infusion-one-hour is marked do-not-use"):
        kb.cite(["responders", "infusion-one-hour"], data=MINI, db=str(here / "index.sqlite"))


def test_kb_toml_supplies_data_content_and_levels(here: Path) -> None:
    (here / "site").mkdir()
    (here / "site" / "page.md").write_text(WRONG_FIGURE, encoding="utf-8")
    (here / "kb.toml").write_text(f'data = "{DATA.as_posix()}"\ncontent = ["site"]\n', encoding="utf-8")
    with kb.load(db=str(here / "index.sqlite")) as base:
        assert base.settings.data_dir == DATA
        result = base.check_pages()
        assert result.files_checked == 1 and {f.path for f in result.findings} == {"site/page.md"}
        moderate = "Migraine affects more than 10% of people worldwide (pooled global prevalence 11.6%)."
        assert base.check_pages(text=moderate).findings == ()
        strict = base.check_pages(text=moderate, min_level="high").findings
        assert [f.rule for f in strict] == ["weak-evidence"] and "below the high minimum" in strict[0].message
    (here / "kb.toml").write_text(f'data = "{DATA.as_posix()}"\n', encoding="utf-8")
    with kb.load(db=str(here / "index.sqlite")) as base, pytest.raises(kb.UsageError, match="no paths given"):
        base.check_pages()
    (here / "kb.toml").write_text("thresold = 80\n", encoding="utf-8")
    with pytest.raises(kb.UsageError, match="did you mean 'threshold'"):
        kb.load(DATA, str(here / "index.sqlite"))


def test_validate(here: Path) -> None:
    assert kb.validate(DATA) == []
    broken = here / "mini"
    shutil.copytree(MINI, broken)
    claims = broken / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("source: schwenk-2018", "source: schwenk-2019", 1))
    problems = kb.validate(broken)
    assert problems and problems[0].code == "unknown-id" and "schwenk-2019" in problems[0].message
    assert problems[0].path.endswith("claims.yaml") and problems[0].line > 1
    with pytest.raises(kb.InvalidData) as raised:
        kb.load(broken, str(here / "broken.sqlite"))
    assert raised.value.problems == problems
    (broken / "claims.yaml").write_text("claims: [unclosed\n", encoding="utf-8")
    with pytest.raises(kb.DataError):
        kb.validate(broken)
    with pytest.raises(kb.UsageError, match="no data/claims.yaml"):
        kb.validate()


def test_import_kb_is_cheap() -> None:
    code = "import sys, kb; kb.__all__; dir(kb); print(' '.join(sorted(sys.modules)))"
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(ran.stdout.split())
    heavy = {"sqlmodel", "pydantic", "rich", "typer", "sqlite3", "sqlalchemy", "kb.api"}
    assert not loaded & heavy, sorted(loaded & heavy)


def test_all_is_exactly_the_documented_names() -> None:
    documented = re.findall(r"^### `kb\.(\w+)", DOCS.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert sorted(kb.__all__) == sorted(documented)
    assert sorted(set(dir(kb)) - {"__version__"}) == sorted(kb.__all__)
    with pytest.raises(AttributeError):
        kb.no_such_name  # noqa: B018


@pytest.mark.parametrize("name", sorted(kb.__all__))
def test_every_public_name_has_a_docstring(name: str) -> None:
    value = getattr(kb, name)
    doc = inspect.getdoc(value) or ""
    assert len(doc) > 20 and not doc.startswith(f"{name}("), name  # written, not a dataclass's generated signature
    assert f"`kb.{name}" in DOCS.read_text(encoding="utf-8")


def test_the_worked_example_runs(here: Path) -> None:
    """docs/api.md's example, run on a copy of data/, prints what the page says it prints."""
    text = DOCS.read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", text, flags=re.DOTALL)
    printed = re.search(r"It prints:\n\n```text\n(.*?)```", text, flags=re.DOTALL)
    assert example and printed
    shutil.copytree(DATA, here / "data")
    (here / "example.py").write_text(example.group(1), encoding="utf-8")
    ran = subprocess.run([sys.executable, "example.py"], cwd=here, capture_output=True, text=True, check=False)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == printed.group(1)
