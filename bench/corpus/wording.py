"""Claim-like sentences with figures, the wording `knowledge.Generator` and the `kb check` page corpus share.

The order of `self.rng` calls is the generated data: moving or reordering any of them changes every file.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from .words import (
    HEDGE_WORDS,
    LONG_RANGES,
    MEASURES,
    NUMBER_WORDS,
    QUALIFIER_OF,
    RATIOS,
    SHORT_RANGES,
    STANCE_TEXT,
    STANCES,
    SYLLABLES,
    VERBS,
)

Record = dict[str, Any]


class Wording:
    """Sentence and figure makers over `rng` and a vocabulary of invented `names` (set by the subclass)."""

    rng: random.Random
    names: list[str]

    def _name(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).capitalize()

    def _place(self) -> str:
        return self.rng.choice(self.names)

    def _organisation(self) -> str:
        kind = self.rng.choice(("Clinic", "Pain Institute", "University Hospital", "Medical Center", "Health"))
        return f"{self._place()} {kind}"

    def figure(self, measure: str) -> tuple[str, Record]:
        """A phrase stating a figure of this measure, and the structured value it states."""
        dimension = MEASURES[measure][2]
        if dimension == "percent":
            return self._percent()
        if dimension == "time":
            return self._duration(SHORT_RANGES if measure == "session-length" else LONG_RANGES)
        if dimension == "count":
            return self._count(
                *(
                    ("infusion", (3, 4, 6, 8, 10, 12))
                    if measure == "course-size"
                    else ("patient", (6, 8, 12, 20, 61, 90, 120, 450, 1200, 2400))
                )
            )
        return self._price()

    def _percent(self) -> tuple[str, Record]:
        rng = self.rng
        if rng.random() < 0.4:
            num, den = rng.choice(RATIOS)
            words = rng.random() < 0.7
            text = f"{NUMBER_WORDS[num]} out of {NUMBER_WORDS[den]}" if words else f"{num} in {den}"
            return text, {
                "kind": "quantity",
                "value": round(100 * num / den, 1),
                "unit": "percent",
                "qualifier": "about",
            }
        if rng.random() < 0.3:
            total = rng.randint(12, 400)
            part = rng.randint(1, total)
            return f"{part} of {total}", {"kind": "quantity", "value": round(100 * part / total, 1), "unit": "percent"}
        hedge, value = rng.choice(HEDGE_WORDS), rng.randint(3, 97)
        unit = rng.choice(("percent", "%", "per cent"))
        text = f"{hedge}{value}{unit} of" if unit == "%" else f"{hedge}{value} {unit} of"
        return text, {"kind": "quantity", "value": value, "unit": "percent", "qualifier": QUALIFIER_OF[hedge]}

    def _duration(self, ranges: Sequence[tuple[int, int, str]]) -> tuple[str, Record]:
        rng = self.rng
        low, high, unit = rng.choice(ranges)
        roll = rng.random()
        if roll < 0.45:
            joiner = rng.choice((" to ", "-", " and "))
            prefix = "between " if joiner == " and " else ""
            return f"{prefix}{low}{joiner}{high} {unit}s", {"kind": "quantity", "low": low, "high": high, "unit": unit}
        if roll < 0.6:
            hedge = rng.choice(("about ", "almost ", "up to ", ""))
            return f"{hedge}an {unit}" if unit == "hour" else f"{hedge}a {unit}", {
                "kind": "quantity",
                "value": 1,
                "unit": unit,
                "qualifier": QUALIFIER_OF[hedge],
            }
        hedge, value = rng.choice(HEDGE_WORDS), rng.choice((low, high))
        spoken = NUMBER_WORDS.get(value, str(value)) if rng.random() < 0.5 else str(value)
        return f"{hedge}{spoken} {unit}s", {
            "kind": "quantity",
            "value": value,
            "unit": unit,
            "qualifier": QUALIFIER_OF[hedge],
        }

    def _count(self, unit: str, values: Sequence[int]) -> tuple[str, Record]:
        rng = self.rng
        hedge, value = rng.choice(HEDGE_WORDS), rng.choice(values)
        spoken = NUMBER_WORDS.get(value, f"{value:,}") if rng.random() < 0.4 else f"{value:,}"
        return f"{hedge}{spoken} {unit}s", {
            "kind": "quantity",
            "value": value,
            "unit": unit,
            "qualifier": QUALIFIER_OF[hedge],
        }

    def _price(self) -> tuple[str, Record]:
        hedge, value = self.rng.choice(HEDGE_WORDS), self.rng.choice((350, 400, 450, 500, 650, 800, 1200))
        return f"{hedge}${value:,}", {
            "kind": "quantity",
            "value": value,
            "unit": "usd",
            "qualifier": QUALIFIER_OF[hedge],
        }

    def sentence(self, parts: tuple[str, str, str, str]) -> tuple[str, Record]:
        """A claim-like sentence about a subject, and the value it states."""
        treat, cond, pop, measure = parts
        label, kind, dimension = MEASURES[measure]
        if kind == "stance":
            stance = self.rng.choice(STANCES)
            return f"{treat.capitalize()} {STANCE_TEXT[stance]} for {pop} with {cond}", {
                "kind": "stance",
                "stance": stance,
            }
        if kind == "entity":
            organisation = self._organisation()
            return f"{treat.capitalize()} was first used for {cond} at {organisation} in {self._place()}", {
                "kind": "entity",
                "entity": organisation,
                "entity_type": "organisation",
            }
        phrase, value = self.figure(measure)
        return self._quantity_sentence(measure, phrase, treat, cond, pop), value

    def _quantity_sentence(self, measure: str, phrase: str, treat: str, cond: str, pop: str) -> str:
        verb = self.rng.choice(VERBS)
        templates = {
            "response-rate": f"{phrase} {pop} with {cond} {verb} after {treat}",
            "remission-rate": f"After {treat}, {phrase} {pop} with {cond} went into remission",
            "relief-duration": f"Relief from {treat} for {cond} lasted {phrase} in {pop}",
            "session-length": f"One {treat} for {cond} takes {phrase}",
            "course-size": f"A course of {treat} for {cond} in {pop} is {phrase}",
            "study-size": f"The {self._place()} study of {treat} for {cond} enrolled {phrase}",
            "session-price": f"One {treat} session for {cond} costs {phrase} at {self._organisation()}",
        }
        text = templates[measure]
        return text[0].upper() + text[1:]
