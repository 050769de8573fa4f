"""A value's interval in words, in one readable unit for values shown side by side ("30–45 min", "2–4 h")."""

from __future__ import annotations

import math

Scale = tuple[float, str]  # factor from the base unit, unit label


def unit_scale(*values: object) -> Scale:
    """One readable unit for values shown side by side: minutes up to 5 hours, hours up to 2 days, days up to
    90 days, then months (time's base unit is the day)."""
    tops = []
    for value in values:
        low, high = getattr(value, "low", None), getattr(value, "high", None)
        for bound in (high, low):
            if bound is not None and bound != math.inf:
                tops.append(bound)
                break
    top = max(tops, default=0.0)
    for limit, factor, unit in ((5 / 24, 1440.0, " min"), (2.0, 24.0, " h"), (90.0, 1.0, " days")):
        if top <= limit:
            return factor, unit
    return 1 / 30.44, " months"


_SMALLER = {" days": (24.0, " h"), " h": (1440.0, " min"), " months": (1.0, " days")}
_SHORT = 120  # a figure of at most this many of the smaller unit still reads at a glance ("4–72 h")


def finer(scale: Scale, low: float | None, high: float | None) -> Scale:
    """One unit smaller when the low end would read as a fraction ("0.167–3 days" is "4–72 h")."""
    if low is None or high is None or not 0 < low * scale[0] < 1 or scale[1] not in _SMALLER:
        return scale
    smaller = _SMALLER[scale[1]]
    return smaller if high != math.inf and high * smaller[0] <= _SHORT else scale


def interval_text(low: float | None, high: float | None, dimension: str | None, scale: Scale | None = None) -> str:
    """A normalised interval: "60 min", "120–240 min", "30–100 days", "≥ 2.7 h", "40%"."""
    if low is None or high is None:
        return "?"
    if dimension == "time":
        factor, unit = scale or (1.0, " days")
    else:
        factor, unit = 1.0, {"percent": "%", "ratio": "×"}.get(dimension or "", "")
    return _span(low, high, factor, unit)


def _span(low: float, high: float, factor: float, unit: str) -> str:
    def num(value: float) -> str:
        scaled = value * factor
        # Large figures in full with separators ("55,000", not "5.5e+04"): counts are whole numbers.
        return f"{round(scaled):,}" if abs(scaled) >= 1000 else f"{scaled:.3g}"

    if high == math.inf:
        return f"≥ {num(low)}{unit}"
    if low <= 0:
        return f"≤ {num(high)}{unit}"
    if abs(high - low) <= 1e-9 * max(1.0, abs(high)):
        return f"{num(low)}{unit}"
    return f"{num(low)}–{num(high)}{unit}"
