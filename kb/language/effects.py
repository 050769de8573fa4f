"""Effect sizes and confidence intervals as a sentence or a source's quote states them: "SMD = -0.36",
"weighted mean difference (WMD) = 7.06 minutes [95% CI 4.37 to 9.75]", "(95% CI: -8.81 to -5.30)".

They are compared by magnitude: pages and papers report the same reduction as -7.06 or 7.06 depending on which
arm is subtracted from which, so the sign alone is no disagreement; the sizes are.
"""

from __future__ import annotations

import re
from functools import cache

from kb.fastclass import dataclass

_NUMBER = r"[-\u2212]?\d+(?:\.\d+)?"
_CI = (
    rf"\b95\s*%\s*(?:ci|confidence interval)\s*[:=,]?\s*[\[(]?\s*(?P<a>{_NUMBER})\s*(?:to|,|-|\u2013|\u2014)\s*"
    rf"(?P<b>{_NUMBER})"
)
# An effect measure's name -> the one it is an alias of
MEASURES = {
    "smd": "smd",
    "standardized mean difference": "smd",
    "standardised mean difference": "smd",
    "wmd": "wmd",
    "weighted mean difference": "wmd",
    "md": "md",
    "mean difference": "md",
    "or": "or",
    "odds ratio": "or",
    "rr": "rr",
    "risk ratio": "rr",
    "relative risk": "rr",
    "hr": "hr",
    "hazard ratio": "hr",
}
# Abbreviations only in capitals ("OR = 2.1", not "… or: 2"); names in any case
_LONG = "|".join(sorted((re.escape(name) for name in MEASURES if " " in name), key=len, reverse=True))
_SHORT = "|".join(sorted((name.upper() for name in MEASURES if " " not in name), key=len, reverse=True))
_NAMES = rf"(?i:{_LONG})|(?:{_SHORT})"
_EFFECT = rf"\b(?P<name>{_NAMES})\s*(?:\((?:{_SHORT})\))?\s*[=:]\s*(?P<value>{_NUMBER})(?![\d.]*\s*%)"
SLACK = 0.03  # figures within 3% of each other are one figure rounded


@dataclass(frozen=True)
class Interval:
    """A stated value or interval: the measure's canonical name ("smd", "wmd", …) or "ci"; magnitudes, low first."""

    measure: str
    low: float
    high: float
    text: str  # as written

    def shown(self) -> str:
        return f"{self.low:g}" if self.low == self.high else f"{self.low:g} to {self.high:g}"


def _magnitude(text: str) -> float:
    return abs(float(text.replace("\u2212", "-")))


@cache
def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def read_effects(text: str) -> list[Interval]:
    """The effect sizes and 95% confidence intervals a text states, in order."""
    found = []
    # Compiled on first use, and only for a text that could match (an effect has "=" or ":", an interval "95%"):
    # most pages state neither, and the two patterns cost every process ~3 ms to compile.
    effects = _compiled(_EFFECT, 0).finditer(text) if "=" in text or ":" in text else ()
    intervals = _compiled(_CI, re.IGNORECASE).finditer(text) if "95" in text and "%" in text else ()
    for match in effects:
        value = _magnitude(match.group("value"))
        found.append(Interval(MEASURES[match.group("name").lower()], value, value, match.group(0)))
    for match in intervals:
        low, high = sorted((_magnitude(match.group("a")), _magnitude(match.group("b"))))
        found.append(Interval("ci", low, high, match.group(0)))
    return sorted(found, key=lambda interval: text.find(interval.text))


def differ(stated: Interval, known: Interval) -> bool:
    """Whether two statements of one measure give different sizes (beyond rounding)."""
    pad = SLACK * max(stated.high, known.high, 1e-9)
    return abs(stated.low - known.low) > pad or abs(stated.high - known.high) > pad
