"""Variations of a seed page for the `kb check` corpus: synonyms and hedges swapped, figures changed (phone numbers
kept), paragraphs reordered. Every function draws from the page's own `rng`, in a fixed order.
"""

from __future__ import annotations

import random
import re

from .words import NUMBER_WORDS

# fmt: off
SWAPS = {
    "study": "trial", "trial": "study", "studies": "trials", "trials": "studies", "patients": "people",
    "shows": "suggests", "suggests": "shows", "showed": "found", "found": "showed", "relief": "improvement",
    "treatment": "therapy", "therapy": "treatment", "treatments": "therapies", "therapies": "treatments",
    "effective": "helpful", "doctor": "physician", "physician": "doctor", "research": "evidence",
    "significant": "marked", "reduce": "lower", "may": "might", "might": "may", "clinic": "center",
    "recent": "new", "migraines": "migraine attacks", "pain": "discomfort", "often": "frequently",
    "typically": "usually", "usually": "typically", "help": "assist",
}
HEDGES = ("about", "around", "approximately", "nearly", "almost", "up to", "more than", "at least", "roughly")
SWAP_WORD = re.compile(r"\b(" + "|".join(sorted(SWAPS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
HEDGE_WORD = re.compile(r"\b(" + "|".join(HEDGES) + r")\b", re.IGNORECASE)
NUMBER = re.compile(r"(?<![\w.#&,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:(\s*(?:-|–| to | and )\s*)(\d+(?:\.\d+)?))?")
PHONE = re.compile(r"\(?\b\d{3}\)?[ .-]\d{3}-\d{4}\b")
PERCENT_AFTER = re.compile(r"\s*(?:%|percent|per cent)")
# fmt: on


def keep_case(old: str, new: str) -> str:
    return new[0].upper() + new[1:] if old[:1].isupper() else new


def swap_words(text: str, rng: random.Random, chance: float) -> str:
    def swap(found: re.Match[str]) -> str:
        word = found.group(0)
        return keep_case(word, SWAPS[word.lower()]) if rng.random() < chance else word

    text = SWAP_WORD.sub(swap, text)
    return HEDGE_WORD.sub(
        lambda m: keep_case(m.group(0), rng.choice(HEDGES)) if rng.random() < chance else m.group(0), text
    )


def scaled(value: float, rng: random.Random) -> float:
    return max(1.0, value * rng.choice((0.5, 0.75, 1.25, 1.5, 2.0, 3.0)))


def vary_value(raw: str, percent: bool, rng: random.Random) -> str:
    value = float(raw.replace(",", ""))
    if percent:
        return str(rng.randint(3, 97))
    if 1900 <= value <= 2035 and value.is_integer():
        return str(int(value) + rng.choice((0, 0, -1, -2, 1, 3)))
    if "." in raw:
        return f"{scaled(value, rng):.1f}"
    number = round(scaled(value, rng))
    if rng.random() < 0.15 and number in NUMBER_WORDS:
        return NUMBER_WORDS[number]
    return f"{number:,}" if number >= 1000 else str(number)


def vary_range(low: str, high: str, rng: random.Random) -> tuple[str, str]:
    a, b = sorted(round(scaled(float(x.replace(",", "")), rng)) for x in (low, high))
    if a == b:
        b = a + rng.choice((1, 2, 5, 10))
    return str(a), str(b)


def vary_figures(text: str, rng: random.Random, chance: float) -> str:
    """Change about `chance` of the figures (percentages, counts, durations, ranges, years; not phone numbers)."""
    phones = [m.span() for m in PHONE.finditer(text)]

    def vary(found: re.Match[str]) -> str:
        if rng.random() >= chance or any(a <= found.start() < b for a, b in phones):
            return found.group(0)
        low, joiner, high = found.group(1), found.group(2), found.group(3)
        if high is not None:
            new_low, new_high = vary_range(low, high, rng)
            return f"{new_low}{joiner}{new_high}"
        percent = PERCENT_AFTER.match(text, found.end()) is not None
        new = vary_value(low, percent, rng)
        before = text[max(0, found.start() - 14) : found.start()]
        if rng.random() < 0.12 and not before.endswith("$") and not HEDGE_WORD.search(before):
            return f"{rng.choice(HEDGES)} {new}"
        return new

    return NUMBER.sub(vary, text)


def shuffle_paragraphs(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Keep the opening paragraph; swap a few of the others; drop one now and then."""
    head, rest = paragraphs[:1], paragraphs[1:]
    for _ in range(rng.randint(0, max(1, len(rest) // 3))):
        if len(rest) > 1:
            i, j = rng.randrange(len(rest)), rng.randrange(len(rest))
            rest[i], rest[j] = rest[j], rest[i]
    if len(rest) > 4 and rng.random() < 0.3:
        del rest[rng.randrange(len(rest))]
    return head + rest
