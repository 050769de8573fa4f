"""Article titles in the case the medical styles print them. A knowledge base stores a title as the source printed
it ("Light Therapy for Shift Workers: A Randomized Trial"); AMA, APA and NLM/Vancouver print the titles
of articles in sentence case, keeping capitals only on the first word, proper names and abbreviations. AMA and NLM
begin a subtitle in lower case, APA in upper case.

Proper names cannot be told from the words alone, so a word keeps its capital when it is an abbreviation or has
capitals or digits inside it ("DNA", "HealthDay", "COVID-19"), or lies in a name the source itself records: its
organisation, institution, city, journal, authors' family names, and the names it lists in `proper_nouns`
("United States"). A title not in Title Case is left as it is: it is already in the case its source chose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

WORD = re.compile(r"[^\W\d_][\w'’]*")  # hyphenated parts are words of their own: "Placebo-Controlled"
SUBTITLE = re.compile(r"[:?!]\s*$|\s[\u2014\u2013-]\s*$")  # what a subtitle follows: "Title: subtitle"
TITLE_CASE = 0.6  # the share of longer words that start with a capital for a title to be in Title Case
LONG = 4  # letters: shorter words ("of", "for", "and") are lower case in Title Case too


def _in_title_case(words: list[str]) -> bool:
    longer = [w for w in words if len(w) >= LONG]
    return bool(longer) and sum(w[0].isupper() for w in longer) >= TITLE_CASE * len(longer)


def _keeps_capitals(word: str) -> bool:
    """An abbreviation or a name with capitals inside it: "NMDA", "US", "HealthDay", "iPhone"."""
    return sum(c.isupper() for c in word) > 1 or any(c.isupper() for c in word[1:])


def _protected(title: str, names: Iterable[str]) -> set[int]:
    """Character offsets of the title that lie in a name the source records (matched whole, in any case)."""
    kept: set[int] = set()
    for name in names:
        if not name.strip():
            continue
        for found in re.finditer(rf"(?<!\w){re.escape(name.strip())}(?!\w)", title, re.IGNORECASE):
            kept.update(range(found.start(), found.end()))
    return kept


def names_of(source: Mapping[str, Any]) -> list[str]:
    """The proper names a source records, which keep their capitals in its title."""
    names = [str(source.get(key) or "") for key in ("organisation", "institution", "city", "container_title")]
    names += [str(author.get("family") or "") for author in source.get("authors") or []]
    return names + [str(name) for name in source.get("proper_nouns") or []]


def sentence_case(title: str, names: Iterable[str] = (), capitalise_subtitle: bool = False) -> str:
    """`title` in sentence case, keeping the capitals of abbreviations and of `names`; unchanged when it is not in
    Title Case."""
    words = list(WORD.finditer(title))
    if not _in_title_case([w.group(0) for w in words]):
        return title
    kept = _protected(title, names)
    out = list(title)
    for index, found in enumerate(words):
        word = found.group(0)
        first = index == 0
        subtitle = not first and bool(SUBTITLE.search(title[: found.start()]))
        if subtitle and capitalise_subtitle:
            out[found.start()] = word[0].upper()  # APA: "Title: A subtitle"
            continue
        if first or _keeps_capitals(word) or found.start() in kept:
            continue
        out[found.start()] = word[0].lower()
    return "".join(out)
