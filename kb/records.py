"""Result records: small frozen dataclasses the query side returns. Input models live in `schema.py`."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from kb.fastclass import asdict, dataclass, field, fields


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
    approved_wording: str | None = None  # what a writer may say; None for a do-not-use claim

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
    sentence: str | None = None  # the sentence judged, when the finding points at a part of it

    @property
    def fingerprint(self) -> str:
        """Stable across lines moving: the rule, the file, the claim and the matched words, not the position."""
        import hashlib  # here: only the formats that print fingerprints pay for OpenSSL's start-up

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


INPUT_ERROR_RULE = "input-error"


@dataclass(frozen=True, order=True)
class InputError:
    """A page kb could not read (binary, undecodable, unreadable, special, dangling, too large): never clean.

    Shown in every output format and makes the exit code 2; no baseline or suppression hides it."""

    path: str
    message: str
    hint: str | None = None

    @classmethod
    def from_error(cls, error: Any, path: str) -> InputError:
        where = ":".join(str(part) for part in (error.line, error.column) if part is not None)
        message = f"cannot read this page: {error.message}" + (f" (at {where})" if where else "")
        return cls(error.path or path, message, error.hint)

    def as_finding(self) -> Finding:
        """The same diagnostic in the shape the finding formats print (line 1, column 1, rule `input-error`)."""
        return Finding(self.path, 1, 1, 1, 1, INPUT_ERROR_RULE, Severity.ERROR, self.message, "", fix=self.hint)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" + (f" (fix: {self.hint})" if self.hint else "")
