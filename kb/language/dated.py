"""The date a page was published or updated, where its head gives one ("June 8, 2020", "8 June 2020",
"2022-02-04", "Published: March 2019"): a study the page calls "recent" is dated against it, not against today."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = ("january february march april may june july august september october november december").split()
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_YEAR = r"((?:19|20)\d\d)"
_WRITTEN = (
    re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.IGNORECASE),  # June 8, 2020
    re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s+{_YEAR}\b", re.IGNORECASE),  # 8 June 2020
    re.compile(rf"(?<![\d-]){_YEAR}-(\d\d)-(\d\d)(?![\d-])"),  # 2022-02-04
    re.compile(
        rf"\b(?:published|updated|posted|reviewed|last reviewed|last updated)\b\W{{0,3}}(?:on\s+)?"
        rf"{_MONTH}\s+{_YEAR}\b",
        re.IGNORECASE,
    ),  # fmt: skip
)
HEAD = 600  # characters: a byline or dateline sits at the top, not in the body's history ("in June 2004, …")


def _month(word: str) -> int:
    return next(number for number, name in enumerate(_MONTHS, 1) if name.startswith(word.lower().rstrip(".")[:3]))


def _read(form: int, groups: tuple[str, ...]) -> date:
    if form == 0:
        return date(int(groups[2]), _month(groups[0]), int(groups[1]))
    if form == 1:
        return date(int(groups[2]), _month(groups[1]), int(groups[0]))
    if form == 2:
        return date(int(groups[0]), int(groups[1]), int(groups[2]))
    return date(int(groups[1]), _month(groups[0]), 1)


def page_date(text: str, today: date) -> date | None:
    """The first real date in the head of a page's text, if any (never one after `today`)."""
    head = text[:HEAD]
    found: list[tuple[int, date]] = []
    for form, pattern in enumerate(_WRITTEN):
        for match in pattern.finditer(head):
            try:
                when = _read(form, match.groups())
            except ValueError:
                continue  # "February 30": not a date
            if when <= today:
                found.append((match.start(), when))
                break
    return min(found)[1] if found else None
