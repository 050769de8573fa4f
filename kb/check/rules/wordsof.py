"""Where a figure is in the page's own words: the reading rewrites numbers ("about an hour" is read "about 1
hour", "two and a half times" "2 and 1 out of 2 times"), and a finding quotes and points at what the page wrote."""

from __future__ import annotations

import re

from kb.check.context import Context, Span
from kb.text.normalise import SPACE_OR_DASH, loose
from kb.text.quantities import Quantity

WORD = re.compile(r"[^\W\d_][\w'’-]*")
NUMBER = re.compile(r"\d[\d.,]*")
_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
    r"billion|half|quarter|a|an|and|first|second|third|\d(?:[\d.,]*\d)?)"
)
# A number as the page may write it: "1,800", "one", "two and a half", "0.5–1"
SPELLED = rf"(?:{_NUMBER_WORD})(?:{SPACE_OR_DASH}+{_NUMBER_WORD})*?"


def figure_words(ctx: Context, quantity: Quantity) -> Span | None:
    """The figure's own words in the page, as written ("242 people", "at least one day"), when they can be found."""
    found = ctx.words(quantity.text)
    if found is not None:
        return found
    parts = NUMBER.split(quantity.text)
    pattern = rf"{SPACE_OR_DASH}*{SPELLED}{SPACE_OR_DASH}*".join(loose(part.strip()) for part in parts)
    anchored = any(part.strip() for part in parts)  # a bare spelled number ("six") could be any number word
    written = re.search(rf"(?<!\w){pattern}(?!\w)", ctx.span.text, re.IGNORECASE) if anchored else None
    if written is None:
        written = _spelled_before_unit(ctx.span.text, quantity.text)
    if written is None and " out of " in quantity.text:
        written = FRACTION.search(ctx.span.text)  # "about a third", read "about 1 out of 3"
    if written is None and (quantity.text == "50%" or quantity.text.endswith(" fold")):
        written = SAID_AS_WORD.search(ctx.span.text)  # "in half", "doubled", "fivefold", read "50%", "2 fold"
    if written is not None:
        return ctx.locate(written.group(0))
    # Its number alone, as a last resort: never a word around it ("about" is no figure).
    number = NUMBER.search(quantity.text)
    return ctx.words(number.group(0)) if number else None


FRACTION = re.compile(
    r"(?<!\w)(?:(?:about|around|roughly|almost|nearly|over|more than|less than|just over|just under)\s+)?"
    r"(?:a|one|two|three)[\s-]+(?:quarters?|thirds?|halves|half)(?!\w)|(?<!\w)half\s+of(?!\w)",
    re.IGNORECASE,
)
SAID_AS_WORD = re.compile(r"(?<!\w)(?:in half|halved|doubled|tripled|quadrupled|[a-z]+fold)(?!\w)", re.IGNORECASE)
_CONNECTORS = frozenset({"and", "out", "of", "a", "an", "in"})


def _spelled_before_unit(sentence: str, read: str) -> re.Match[str] | None:
    """Number words the reading rewrote ("two and a half times" read "2 and 1 out of 2 times"): the unit word, with
    the run of number words before it."""
    unit = next((w for w in reversed(WORD.findall(read)) if w.lower() not in _CONNECTORS), None)
    if unit is None:
        return None
    number = rf"(?:{_NUMBER_WORD}|out|of)"
    return re.search(
        rf"(?<!\w){number}(?:{SPACE_OR_DASH}+{number})*{SPACE_OR_DASH}+{re.escape(unit)}(?!\w)", sentence, re.I
    )
