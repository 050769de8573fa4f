"""Result records: small frozen dataclasses the query side returns. Input models live in `schema.py`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One validation finding, located in a data file."""

    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        fix = f" (fix: {self.hint})" if self.hint else ""
        return f"{self.path}:{self.line}:{self.column}: {self.code}: {self.message}{fix}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SearchHit:
    claim_id: str
    score: float
    statement: str
    subject: str
    evidence: str
    status: str
    matched: str
    numbers_matched: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["numbers_matched"] = list(self.numbers_matched)
        return data
