"""When two values on one subject conflict: across pages, and between a page and the source's own value (the
report by subject is `kb.contradictions.report`).

Statements are grouped by subject, then by value, so comparing costs (distinct values)² per subject rather than
(statements)²: ten thousand pages that all say "about an hour" are one value. Two values conflict when their ranges
do not overlap (after the hedges "about", "almost", "up to" have widened them), when one figure comes with two
confidence intervals, when they take opposite stances, or when they name different entities for the same study.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from kb.fastclass import dataclass, replace
from kb.language.effects import read_effects
from kb.language.intervals import finer, interval_text, unit_scale
from kb.language.values import HEDGED, ONE_OF, StatedValue, Statement
from kb.language.vocabulary import SourceValue, SubjectSpec
from kb.text.normalise import fold

SLACK = 0.03  # ranges that miss each other by under 3% are read as touching (rounding in the prose)


@dataclass(frozen=True)
class ValueClass:
    """Statements that give one value (same interval, stance or entity)."""

    value: StatedValue
    statements: tuple[Statement, ...]
    pages: frozenset[str]

    @classmethod
    def of(cls, statements: Sequence[Statement]) -> ValueClass:
        return cls(statements[0].value, tuple(statements), frozenset(s.page for s in statements))


def value_key(value: StatedValue) -> tuple[object, ...]:
    if value.entity is not None:
        return ("entity", _name(value.entity))
    if value.stance is not None:
        return ("stance", value.stance, value.qualifier)
    if value.low is None or value.high is None:
        return ("unresolved", value.dimension, value.text)  # a relative time with nothing to resolve it against
    return ("quantity", value.dimension, round(value.low, 9), round(value.high, 9), value.ci)


def _name(entity: str) -> str:
    folded = fold(entity)
    return folded[4:] if folded.startswith("the ") else folded


def overlaps(a: StatedValue, b: StatedValue) -> bool:
    assert a.low is not None and a.high is not None and b.low is not None and b.high is not None
    tops = [abs(x) for x in (a.low, a.high, b.low, b.high) if x != math.inf]
    pad = SLACK * max(tops or [1e-9])
    return a.low - pad <= b.high and b.low - pad <= a.high


def _quantity_reason(a: StatedValue, b: StatedValue) -> str:
    # One unit when the values are of a size ("60 min vs 120–240 min"), each its own when not ("1 h vs 5.1 days").
    shared = unit_scale(a, b)
    one_unit = unit_scale(a) == unit_scale(b) or (_close(a, b) and not (_below_one(a, shared) or _below_one(b, shared)))
    left_scale, right_scale = (shared, shared) if one_unit else (unit_scale(a), unit_scale(b))
    left = interval_text(a.low, a.high, a.dimension, left_scale)
    right = interval_text(b.low, b.high, b.dimension, right_scale)
    return f"{left} vs {right}: the ranges do not overlap"


def _below_one(value: StatedValue, scale: tuple[float, str]) -> bool:
    """The value would read as a fraction in that unit ("0.125–0.375 days" for 3 to 9 hours)."""
    low = value.low if value.low not in (None, math.inf) else value.high
    return low is not None and 0 < abs(low) * scale[0] < 1


def _close(a: StatedValue, b: StatedValue) -> bool:
    tops = [v.high if v.high not in (None, math.inf) else v.low for v in (a, b)]
    small, big = sorted(abs(t or 0.0) for t in tops)
    return big <= 20 * small


def disagree(a: StatedValue, b: StatedValue) -> bool:
    """Whether two values on one subject conflict (`conflict_between` without building the reason)."""
    if a.entity is not None and b.entity is not None:
        return _name(a.entity) != _name(b.entity)
    if a.stance is not None and b.stance is not None:
        return a.stance != b.stance and ONE_OF not in (a.qualifier, b.qualifier)
    if a.is_quantity and b.is_quantity and a.dimension == b.dimension:
        if a.dimension == "percent" and not share_or_change_alike(a.low, b.low):
            return False
        if overlaps(a, b):
            return _other_interval(a, b)
        return not (_vague_within_interval(a, b) or _vague_within_interval(b, a))
    return False


def share_or_change_alike(a: float | None, b: float | None) -> bool:
    """Two percentages that could be one measure: a share of a whole is at most 100%, so "rose by 530%" is a change
    and not comparable with a share of 84%."""
    return a is None or b is None or (a > 100) == (b > 100)


_DIGIT = re.compile(r"\d+(?:\.\d+)?")


def _vague_within_interval(vague: StatedValue, point: StatedValue) -> bool:
    """A figure without a number ("a few minutes") inside the confidence interval of a point estimate (7.06 min,
    95% CI 4.37 to 9.75) does not contradict it: the estimate itself is that uncertain."""
    if _DIGIT.search(vague.text) or point.ci is None or point.low is None or point.low != point.high:
        return False
    written = _DIGIT.search(point.text)
    if written is None or float(written.group()) == 0:
        return False
    scale = point.low / float(written.group())  # the interval is in the figure's written unit
    low, high = point.ci[0] * scale, point.ci[1] * scale
    return vague.low is not None and vague.high is not None and vague.low <= high and low <= vague.high


def _other_interval(a: StatedValue, b: StatedValue) -> bool:
    """One figure, two confidence intervals: two summaries of one result that cannot both be right."""
    if a.ci is None or b.ci is None:
        return False
    pad = SLACK * max(a.ci[1], b.ci[1], 1e-9)
    return abs(a.ci[0] - b.ci[0]) > pad or abs(a.ci[1] - b.ci[1]) > pad


def conflict_between(a: StatedValue, b: StatedValue) -> str | None:
    """Why two values on one subject conflict, in one line; None when they agree or cannot be compared."""
    if not disagree(a, b):
        return None
    if a.entity is not None and b.entity is not None:
        return f"{a.entity} vs {b.entity} for the same study"
    if a.stance is not None and b.stance is not None:
        return f"{_stance(a)} vs {_stance(b)}: opposite stances"
    if overlaps(a, b) and a.ci is not None and b.ci is not None:
        return f"{_interval(a)} vs {_interval(b)} for the same figure: the intervals differ"
    return _quantity_reason(a, b)


def _interval(value: StatedValue) -> str:
    """A confidence interval's sizes, with its words when they are written otherwise ("-8.81 to -5.30")."""
    assert value.ci is not None
    sizes = f"95% CI {value.ci[0]:g} to {value.ci[1]:g}"
    return f"{sizes} (“{value.ci_text}”)" if value.ci_text and value.ci_text != sizes else sizes


def _stance(value: StatedValue) -> str:
    return value.stance if value.text == value.stance else f"{value.stance} (“{value.text}”)"


def hedged(value: StatedValue) -> bool:
    """A stance put as a possibility: it does not contradict a source that says the evidence is lacking."""
    return value.qualifier == HEDGED


def source_as_value(source: SourceValue, subject: SubjectSpec) -> StatedValue | None:
    """The source's value in the form page statements take; None when pages cannot state it (a stance the
    subject's vocabulary does not name, a figure in another dimension)."""
    if source.entity is not None:
        return StatedValue(source.entity, entity=source.entity)
    if source.stance is not None:
        return StatedValue(source.stance, stance=source.stance) if source.stance in subject.stances else None
    quantity = source.quantity
    if quantity is not None and quantity.dimension == subject.dimension:
        ci = next((i for i in read_effects(source.quote or "") if i.measure == "ci"), None)
        value = StatedValue(quantity.text, quantity.low, quantity.high, quantity.dimension, quantity.qualifier)
        return replace(value, ci=(ci.low, ci.high), ci_text=ci.text) if ci is not None else value
    return None


def value_classes(statements: Iterable[Statement]) -> list[ValueClass]:
    by_key: dict[tuple[object, ...], list[Statement]] = {}
    for statement in statements:
        by_key.setdefault(value_key(statement.value), []).append(statement)
    return [ValueClass.of(found) for found in by_key.values()]


def describe(value: StatedValue, *shown_with: StatedValue) -> str:
    """A value in a few words: the entity, the stance, or the normalised interval in a unit that also suits
    `shown_with` ("Philadelphia", "not-a-cure", "45–60 min")."""
    if value.entity is not None:
        return value.entity
    if value.stance is not None:
        return value.stance
    scale = unit_scale(value, *shown_with)
    top = value.high if value.high is not None and value.high != math.inf else value.low
    if top is not None and 0 < top * scale[0] < 1:
        scale = unit_scale(value)  # "0.0375–0.0458 days" beside a 5-day stay reads "54–66 min"
    if value.dimension == "time":
        scale = finer(scale, value.low, value.high)
    return interval_text(value.low, value.high, value.dimension, scale)
