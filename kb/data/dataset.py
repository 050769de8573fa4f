"""Load the three data files into validated models, keeping positions for every error message."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from kb.data.schema import ClaimsFile, PagesFile, SourcesFile
from kb.data.yamlload import MarkedDict, load_file, load_text, position_of
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
    trees: dict[str, MarkedDict] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def position(self, name: str, *loc: int | str) -> tuple[int, int]:
        return position_of(self.trees.get(name), loc)

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


def load(root: Path, texts: dict[str, str] | None = None, claims_tree: MarkedDict | None = None) -> Dataset:
    """Parse and schema-validate the data folder, or the `texts` given for some of its files (what a writer is about
    to write: `kb.data.write`). Unreadable or malformed files raise `DataError`.

    `claims_tree`, when given, stands for claims.yaml (kb.index.delta: the file's frame and only its changed claims)."""
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
        dataset.trees[name] = load_file(path, dataset.paths[name])
    dataset.sources = _validate(dataset, "sources", SourcesFile)
    dataset.claims = _validate(dataset, "claims", ClaimsFile)
    dataset.pages = _validate(dataset, "pages", PagesFile)
    return dataset
