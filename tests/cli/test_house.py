"""The house rules: the stage order and its contracts hold, they catch a violation, and `kb search`'s fast path
stays light. See README "Design" and `[tool.importlinter]` in pyproject.toml."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
STAGES = ("text", "data", "pages", "language", "store", "index", "query", "check", "contradictions", "formats", "cli")
HEAVY = ("typer", "pydantic", "sqlmodel", "rich")


def _lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(project), "PATH": str(Path(sys.executable).parent)}
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"], cwd=project, env=env, capture_output=True, text=True, check=False
    )


def test_the_contracts_hold() -> None:
    ran = _lint_imports(ROOT)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "0 broken" in ran.stdout


def test_the_contracts_catch_violations(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "kb", project / "kb", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", project)
    violations = {
        "kb/language/words.py": "import sqlite3",  # language touching a database
        "kb/check/runner.py": "import rich",  # the library drawing on the terminal
        "kb/query/search.py": "import kb.index.build",  # the library refreshing the index
        "kb/store/db.py": "import kb.check.registry",  # an arrow pointing up
        "kb/check/rules/weak.py": "import kb.check.rules.recency",  # one rule leaning on another
    }
    for name, line in violations.items():
        path = project / name
        path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    ran = _lint_imports(project)
    assert ran.returncode != 0
    assert "5 broken" in ran.stdout, ran.stdout
    for module in ("kb.language.words", "kb.check.runner", "kb.query.search", "kb.store.db", "kb.check.rules.weak"):
        assert module in ran.stdout


def test_every_stage_is_a_package_of_small_modules() -> None:
    for stage in STAGES:
        assert (ROOT / "kb" / stage / "__init__.py").is_file(), stage
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / "kb").rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 300
    }
    assert not too_long


def test_no_import_cycle() -> None:
    """No module imports, directly or through others, a module that imports it (lazy imports count)."""
    graph: dict[str, set[str]] = {}
    for path in (ROOT / "kb").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kb"):
                targets.add(node.module)
                targets.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names if alias.name.startswith("kb"))
        graph[name] = targets
    edges = {name: {t for t in targets if t in graph and t != name and t != "kb"} for name, targets in graph.items()}
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for target in sorted(edges[name]):
            if state.get(target) == 1:
                pytest.fail("import cycle: " + " -> ".join([*trail[trail.index(target) :], target]))
            if target not in state:
                visit(target, [*trail, target])
        state[name] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])


def _imported(args: list[str], cwd: Path, depth: int = 1) -> set[str]:
    """Packages a `kb` process imports (their first `depth` dotted parts), from `python -X importtime`."""
    ran = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kb", *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    rows = [line.split("|")[-1].strip() for line in ran.stderr.splitlines() if line.startswith("import time:")]
    return {".".join(row.split(".")[:depth]) for row in rows}


def test_search_fast_path_stays_light(tmp_path: Path) -> None:
    data, db = ROOT / "tests" / "fixtures" / "mini", tmp_path / "index.sqlite"
    where = ["--data", str(data), "--db", str(db)]
    subprocess.run([sys.executable, "-m", "kb", "index", *where], cwd=tmp_path, capture_output=True, check=True)
    as_json = _imported(["search", "responders", *where, "--format", "json"], tmp_path)
    assert not as_json & set(HEAVY), sorted(as_json & set(HEAVY))
    as_text = _imported(["search", "responders", *where], tmp_path)
    assert not as_text & {"typer", "pydantic", "sqlmodel"}  # the table is drawn by rich
    assert "kb" in as_json and "rapidfuzz" in as_json  # it really searched
    stages = _imported(["search", "responders", *where, "--format", "json"], tmp_path, depth=2)
    assert not stages & {"kb.language", "kb.pages", "kb.data", "kb.check", "kb.formats"}, sorted(stages)


def test_check_fast_path_stays_light(tmp_path: Path) -> None:
    """`kb check` on one page imports no Typer, pydantic, SQLModel or SQLAlchemy, and neither numpy nor the
    blingfire wrapper (README "Speed"); it still reads the index and matches."""
    data, db = ROOT / "tests" / "fixtures" / "mini", tmp_path / "index.sqlite"
    where = ["--data", str(data), "--db", str(db), "--fail-on", "none"]
    subprocess.run([sys.executable, "-m", "kb", "index", *where[:4]], cwd=tmp_path, capture_output=True, check=True)
    page = tmp_path / "page.md"
    page.write_text("Treatment X is a guaranteed cure and has no side effects.\n", encoding="utf-8")
    heavy = {"typer", "pydantic", "sqlmodel", "sqlalchemy", "numpy", "blingfire"}
    as_text = _imported(["check", str(page), *where], tmp_path)
    assert not as_text & heavy, sorted(as_text & heavy)
    # Nor standard-library modules a check does not use (writers, git look-ups and sync do; traceback is left out:
    # markdown-it and rich import it through logging).
    heavy |= {"subprocess", "tempfile", "shutil", "platform"}
    as_json = _imported(["check", str(page), *where, "--format", "json"], tmp_path)
    assert not as_json & heavy, sorted(as_json & heavy)
    assert "rapidfuzz" in as_json and "sqlite3" in as_json  # it really read the index and matched
    # A plain-text page (no markdown-it): nor dataclasses and the inspect it imports (kb's records: kb.fastclass).
    page.rename(tmp_path / "page.txt")
    plain = _imported(["check", str(tmp_path / "page.txt"), *where, "--format", "json"], tmp_path)
    assert not plain & (heavy | {"dataclasses", "inspect"}), sorted(plain & (heavy | {"dataclasses", "inspect"}))
