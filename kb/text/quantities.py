"""Numbers in prose, in structured form: "almost 75 percent", "three out of four", "30 to 100 days".

text2num's `alpha2digit` turns number words into digits (fast, Rust core). The thin layer here is ours,
because no library reads hedges, ratios, ranges and bounds together (quantulum3 drops hedges, reads ranges
as value ± uncertainty, and costs ~0.3 s a page): see the README, "Why some parts are hand-written".
"""

from __future__ import annotations

import math
import re

from text_to_num import alpha2digit

from kb.fastclass import dataclass
from kb.text.normalise import fold
from kb.text.units import GENERIC, HEDGES, PEOPLE, UnitTable
from kb.text.wordfigures import ages_of_who, said_in_words

_FRACTION = {"quarter": 4, "quarters": 4, "third": 3, "thirds": 3, "half": 2, "halves": 2}
_NUMERATOR = {"a": 1, "one": 1, "two": 2, "three": 3}
_ANY_DIGIT = re.compile(r"\d")
_VAGUE_SCALE = re.compile(r"(?<![\d.,] )\b(?:dozens|hundreds|thousands|millions|billions)\b")
_VAGUE_SCALE_KEPT = re.compile(r"\b[dhtmb]_(?:ozens|undreds|housands|illions)\b")
_SCALED = re.compile(r"(\d+(?:\.\d+)?) (1000|1000000|1000000000)(?![\d.,])")
_AN_HOUR = re.compile(
    r"\b(to|than|over|about|around|within|of|and|for|in|after|under|nearly|almost|roughly|approximately|least|most|"
    r"just|only|last|lasts|lasted|lasting|take|takes|took|taking|run|runs|ran|is|be)\s+"
    r"(?:a|an|one)(?:\s+full)?\s+(hour|day|week|month|year)\b"
)
_TIME_WORD = r"(?:second|minute|hour|day|week|month|year)s?"
_FRACTION_WORDS = re.compile(
    rf"\b(a|one|two|three)[\s-]+(quarters?|thirds?|half|halves)\b(?![\s-]*{_TIME_WORD})(?!-[a-z])"
)  # not "a half-life", "a third-party"
_BARE_HALF = re.compile(rf"\bhalf\b(?![\s-]*(?:an?\s+)?{_TIME_WORD})(?=\s+(?:of|the|all|their|our)\b)")
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
# "one and a half hours", "an hour and a half", "a half-hour", "half an hour": halves of a unit, not ratios.
_AND_A_HALF = re.compile(rf"\b(\d+|{'|'.join(_SMALL)})\s+and\s+a\s+half[\s-]+({_TIME_WORD}|times)\b")
_UNIT_AND_A_HALF = re.compile(rf"\b(\d+|{'|'.join(_SMALL)})\s+({_TIME_WORD})\s+and\s+a\s+half\b")
_HALF_UNIT = re.compile(rf"\b(?:an?\s+)?half[\s-]+(?:an?\s+)?({_TIME_WORD})")
# "half a milligram", "half a tablet": half of one of a unit; "half a dozen" and "half a million" are alpha2digit's.
_HALF_A = re.compile(r"\bhalf\s+an?\s+(?!(?:dozen|hundred|thousand|million|billion)\b)(?=[a-z])")
# A lone surrogate cannot be encoded as UTF-8, which alpha2digit's native code needs.
_SURROGATE = re.compile("[\ud800-\udfff]")
_BETWEEN_WORDS = re.compile(r"(?<=[a-z])-(?=[a-z])")
_TIME_WORDS = ("hour", "day", "week", "month", "year")  # what _AN_HOUR needs
_VAGUE_WORDS = ("dozens", "hundreds", "thousands", "millions", "billions")  # what _VAGUE_SCALE needs


@dataclass(frozen=True)
class Quantity:
    """A figure normalised to its dimension's base unit, with the interval its hedge allows."""

    value: float
    low: float
    high: float
    dimension: str | None
    qualifier: str
    text: str

    def overlaps(self, other: Quantity, slack: float = 0.03) -> bool:
        if self.dimension and other.dimension and self.dimension != other.dimension:
            return False
        pad = slack * max(abs(self.value), abs(other.value), 1e-9)
        return self.low - pad <= other.high and other.low - pad <= self.high


BOUNDS = frozenset({"up-to", "less-than", "at-least", "more-than"})  # qualifiers of a threshold, open on one side


def interval(low: float, high: float, qualifier: str) -> tuple[float, float]:
    """The values a hedged figure admits: "almost 75" is [~67.5, 75]; "up to 3" is [0, 3]."""
    if qualifier == "about":
        return low * 0.9, high * 1.1
    if qualifier == "almost":
        return low * 0.9, high
    if qualifier in ("up-to", "less-than"):
        return 0.0, high
    if qualifier in ("at-least", "more-than"):
        return low, math.inf
    return low, high


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def digits(text: str) -> str:
    """Folded text with number words as digits: "three out of four" -> "3 out of 4"."""
    folded = fold(text).replace("\u00bd", " one half")
    if not folded.isascii():
        folded = _SURROGATE.sub("\ufffd", folded)
    # Each pass below is tried only when the text holds a word it needs (a substring test is far cheaper than a
    # pattern tried at every position, and most texts have none of them); the passes and their order are as ever.
    if "half" in folded:
        folded = _AND_A_HALF.sub(lambda m: f"{_count(m.group(1)) + 0.5:g} {m.group(2)}", folded)
        folded = _UNIT_AND_A_HALF.sub(lambda m: f"{_count(m.group(1)) + 0.5:g} {m.group(2)}", folded)
        folded = _HALF_UNIT.sub(r"0.5 \1", folded)
        folded = _HALF_A.sub("0.5 ", folded)
    # Fractions become ratios before alpha2digit, which would read "thirds" as an ordinal.
    if "hal" in folded or "quarter" in folded or "third" in folded:
        folded = _FRACTION_WORDS.sub(lambda m: f"{_NUMERATOR[m.group(1)]} out of {_FRACTION[m.group(2)]}", folded)
        folded = _BARE_HALF.sub("1 out of 2", folded)
    folded = said_in_words(folded)  # "cut in half", "doubled", "fivefold"
    # "sixty-one": hyphens between words would stop alpha2digit.
    if "-" in folded:
        folded = _BETWEEN_WORDS.sub(" ", folded)
    if any(word in folded for word in _TIME_WORDS):
        folded = _AN_HOUR.sub(r"\1 1 \2", folded)
    # "millions of people" is no figure: alpha2digit would make it "1000000 of people"
    if any(word in folded for word in _VAGUE_WORDS):
        folded = _VAGUE_SCALE.sub(lambda m: m.group(0)[0] + "_" + m.group(0)[1:], folded)
    converted: str = alpha2digit(folded, "en", threshold=0)
    converted = ages_of_who(converted)  # "adults over 55"
    if "_" in converted:
        converted = _VAGUE_SCALE_KEPT.sub(lambda m: m.group(0).replace("_", "", 1), converted)
    # alpha2digit turns the scale word after a digit into digits too: "1.5 million" -> "1.5 1000000".
    return _SCALED.sub(_scaled, converted) if "1000" in converted else converted


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _SMALL[word]


def _scaled(match: re.Match[str]) -> str:
    value = float(match.group(1)) * int(match.group(2))
    return str(int(value)) if value.is_integer() else str(value)


def extract(text: str, units: UnitTable = GENERIC) -> list[Quantity]:
    """Every figure in `text`, in order, with dimension, hedge and interval."""
    return extract_digits(digits(text), units)


def extract_digits(converted: str, units: UnitTable = GENERIC) -> list[Quantity]:
    """`extract` for text already passed through `digits` (callers that need both convert once)."""
    if not _ANY_DIGIT.search(converted):
        return []  # the figure pattern is costly to try at every position; most sentences have no figure
    matches = list(units.pattern.finditer(converted))
    return _carry_units([_quantity(match, converted, units) for match in matches], matches, converted, units)


# A bare number listed after a figure takes its unit: "dropped by 2.7 days in one group, 2.18 in the other, and
# 1.18 for placebo". Only in a list (after a comma, "and", "or", "vs"), within a few words, and only when nothing
# after the number names what it is ("2 nights" is not 2 days).
_LISTED = re.compile(r"(?:[,;]|\band|\bor|\bvs\.?|\bversus)\s*$")
_LIST_GAP = re.compile(r"[^.:!?]{0,60}")
_AFTER_LISTED = re.compile(r"\s*(?:$|[,;.)]|(?:for|in|with|among|on|at|vs|versus|and|or)\b)")


def _carry_units(
    quantities: list[Quantity], matches: list[re.Match[str]], converted: str, units: UnitTable
) -> list[Quantity]:
    unit, last_end = "", -1
    for index, (quantity, match) in enumerate(zip(quantities, matches, strict=True)):
        groups = match.groupdict()
        if quantity.dimension is None and unit and groups["num"] is not None and not groups["money"]:
            gap = converted[last_end : match.start()]
            number = groups["num"]
            if (
                _LIST_GAP.fullmatch(gap)
                and _LISTED.search(gap)
                and _AFTER_LISTED.match(converted, match.end())
                and not _YEAR.fullmatch(number)
            ):
                dimension, factor = units.by_word[unit]
                value = _number(number) * factor
                low, high = interval(value, value, quantity.qualifier)
                quantities[index] = Quantity(value, low, high, dimension, quantity.qualifier, quantity.text)
        written = (groups["unit"] or groups["lowunit"] or "").lower()
        if written in units.by_word:
            unit = written
        if quantities[index].dimension is not None:
            last_end = match.end()
    return quantities


_YEAR = re.compile(r"(?:1[89]|20)\d\d")
# A summary age given before its number ("average age 44", "a mean age of 38"); not an age that defines who is
# counted ("children under the age of 13", "adults aged 18 to 65"), which is no finding
_AGE_BEFORE = re.compile(r"\b(?:average|mean|median)\s+age(?:\s+(?:of|was|is))?\s*$")
_ONE_OF = re.compile(r"(?:an?\s+|the\s+)?1\s+of\s+\d")
_PEOPLE_AFTER = re.compile(rf"\b(?:{'|'.join(PEOPLE)})\b")
_DATED = re.compile(r"\b(?:in|since|from|by|until|through|during|a|an|the)\s+$", re.IGNORECASE)


def _dated(match: re.Match[str], converted: str, noun: str) -> bool:
    """A year-like number before a noun is a date when the noun is singular ("a 2022 study": a count takes a plural)
    or a preposition or article comes before it ("in 2019 patients", "the 2021 review")."""
    before = _DATED.search(converted, max(0, match.start() - 12), match.start())
    return not noun.lower().endswith("s") or before is not None


_RANKED = re.compile(r"(?:\btop|#)\s*$")


def _counted(match: re.Match[str], converted: str, units: UnitTable) -> str | None:
    """The noun a bare number counts a few words on ("242 people", "7 randomized controlled trials"); not a year
    a few words before a noun ("in 2014 researchers reported ... patients") nor a list's size ("top 5 gummies")."""
    if _RANKED.search(converted[max(0, match.start() - 8) : match.start()]):  # a bounded look back: no O(n²)
        return None
    follow = units.counted_pattern.match(converted, match.end())
    if follow is None:
        return None
    if _YEAR.fullmatch(match.group(0).strip()):
        noun = converted[match.end() : follow.end()].strip()
        # "in 2014 researchers reported ... patients", "a 2022 study": a year before a noun, not a count of it
        if noun.count(" ") > 0 or _dated(match, converted, noun):
            return None
    return converted[match.start() : follow.end()].strip()


def _quantity(match: re.Match[str], converted: str = "", units: UnitTable = GENERIC) -> Quantity:
    groups = match.groupdict()
    table = units.by_word
    qualifier = HEDGES.get((groups["hedge"] or "").lower(), "exact")
    if groups["num"] is not None:
        low = high = _number(groups["num"])
    else:
        low, high = _number(groups["low"]), _number(groups["high"])
    unit = (groups["unit"] or groups["lowunit"] or "").lower()
    dimension, factor = table.get(unit, (None, 1.0))
    text = match.group(0).strip()
    if dimension is None and not groups["money"] and groups["den"] is None and converted:
        counted = _counted(match, converted, units)
        if counted is not None:
            dimension, text = "count", counted
    if dimension == "count" and groups["num"] is not None and _YEAR.fullmatch(groups["num"]) and unit:
        if qualifier == "exact" and _dated(match, converted, text):
            dimension = None  # "the 2021 review", "a 2022 study": the year of a document, not a count of them
    if dimension is None and qualifier != "exact" and groups["num"] is not None and not groups["money"]:
        # "we had over 1,800", "around 2 of these": a hedged number whose noun the context gives is still a count
        if groups["den"] is None and not _YEAR.fullmatch(groups["num"]):
            dimension = "count"
    if dimension in (None, "time") and unit in ("", "year", "years") and converted and groups["den"] is None:
        age = _AGE_BEFORE.search(converted, max(0, match.start() - 24), match.start())
        if age is not None and not groups["money"]:
            dimension, factor, text = "age", 1.0, converted[age.start() : match.end()].strip()
    if groups["money"]:
        dimension, factor = "money", 1.0
    if groups["den"] is not None and _ONE_OF.match(text) and not _PEOPLE_AFTER.search(text):
        return Quantity(low, low, high, None, qualifier, text)  # "one of three treatments": which, not how many
    if groups["den"] is not None and not 0 <= low <= high <= _number(groups["den"]) > 0:
        return Quantity(low, low, high, None, qualifier, text)  # "1.3 million in 2007": no share is over its whole
    if groups["den"] is not None:
        denominator = _number(groups["den"])
        low, high, dimension, factor = low / denominator * 100, high / denominator * 100, "percent", 1.0
        qualifier = "about" if qualifier == "exact" else qualifier
    low_factor = table[groups["lowunit"].lower()][1] if groups["lowunit"] and groups["unit"] else factor
    low, high = low * low_factor, high * factor
    lo, hi = interval(low, high, qualifier)
    if groups["den"] is not None:
        hi = min(hi, 100.0)  # "6 of 6" is about all of them, never more than all
    return Quantity((low + high) / 2, lo, hi, dimension, qualifier, text)


def from_value(low: float, high: float, unit: str, qualifier: str, units: UnitTable = GENERIC) -> Quantity:
    """A curated structured value as a Quantity in base units."""
    dimension, factor = units.by_word.get(unit.lower(), (None, 1.0))
    lo, hi = interval(low * factor, high * factor, qualifier)
    number = f"{low:g}" if low == high else f"{low:g}-{high:g}"
    hedge = "" if qualifier == "exact" else qualifier.replace("-", " ") + " "
    return Quantity((low + high) / 2 * factor, lo, hi, dimension, qualifier, f"{hedge}{number} {unit}")


NARROW = 0.25  # a figure whose interval spans at most ±25% of its value is "narrow": found by its value


def is_wide(quantity: Quantity) -> bool:
    """Ranges and open bounds ("up to", "more than") are looked up by their lower bound, not their value."""
    return quantity.high - quantity.low > 2 * NARROW * abs(quantity.value) or quantity.high == math.inf


def near(quantity: Quantity) -> tuple[float, float]:
    """The values a narrow stored figure can have if its interval overlaps `quantity`'s."""
    low, high = quantity.low, quantity.high
    return (low / (1 + NARROW), high / (1 - NARROW)) if low >= 0 else (low * (1 + NARROW), high / (1 - NARROW))
