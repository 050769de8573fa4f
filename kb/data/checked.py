"""Load and validate the data the fast way, and again the positioned way when it has any problem."""

from __future__ import annotations

from pathlib import Path

from kb.data.dataset import Dataset, load
from kb.data.validate import check
from kb.records import Problem


def load_checked(root: Path) -> tuple[Dataset, list[Problem]]:
    """The dataset, read the fast way, and its problems (kb.data.validate.check); when there are any, the dataset is
    read again the positioned way so that every problem is located as a positioned load locates it."""
    dataset = load(root, fast=True)
    problems = check(dataset)
    if problems and not dataset.positioned:
        dataset = load(root)
        problems = check(dataset)
    return dataset, problems
