"""Result records: small frozen dataclasses the query side returns. Input models live in `schema.py`."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from enum import IntEnum
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


class Severity(IntEnum):
    """Ordered, so `--fail-on warning` means warning or worse."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


@dataclass(frozen=True, order=True)
class Finding:
    """One problem `kb check` found on a page, modelled on Vale's Alert. Positions are 1-based, in the original file;
    `end_column` is exclusive. Sorted by (path, line, column)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    severity: Severity
    message: str
    text: str
    claim_id: str | None = None
    score: float | None = None
    evidence: str | None = None
    fix: str | None = None

    @property
    def fingerprint(self) -> str:
        """Stable across lines moving: the rule, the file, the claim and the matched words, not the position."""
        words = " ".join(self.text.lower().split())
        key = "\0".join((self.rule, self.path, self.claim_id or "", words))
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        # Field by field: dataclasses.asdict deep-copies and was a third of `kb check --format json` on big sites.
        data = {name: getattr(self, name) for name in _FINDING_FIELDS}
        data["severity"] = self.severity.label
        data["fingerprint"] = self.fingerprint
        return data


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
