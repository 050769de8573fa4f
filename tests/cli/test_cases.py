"""End-to-end cases in the style of Vale's fixture folders, pinning what `kb` prints.

Each folder of `tests/cases/` holds a tiny knowledge base (`kb/`), one page (`page.*`), optionally a `kb.toml`, and
the expected outputs: `expected.line`, `expected.json`, `expected.md` and `expected.html` (the review report) of
`kb check`, `expected-contradictions.json` of `kb contradictions`. Set KB_UPDATE_CASES=1 to rewrite the expected
files after an intended change, then review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import Run

CASES = Path(__file__).parents[1] / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
COMMANDS = {
    "expected.line": ("check", "--format", "line", "--fail-on", "none"),
    "expected.json": ("check", "--format", "json", "--fail-on", "none"),
    "expected.md": ("check", "--format", "markdown", "--fail-on", "none"),
    "expected.html": ("check", "--format", "html", "--fail-on", "none"),
    "expected-contradictions.json": ("contradictions", "--format", "json", "--fail-on", "none"),
}


def _case(name: str, tmp_path: Path) -> tuple[Path, list[str]]:
    folder = tmp_path / name
    shutil.copytree(CASES / name, folder)
    page = next(p.name for p in folder.iterdir() if p.name.startswith("page."))
    where = ["--config", "kb.toml"] if (folder / "kb.toml").exists() else ["--data", "kb"]
    return folder, [*where, "--db", str(tmp_path / "index.sqlite"), page]


pytestmark = pytest.mark.usefixtures("pinned_date")  # "recent" judged against the day the outputs were written


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("expected", sorted(COMMANDS))
def test_case(name: str, expected: str, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, args = _case(name, tmp_path)
    monkeypatch.chdir(folder)
    code, out, err = run(*COMMANDS[expected], *args)
    assert code == 0, err
    target = CASES / name / expected
    if os.environ.get("KB_UPDATE_CASES"):
        target.write_text(out, encoding="utf-8")
    assert out == target.read_text(encoding="utf-8")


def test_every_case_has_its_expectations() -> None:
    for name in NAMES:
        assert {p.name for p in (CASES / name).iterdir()} >= set(COMMANDS), name
