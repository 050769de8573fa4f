"""Load the three data files into validated models, keeping positions for every error message.

`load(root, fast=True)` reads each file the fast way where kb.data.fastyaml vouches for it (the same values, no
positions); kb.data.checked uses that and, when the data has any problem, loads again the positioned way, so every
message is exactly as the positioned loader's."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from kb.data.fastyaml import fast_read
from kb.data.schema import ClaimsFile, PagesFile, SourcesFile
from kb.data.yamlload import MarkedDict, Outline, decode, load_file, load_text, outline_of, position_of, read_regular
from kb.records import Problem
from kb.text.paths import from_cwd

FILES = {"sources": "sources.yaml", "claims": "claims.yaml", "pages": "pages.yaml"}
# claims.yaml marks a data folder (it is how commands find one); a knowledge base without sources or registered
# pages yet is valid, so those two files may be missing.
OPTIONAL = ("sources", "pages")
Model = TypeVar("Model", bound=BaseModel)


@dataclass
class Dataset:
    """The parsed data: models (None where a file failed validation), marked trees and display paths."""

    root: Path
    sources: SourcesFile | None = None
    claims: ClaimsFile | None = None
    pages: PagesFile | None = None
    trees: dict[str, dict[str, Any]] = field(default_factory=dict)  # MarkedDict where read the positioned way
    paths: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    outlines: dict[str, Outline] = field(default_factory=dict)  # of the files read the fast way
    unvouched: dict[str, Callable[[], Outline | None]] = field(default_factory=dict)  # load(defer=True): `vouch`

    @property
    def positioned(self) -> bool:
        """Every tree knows its positions (no file was read the fast way)."""
        return not self.outlines and not self.unvouched

    def vouch(self) -> bool:
        """Whether the fast reading vouches for each file read with `load(defer=True)` (their outlines are then
        known); False: it declines one, whose values are not to be trusted (load again, not fast)."""
        for name, vouch in list(self.unvouched.items()):
            outline = vouch()
            if outline is None:
                return False
            self.outlines[name] = outline
            del self.unvouched[name]
        return True

    def position(self, name: str, *loc: int | str) -> tuple[int, int]:
        return position_of(self.trees.get(name), loc)

    def outline(self, name: str) -> Outline | None:
        tree = self.trees.get(name)
        return self.outlines.get(name) or (outline_of(tree) if isinstance(tree, MarkedDict) else None)

    def problem(self, name: str, loc: tuple[int | str, ...], code: str, message: str, hint: str | None) -> None:
        line, column = self.position(name, *loc)
        self.problems.append(Problem(self.paths[name], line, column, code, message, hint))


def _hint_for(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "remove the key or fix its spelling (see docs/data-format.md)"
    if kind == "missing":
        return "add the required key"
    if kind in ("enum", "literal_error"):
        return "use one of the allowed values"
    if kind in ("less_than_equal", "greater_than_equal", "finite_number"):
        return "use a number within the bounds in docs/data-format.md (Numbers)"
    return "correct the value"


def _validate(dataset: Dataset, name: str, model: type[Model]) -> Model | None:
    tree = dataset.trees[name]
    try:
        return model.model_validate(tree)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            where = ".".join(str(part) for part in loc) or "(top level)"
            message = error["msg"].removeprefix("Value error, ")
            dataset.problem(name, loc, "schema", f"{where}: {message}", _hint_for(error))
        return None


def load(
    root: Path,
    texts: dict[str, str] | None = None,
    claims_tree: MarkedDict | None = None,
    fast: bool = False,
    defer: bool = False,
) -> Dataset:
    """Parse and schema-validate the data folder, or the `texts` given for some of its files (what a writer is about
    to write: `kb.data.write`). Unreadable or malformed files raise `DataError`.

    `claims_tree`, when given, stands for claims.yaml (kb.index.delta: the file's frame and only its changed claims).
    `fast`: read the files the fast way where it vouches for them (their trees then have no positions: see
    `kb.data.checked`). `defer`: what makes the fast reading vouch for a file is left to `Dataset.vouch`, which
    must be called before the values are trusted."""
    dataset = Dataset(root=root)
    for name, filename in FILES.items():
        path = root / filename
        dataset.paths[name] = from_cwd(path)
        if texts is not None and name in texts:
            dataset.trees[name] = load_text(texts[name], dataset.paths[name])
            continue
        if name == "claims" and claims_tree is not None:
            dataset.trees[name] = claims_tree
            continue
        if name in OPTIONAL and not os.path.lexists(path):
            dataset.trees[name] = load_text(f"{name}: []\n", dataset.paths[name])  # no file: nothing recorded yet
            continue
        if not fast:
            dataset.trees[name] = load_file(path, dataset.paths[name])
            continue
        raw = read_regular(path, dataset.paths[name])
        text = decode(raw, dataset.paths[name])
        found = fast_read(text, raw)
        if found is None:
            dataset.trees[name] = load_text(text, dataset.paths[name])
            continue
        dataset.trees[name], vouch = found
        outline = None if defer else vouch()
        if defer:
            dataset.unvouched[name] = vouch
        elif outline is None:
            dataset.trees[name] = load_text(text, dataset.paths[name])
        else:
            dataset.outlines[name] = outline
    dataset.sources = _validate(dataset, "sources", SourcesFile)
    dataset.claims = _validate(dataset, "claims", ClaimsFile)
    dataset.pages = _validate(dataset, "pages", PagesFile)
    return dataset
