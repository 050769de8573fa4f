"""The units figures are read with: generic unit words (percent, time, money, doses, masses), the nouns a bare
number counts ("242 people"), and a knowledge base's own additions (`units` in claims.yaml)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property
from typing import Any

from kb.fastclass import dataclass
from kb.text.alternation import trie
from kb.text.normalise import fold

# unit word -> (dimension, factor to the dimension's base unit). Time's base is the day.
UNITS: dict[str, tuple[str, float]] = {
    "%": ("percent", 1.0),
    "percent": ("percent", 1.0),
    "per cent": ("percent", 1.0),
    "second": ("time", 1 / 86400),
    "minute": ("time", 1 / 1440),
    "min": ("time", 1 / 1440),
    "hour": ("time", 1 / 24),
    "hr": ("time", 1 / 24),
    "h": ("time", 1 / 24),
    "day": ("time", 1.0),
    "week": ("time", 7.0),
    "month": ("time", 30.44),
    "year": ("time", 365.25),
    "decade": ("time", 3652.5),
    "patient": ("count", 1.0),
    "person": ("count", 1.0),
    "people": ("count", 1.0),
    "individual": ("count", 1.0),
    "participant": ("count", 1.0),
    "adult": ("count", 1.0),
    "subject": ("count", 1.0),
    "study": ("count", 1.0),
    "studies": ("count", 1.0),
    "usd": ("money", 1.0),
    "dollar": ("money", 1.0),
    "$": ("money", 1.0),
    "mg/kg/h": ("dose", 1.0),
    "mg/kg/hr": ("dose", 1.0),
    "mg/kg/hour": ("dose", 1.0),
    "mg/kg per hour": ("dose", 1.0),
    "mg/h": ("dose-absolute", 1.0),
    "mg/kg": ("dose-bolus", 1.0),
    "mg": ("mass", 1.0),
    "milligram": ("mass", 1.0),
    "mcg": ("mass", 0.001),
    "microgram": ("mass", 0.001),
    "\u03bcg": ("mass", 0.001),
    "\u00b5g": ("mass", 0.001),
    "gram": ("mass", 1000.0),
    "times": ("ratio", 1.0),
    "fold": ("ratio", 1.0),
    "age-years": ("age", 1.0),
    "years old": ("age", 1.0),
    "years of age": ("age", 1.0),
    "count": ("count", 1.0),
    "rank": ("rank", 1.0),
    "score": ("score", 1.0),
}
DIMENSION_OF_UNIT = {unit: dim for unit, (dim, _) in UNITS.items()}

HEDGES: dict[str, str] = {
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "~": "about",
    "some": "about",
    "circa": "about",
    "an estimated": "about",
    "estimated": "about",
    "almost": "almost",
    "nearly": "almost",
    "just under": "almost",
    "close to": "almost",
    "up to": "up-to",
    "within": "up-to",
    "as much as": "up-to",
    "as many as": "up-to",
    "at most": "up-to",
    "no more than": "up-to",
    "not more than": "up-to",
    "not exceeding": "up-to",
    "not to exceed": "up-to",
    "not over": "up-to",
    "a maximum of": "up-to",
    "maximum of": "up-to",
    "at least": "at-least",
    "no fewer than": "at-least",
    "no less than": "at-least",
    "more than": "more-than",
    "over": "more-than",
    "above": "more-than",
    "exceeding": "more-than",
    "greater than": "more-than",
    "less than": "less-than",
    "fewer than": "less-than",
    "under": "less-than",
    "below": "less-than",
}

# Nouns a bare number counts, a word or two away: "242 people were prescribed", "seven randomized controlled
# trials". A knowledge base adds its own (`units.counted` in claims.yaml).
# Nouns of people: a source's sample size backs a count of these ("61 patients"), not of sessions or studies.
PEOPLE = (
    "patients",
    "people",
    "persons",
    "participants",
    "adults",
    "children",
    "kids",
    "individuals",
    "subjects",
    "women",
    "men",
    "respondents",
    "volunteers",
    "users",
    "cases",
    "travellers",
    "travelers",
    "workers",
)
COUNTED = (
    *PEOPLE,
    "studies",
    "trials",
    "reviews",
    "doses",
    "treatments",
    "sessions",
    "visits",
    "calls",
    "deaths",
    "hospitalizations",
    "reports",
    "publications",
    "attacks",
    "episodes",
)
COUNT_GAP = 3  # at most this many words between a bare number and the noun it counts

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_HEDGE = trie(HEDGES, re.IGNORECASE)
_HEDGE_START = "[" + "".join(sorted({re.escape(h[0]) for h in HEDGES})) + "]"


def _figure_pattern(units: Iterable[str]) -> re.Pattern[str]:
    # A range may restate its first unit in brackets: "between 300 micrograms (μg) and 5 mg" (a few letters, not the
    # unit alternation again: compiling that twice doubles the cost of this pattern, paid by every process).
    unit = trie(units, re.IGNORECASE)  # the same words as a longest-first alternation, rejected sooner
    return re.compile(
        rf"(?=[\d$]|{_HEDGE_START})"  # where a figure can start: a cheap test before the alternations at each position
        rf"(?:(?P<hedge>{_HEDGE})\s*)?"
        rf"(?:(?P<money>\$)\s*)?"
        rf"(?:(?P<low>{_NUM})(?:\s*(?P<lowunit>{unit})(?:e?s)?(?:\s*\([^\W\d_]{{1,5}}\))?)?\s*(?:-|to|and)\s*\$?\s*(?P<high>{_NUM})|(?P<num>{_NUM}))"
        rf"(?:\s*(?:out of|in|of)\s+(?P<den>{_NUM})(?!\s*(?:-|to)\s*\d))?"
        rf"(?:\s*-?\s*(?P<unit>{unit})(?:e?s)?(?![a-z]))?",
        re.IGNORECASE,
    )


@dataclass(frozen=True)
class UnitTable:
    """The units figures are read with: the generic ones plus a knowledge base's own (`units` in claims.yaml)."""

    units: tuple[tuple[str, str, float], ...]  # (unit word, dimension, factor to the dimension's base unit)
    counted: tuple[str, ...] = COUNTED

    def extended(self, units: Iterable[tuple[str, str, float]] = (), counted: Iterable[str] = ()) -> UnitTable:
        return UnitTable((*self.units, *units), tuple(dict.fromkeys((*self.counted, *counted))))

    @cached_property
    def by_word(self) -> dict[str, tuple[str, float]]:
        """Unit word -> (dimension, factor); a counted noun is a unit of count, singular or plural."""
        table: dict[str, tuple[str, float]] = {}
        for noun in self.counted:
            plural = fold(noun)
            table[plural] = ("count", 1.0)
            table.setdefault(singular(plural), ("count", 1.0))
        table.update({word.lower(): (dimension, factor) for word, dimension, factor in self.units})
        return table

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return _figure_pattern(self.by_word)

    @cached_property
    def counted_pattern(self) -> re.Pattern[str]:
        nouns = "|".join(sorted((re.escape(fold(n)) for n in self.counted if n.strip()), key=len, reverse=True))
        return re.compile(rf"(?:[ -]+[a-z][\w'-]*){{0,{COUNT_GAP}}}?[ -]+(?:{nouns})(?![\w-])")

    def __hash__(self) -> int:
        return hash((self.units, self.counted))


def singular(noun: str) -> str:
    """ "gummies" -> "gummy", "capsules" -> "capsule": enough for the nouns a page counts."""
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    return noun.removesuffix("s")


GENERIC = UnitTable(tuple((word, dimension, factor) for word, (dimension, factor) in UNITS.items()))


def unit_table(declared: dict[str, Any]) -> UnitTable:
    """The generic units extended by a knowledge base's `units` (as claims.yaml declares them)."""
    words = [(w["word"], w["dimension"], float(w.get("factor", 1.0))) for w in declared.get("words") or []]
    counted = declared.get("counted") or []
    return GENERIC.extended(words, counted) if words or counted else GENERIC
