"""Times a sentence gives: numbers with a time unit, vague spans ("within minutes", "several weeks"), and times
relative to an event ("as soon as the session is finished", "after 4 sessions"), resolved against the page's or the
knowledge base's own values. The event's nouns are the terms of the subject a time is `relative_to`."""

from __future__ import annotations

import math
import re
from functools import cache

from kb.fastclass import dataclass, replace
from kb.language.intervals import interval_text, unit_scale
from kb.language.values import Relative, StatedValue, Statement
from kb.language.vocabulary import Vocabulary
from kb.language.words import Tokens
from kb.text.normalise import fold
from kb.text.quantities import Quantity, extract_digits
from kb.text.units import GENERIC, PEOPLE, UnitTable, singular

DAY = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}

_NEXT = {"minute": "hour", "hour": "day", "day": "week", "week": "month", "month": "year", "year": "year"}

_AMOUNT = {"a few": (2, 5), "few": (2, 5), "a couple of": (2, 3), "several": (3, 9), "many": (5, 0)}

_VAGUE = re.compile(
    r"(?<![\d.])(?<!\d )\b(?:(?:within|in|for|after)\s+)?(?:(?P<amount>a few|few|a couple of|several|many)\s+)?"
    r"(?P<unit>minute|hour|day|week|month|year)s\b"
    r"(?:\s+(?:or even|or|to|and even)\s+(?P<more>minute|hour|day|week|month|year)s\b)?"
)

_IMMEDIATE = re.compile(r"\b(?:immediately|instantly|right away|at once|straight away)\b(?!\s+after)")


@cache
def _event_patterns(events: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """ "As soon as the <event> is finished" and "after <n> <events>", for the event's nouns."""
    nouns = "|".join(sorted({re.escape(fold(e)) for e in events if e.strip()}, key=len, reverse=True))
    if not nouns:
        return None
    end = re.compile(
        r"\b(?:as soon as|once|when|by the time|right after|immediately after|shortly after)\s+(?:the\s+|your\s+)?"
        rf"(?:\w+\s+)?(?:{nouns})\s+(?:is\s+|has\s+)?(?:finish(?:es|ed)?|ends?|ended|over|complete[sd]?|done|stops?)\b"
        rf"|\b(?:by|at) the end of (?:the|an|each|your) (?:{nouns})\b"
    )
    after = re.compile(rf"\bafter\s+(?P<n>\d+)\s+(?:\w+\s+)?(?:{nouns})(?:e?s)?\b")
    return end, after


@dataclass(frozen=True)
class Candidate:
    value: StatedValue
    position: int  # token index in the digit form


def stated_quantities(
    converted: str, tokens: Tokens, dimension: str | None, units: UnitTable = GENERIC
) -> list[Candidate]:
    found = []
    for quantity in extract_digits(converted, units):
        if quantity.dimension != dimension or dimension is None:
            continue
        at = converted.find(quantity.text)
        found.append(Candidate(stated_quantity(quantity), tokens.index_at(max(at, 0))))
    if dimension == "time":
        found += _vague_times(converted, tokens)
    return found


def counting(candidates: list[Candidate], terms: tuple[str, ...]) -> list[Candidate]:
    """The counts that count what the subject talks about: "19 studies" is no count of a meta-analysis's
    participants. A count without its noun ("over 1,800") is kept; people nouns count people."""
    nouns = {singular(fold(term)) for term in terms}
    people = bool(nouns & {singular(p) for p in PEOPLE})
    kept = []
    for candidate in candidates:
        noun = fold(candidate.value.text).rsplit(" ", 1)[-1]
        if not noun.isalpha() or singular(noun) in nouns or (people and noun in PEOPLE):
            kept.append(candidate)
    return kept


def stated_quantity(quantity: Quantity) -> StatedValue:
    return StatedValue(quantity.text, quantity.low, quantity.high, quantity.dimension, quantity.qualifier)


def _vague_times(converted: str, tokens: Tokens) -> list[Candidate]:
    """Times without a number: "within minutes", "a few hours", "several weeks or even months", "immediately"."""
    found = []
    for match in _VAGUE.finditer(converted):
        unit = match.group("unit")
        low_count, high_count = _AMOUNT.get(match.group("amount") or "", (1, 0))
        low = low_count * DAY[unit]
        high = high_count * DAY[unit] if high_count else DAY[_NEXT[unit]]
        if match.group("more"):
            more = match.group("more")
            high = max(high, DAY[_NEXT[more]] if more != unit else high)
        found.append(Candidate(StatedValue(match.group(0), low, high, "time", "about"), tokens.index_at(match.start())))
    for match in _IMMEDIATE.finditer(converted):
        found.append(Candidate(StatedValue(match.group(0), 0.0, 10 / 1440, "time"), tokens.index_at(match.start())))
    return found


def stated_relatives(converted: str, tokens: Tokens, events: tuple[str, ...]) -> list[Candidate]:
    patterns = _event_patterns(events)
    if patterns is None:
        return []
    event_end, after_n = patterns
    found = []
    for match in event_end.finditer(converted):
        value = StatedValue(match.group(0), dimension="time", relative=Relative(0, match.group(0)))
        found.append(Candidate(value, tokens.index_at(match.start())))
    for match in after_n.finditer(converted):
        n = int(match.group("n"))
        value = StatedValue(match.group(0), dimension="time", relative=Relative(n, match.group(0)))
        found.append(Candidate(value, tokens.index_at(match.start())))
    return found


def _span_text(low: float, high: float) -> str:
    return interval_text(low, high, "time", unit_scale(StatedValue("", low, high)))


def resolve_relatives(statements: list[Statement], vocabulary: Vocabulary) -> list[Statement]:
    """ "As soon as the session is finished" on a page whose sessions take 2 to 4 hours is 2 to 4 hours in; "after
    4 sessions" is at least four of the shortest sessions anyone states. Without a page value, the knowledge
    base's span of values stands in."""
    resolved = []
    for statement in statements:
        relative = statement.value.relative
        if relative is None or statement.value.is_quantity:
            resolved.append(statement)
            continue
        anchor = vocabulary.by_id[statement.subject].relative_to
        label = vocabulary.by_id[anchor].label.lower() if anchor in vocabulary.by_id else "the event"
        own = [
            s.value
            for s in statements
            if s.subject == anchor and s.page == statement.page and s.value.is_quantity and s.value.low is not None
        ]
        known = vocabulary.known_range(anchor) if anchor else None
        if own:
            low = min(v.low for v in own if v.low is not None)
            high = max(v.high for v in own if v.high is not None)
            basis = f"this page gives {label} as {interval_text(low, high, 'time', unit_scale(*own))}"
        elif known:
            low, high = known
            basis = f"the knowledge base gives {label} as {_span_text(low, high)}"
        else:
            continue
        if relative.n == 0:
            span = (low, high)
        else:
            shortest = known[0] if known else low
            span = (relative.n * shortest, math.inf)
            basis = f"{relative.n} × the shortest recorded {label} ({_span_text(shortest, shortest)})"
        value = replace(statement.value, low=span[0], high=span[1], basis=basis)
        resolved.append(replace(statement, value=value))
    return resolved
