"""The bundled data/ merged with generated claims: the knowledge bases `kb check` is measured against."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from . import REAL_DATA
from .knowledge import Generator, Record, dump, load_yaml, write_page_files


def merged_records(size: int) -> tuple[Record, Record, Record, dict[str, list[str]], int]:
    """The bundled data plus generated records, `size` claims in all: sources, claims, pages files, page lines."""
    sources, claims, pages = (load_yaml(REAL_DATA / f"{name}.yaml") for name in ("sources", "claims", "pages"))
    real = len(claims["claims"])
    generator = Generator(max(0, size - real))
    generated_sources = generator.make_sources()
    subjects = generator.make_subjects()
    generated_claims = generator.make_claims(subjects) if size > real else []
    for subject in subjects:
        del subject["_parts"]
    sources["sources"] += generated_sources
    claims["subjects"] += subjects
    claims["claims"] += generated_claims
    pages["pages"] += generator.pages()
    for key, records in (
        ("source", sources["sources"]),
        ("subject", claims["subjects"]),
        ("claim", claims["claims"]),
        ("page", pages["pages"]),
    ):
        ids = [r["id"] for r in records]
        if len(ids) != len(set(ids)):
            sys.exit(f"bench: generated {key} ids collide with the bundled data")
    return sources, claims, pages, generator.page_lines, real


def write_merged(folder: Path, size: int) -> int:
    """Write the bundled data merged with generated claims, `size` in all, into `folder` (replaced); return how
    many of the claims are the bundled ones."""
    sources, claims, pages, page_lines, real = merged_records(size)
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "pages").mkdir(parents=True)
    dump(folder / "sources.yaml", sources)
    dump(folder / "claims.yaml", claims)
    dump(folder / "pages.yaml", pages)
    for path in (REAL_DATA / "pages").glob("*.txt"):
        shutil.copyfile(path, folder / "pages" / path.name)
    write_page_files(folder / "pages", page_lines)
    return real
