"""What a page says on a subject, as records: the value a sentence gives (a quantity in base units with its hedge, a
stance, a named entity, or a time relative to an event) and the statement that carries it, with its position.

Plain records with their JSON form (the index stores statements as JSON): no reading, no SQL.
"""

from __future__ import annotations

import math
from typing import Any

from kb.fastclass import dataclass

HEDGED = "hedged"  # the qualifier of a stance the sentence puts as a possibility ("may provide long-term relief")
ONE_OF = "one-of"  # the qualifier of a stance that is one of several compatible accounts (how a treatment works)


@dataclass(frozen=True)
class Relative:
    """A time given relative to an event: "as soon as the session is finished" (n=0), "after 4 sessions"."""

    n: int
    text: str


@dataclass(frozen=True)
class StatedValue:
    """One value a sentence gives on a subject. `low`/`high` are in the dimension's base unit (time: days)."""

    text: str  # the words that give it, as read
    low: float | None = None
    high: float | None = None
    dimension: str | None = None
    qualifier: str = "exact"
    stance: str | None = None
    entity: str | None = None
    relative: Relative | None = None
    basis: str = ""  # how a relative value was resolved: "a 120–240 min session on this page"
    ci: tuple[float, float] | None = None  # the 95% confidence interval given with the figure, as magnitudes
    ci_text: str = ""  # its words ("95% CI: -8.81 to -5.30")

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text}
        for key in ("low", "high", "dimension", "stance", "entity", "basis"):
            value = getattr(self, key)
            if value is not None and value != "":
                data[key] = "inf" if value == math.inf else value
        if self.qualifier != "exact":
            data["qualifier"] = self.qualifier
        if self.relative is not None:
            data["relative"] = {"n": self.relative.n, "text": self.relative.text}
        if self.ci is not None:
            data["ci"] = {"low": self.ci[0], "high": self.ci[1], "text": self.ci_text}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StatedValue:
        relative = data.get("relative")
        high = data.get("high")
        ci = data.get("ci")
        return cls(
            data["text"],
            data.get("low"),
            math.inf if high == "inf" else high,
            data.get("dimension"),
            data.get("qualifier", "exact"),
            data.get("stance"),
            data.get("entity"),
            Relative(relative["n"], relative["text"]) if relative else None,
            data.get("basis", ""),
            (ci["low"], ci["high"]) if ci else None,
            ci["text"] if ci else "",
        )

    @property
    def is_quantity(self) -> bool:
        return self.low is not None and self.high is not None


@dataclass(frozen=True)
class Statement:
    """A sentence of a page that gives a value on a subject."""

    subject: str
    page: str  # the page's id when the knowledge base registers it, else its path
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    quote: str  # the sentence, verbatim
    value: StatedValue
    source: str | None = None  # for entity statements: the study the sentence is about

    def as_dict(self) -> dict[str, Any]:
        data = {
            "subject": self.subject,
            "page": self.page,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "quote": self.quote,
            "value": self.value.as_dict(),
        }
        if self.source:
            data["source"] = self.source
        return data
