"""Helpers of the incremental-index tests (SQLite here, PostgreSQL in test_postgres.py): a knowledge base held as
Python data and written as YAML, the random edits made to it, and an index dumped table by table as row sets."""

from __future__ import annotations

import copy
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import create_engine, text

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"
# Words a changed statement gains: some already in the vocabulary, some new (they shift every later term id).
WORDS = ("patients", "infusion", "improved", "aardvark", "zebra", "quokka", "hour", "study", "mmm")
EDITS = (
    "add-claim",
    "remove-claim",
    "change-statement",
    "change-value",
    "move-claim",
    "add-mention",
    "remove-mention",
    "add-source-link",
    "change-subject",
    "change-source",
    "change-page",
)
CLAIM_EDITS = EDITS[:8]  # what the incremental path takes; the rest rebuild in full


@dataclass
class Knowledge:
    """The mini knowledge base as data; `write` renders it in the layout kb.index.entries cuts."""

    subjects: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    sources_text: str
    pages_text: str
    margin: bool = False  # claims at column 0 (`- id:` under `claims:`) rather than indented
    comments: set[int] = field(default_factory=set)  # claims followed by a comment line
    added: int = 0

    @classmethod
    def mini(cls) -> Knowledge:
        tree = yaml.safe_load((MINI / "claims.yaml").read_text(encoding="utf-8"))
        sources = (MINI / "sources.yaml").read_text(encoding="utf-8")
        return cls(tree["subjects"], tree["claims"], sources, (MINI / "pages.yaml").read_text(encoding="utf-8"))

    def write(self, folder: Path) -> None:
        pad = "" if self.margin else "  "
        parts = ["subjects:\n", _indent(yaml.safe_dump(self.subjects, sort_keys=False), "  "), "claims:\n"]
        for index, claim in enumerate(self.claims):
            parts.append(_indent(yaml.safe_dump([claim], sort_keys=False, width=100), pad))
            if index in self.comments:
                parts.append(f"{pad}# ---- after claim {index}\n")
        (folder / "pages").mkdir(parents=True, exist_ok=True)
        page = (MINI / "pages" / "clinic.txt").read_bytes()
        files = {"claims.yaml": "".join(parts), "sources.yaml": self.sources_text, "pages.yaml": self.pages_text}
        for name, body in files.items():
            _replace(folder / name, body.encode())
        if not (folder / "pages" / "clinic.txt").exists():
            _replace(folder / "pages" / "clinic.txt", page)

    def edit(self, kind: str, pick: random.Random) -> None:
        claims = self.claims
        claim = pick.choice(claims)
        if kind == "add-claim":
            self.added += 1
            new = copy.deepcopy(claim) | {"id": f"added-{self.added}"}
            new["statement"] += " " + pick.choice(WORDS)
            claims.insert(pick.randrange(len(claims) + 1), new)
        elif kind == "remove-claim" and len(claims) > 1:
            claims.remove(claim)
        elif kind == "change-statement":
            claim["statement"] = claim["statement"].rstrip(".") + f" {pick.choice(WORDS)}."
        elif kind == "change-value" and claim.get("value", {}).get("kind") == "quantity":
            claim["value"]["value"] = pick.choice([2, 3, 45, 60, 77, 90])
        elif kind == "move-claim":
            claims.remove(claim)
            claims.insert(pick.randrange(len(claims) + 1), claim)
        elif kind == "add-mention":
            donor = pick.choice([c for c in claims if c.get("mentions")] or [claim])
            claim.setdefault("mentions", []).extend(copy.deepcopy(donor.get("mentions", [])[:1]))
        elif kind == "remove-mention" and claim.get("mentions"):
            claim["mentions"].pop(pick.randrange(len(claim["mentions"])))
        elif kind == "add-source-link":
            link = pick.choice(
                [{"source": "asa-2017-press-release", "relation": "context"}, {"source": "schwenk-2018"}]
            )
            claim.setdefault("sources", []).append(link)
        elif kind == "change-subject":
            subject = pick.choice(self.subjects)
            subject["label"] += " " + pick.choice(WORDS)
        elif kind == "change-source":
            self.sources_text = self.sources_text.replace("n: 61", f"n: {pick.choice([60, 62, 63])}", 1)
            self.sources_text = self.sources_text.replace("n: 60", f"n: {pick.choice([61, 62])}", 1)
        elif kind == "change-page":
            self.pages_text = self.pages_text.replace("title: Ketamine for migraines", "title: Migraine care", 1)
        if pick.random() < 0.2:
            self.comments ^= {pick.randrange(len(claims))}


def _indent(block: str, pad: str) -> str:
    return "".join(pad + line if line.strip() else line for line in block.splitlines(keepends=True))


def _replace(path: Path, body: bytes) -> None:
    """A new file renamed into place: a new inode, so the stat signature changes however fast the edits come."""
    temporary = path.with_name(path.name + ".new")
    temporary.write_bytes(body)
    os.replace(temporary, path)


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every kb table's rows, as a sorted list (a row set that keeps duplicates). Not kb_meta's stat signature: an
    edit that restores a file's content leaves the index as it is ("touched") and only its stamp records the new
    signature, on SQLite as before this update path existed."""
    from sqlmodel import SQLModel

    import kb.index.tables  # noqa: F401 - registers the tables

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            tables = {
                name: sorted((tuple(row) for row in connection.execute(text(f"SELECT * FROM {name}"))), key=repr)
                for name in sorted(SQLModel.metadata.tables)
            }
            tables["kb_meta"] = [row for row in tables["kb_meta"] if row[0] != "stat_signature"]
            return tables
    finally:
        engine.dispose()
