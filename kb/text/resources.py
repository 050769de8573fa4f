"""The data files kb ships in `kb/resources/`, a plain data folder (not a package; see its README.md for where
each file comes from): the GeoNames city names, the three CSL styles and the risky-wording list. Read by path,
with the standard library."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def resource(name: str) -> Path:
    """The path of one shipped data file, named relative to `kb/resources/` ("csl/apa.csl")."""
    return RESOURCES / name


def resource_files() -> list[Path]:
    """Every shipped data file, sorted (hidden files and byte-code caches left out)."""
    return sorted(
        path
        for path in RESOURCES.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(RESOURCES).parts)
    )


def resource_lines(name: str) -> list[str]:
    """The lines of a shipped UTF-8 text file, one item a line, without their line ends (split on "\\n" only)."""
    text = resource(name).read_text(encoding="utf-8")
    return text.removesuffix("\n").split("\n") if text else []
