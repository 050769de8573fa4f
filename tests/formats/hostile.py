"""A knowledge base and a page full of hostile text, for the review report's escaping tests (and the browser test).

The mini knowledge base, with a claim statement and a source title holding `<script>alert(1)</script>` and a quote
that tries to close its attribute (`" onmouseover="alert(1)`); a page with a script element, an image with an error
handler, a table pipe, backticks and a Markdown `javascript:` link in its text. It still validates: kb's data checks
are about citations, not markup, so the report must escape what it is given.
"""

from __future__ import annotations

import shutil
from pathlib import Path

MINI = Path(__file__).parents[1] / "fixtures" / "mini"
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" onmouseover="alert(1)'
QUOTE = "Forty-eight (77%) of the 61 patients were immediate responders."
PAGE = f"""Ketamine {SCRIPT} for migraines

A recent study out of Boston found that almost 75 percent of patients improved.
Our clinic is the best treatment in town {ATTRIBUTE}" <img src=x onerror=alert(1)>.
90% of patients are pain-free after one session | `code` [click](javascript:alert(1)) <script>alert(2)</script>.
"""


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def hostile_site(folder: Path) -> Path:
    """Write `folder/kb` (the knowledge base) and `folder/page.txt`; returns `folder`."""
    data = folder / "kb"
    shutil.copytree(MINI, data)
    _replace(
        data / "claims.yaml",
        "statement: 48 of 61 patients (77%) were immediate responders.",
        f'statement: "48 of 61 patients (77%) were immediate responders {SCRIPT}."',
    )
    escaped = ATTRIBUTE.replace('"', '\\"')
    for name in ("claims.yaml", "sources.yaml"):
        _replace(data / name, f'quote: "{QUOTE}"', f'quote: "{QUOTE}{escaped}"')
    _replace(
        data / "sources.yaml",
        'title: "Ketamine for Refractory Headache: A Retrospective Analysis."',
        f'title: "Ketamine for Refractory Headache {SCRIPT}"',
    )
    (folder / "page.txt").write_text(PAGE, encoding="utf-8")
    return folder
