"""Names a sentence gives: the city, journal or institution it credits a study with, and whether the sentence
identifies that study (its size, its institution or first author, or one of its figures)."""

from __future__ import annotations

import math
import re
from functools import cache

from kb.language.sentence import Reading
from kb.language.values import StatedValue
from kb.language.vocabulary import SubjectSpec, Vocabulary
from kb.text.normalise import fold
from kb.text.quantities import Quantity, extract_digits, is_wide
from kb.text.resources import resource, resource_lines


def stated_entity(reading: Reading, subject: SubjectSpec, vocabulary: Vocabulary) -> StatedValue | None:
    """A name of the subject's entity type, in a sentence that identifies the subject's study."""
    if subject.entity_type is None or subject.source is None or not reading.study:
        return None
    pattern = vocabulary.entity_patterns.get(subject.entity_type)
    folded = fold(reading.converted)
    if pattern is None:
        return None
    names = {m.group(0) for m in pattern.finditer(folded)}
    if not names and subject.entity_type == "city":
        place = _place(reading.text)  # a city the knowledge base has never named ("a study out of Chicago")
        if place is not None and _identifies(reading, vocabulary, subject.source):
            return StatedValue(fold(place), entity=place)
        return None
    if len(names) != 1 or not _identifies(reading, vocabulary, subject.source):
        return None
    name = names.pop()
    return StatedValue(name, entity=vocabulary.entity_names[subject.entity_type][name])


_PLACE = re.compile(r"\b(?:[Oo]ut of|[Ii]n|[Aa]t|[Ff]rom|[Bb]ased in)\s+((?:[A-Z][a-z]+)(?:[ -][A-Z][a-z]+)?)")


def _place(text: str) -> str | None:
    """The one city a sentence names after "in", "at", "from" or "out of", by the GeoNames list of cities of
    15,000 people or more (kb/resources/cities15000.txt, loaded on first use: only sentences that name a study
    get here)."""
    found = {m.group(1) for m in _PLACE.finditer(text) if _is_city(m.group(1))}
    return found.pop() if len(found) == 1 else None


CITIES_FILE = "cities15000.txt"  # GeoNames (CC BY 4.0), written by tools/make_cities.py


@cache
def _cities() -> frozenset[str]:
    return frozenset(resource_lines(CITIES_FILE))


@cache
def _is_city(name: str) -> bool:
    """`name in _cities()`, looked up in the file's bytes: a run asks about a few names, and making the set of
    32,000 names costs a single-page check ~15 ms."""
    return bool(name) and "\n" not in name and f"\n{name}\n".encode() in _city_lines()


@cache
def _city_lines() -> bytes:
    return b"\n" + resource(CITIES_FILE).read_bytes() + b"\n"


def _identifies(reading: Reading, vocabulary: Vocabulary, source: str) -> bool:
    fingerprint = vocabulary.fingerprint(source)
    stems = set(reading.tokens.stems)
    if any(name <= stems for name in fingerprint.names):
        return True
    for quantity in extract_digits(reading.converted, vocabulary.view.units):
        if quantity.dimension == "count" and quantity.low == quantity.high and int(quantity.low) in fingerprint.n:
            return True
        if quantity.dimension and any(_same_figure(quantity, figure) for figure in fingerprint.figures):
            return True
    return False


def _same_figure(stated: Quantity, figure: Quantity) -> bool:
    """A study's figure restated: "almost 75 percent" for 77%, "up to 3 months" for up to 3 months, but not a
    range that merely contains it ("courses of 4-14 days" do not name the study that reported 5.1 days)."""
    if not stated.overlaps(figure):
        return False
    if not is_wide(stated):
        return True
    pad = 0.03 * max(abs(figure.high if figure.high != math.inf else figure.low), 1e-9)
    return abs(stated.low - figure.low) <= pad and (stated.high == figure.high or abs(stated.high - figure.high) <= pad)
