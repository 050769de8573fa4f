"""A bibliographic record as the readers produce it, and the field clean-ups they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Record:
    """One bibliographic record: `key` is how the file names it (citation key, PMID), `fields` source fields."""

    key: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    design: str | None = None  # only when the record's publication type names one
    where: str = ""  # "refs.bib, record 2": for messages


def clean(text: object) -> str | None:
    """One line of text, or None for nothing."""
    if text is None:
        return None
    value = " ".join(str(text).split())
    return value or None


def page_range(text: object) -> str | None:
    """`875--879`, `875–879` -> `875-879`, as sources.yaml writes ranges."""
    value = clean(text)
    return re.sub(r"\s*(?:--|[–—-])\s*", "-", value) if value else None


MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}


def issued(year: object, month: object = None, day: object = None) -> str | None:
    """YYYY, YYYY-MM or YYYY-MM-DD from the parts a record gives (a month may be `Nov`, `11` or `November`)."""
    year_text = clean(year)
    if not year_text or not re.fullmatch(r"\d{4}", year_text[:4]):
        return None
    text = year_text[:4]
    month_text = (clean(month) or "").lower()
    number = int(month_text) if month_text.isdigit() else MONTHS.get(month_text[:3])
    if number and 1 <= number <= 12:
        text += f"-{number:02d}"
        day_text = clean(day) or ""
        if day_text.isdigit() and 1 <= int(day_text) <= 31:
            text += f"-{int(day_text):02d}"
    return text


def author(family: object, given: object = None) -> dict[str, str] | None:
    family_text = clean(family)
    if not family_text:
        return None
    given_text = clean(given)
    return {"family": family_text, "given": given_text} if given_text else {"family": family_text}


def split_name(name: str) -> dict[str, str] | None:
    """`Schwenk, Eric S.` (RIS, MEDLINE FAU) or `Schwenk ES` (MEDLINE AU) as an author."""
    if "," in name:
        family, _, given = name.partition(",")
        return author(family, given)
    parts = name.split()
    if len(parts) >= 2 and parts[-1].isupper() and len(parts[-1]) <= 3:
        return author(" ".join(parts[:-1]), " ".join(f"{letter}." for letter in parts[-1]))
    return author(name)


def compact(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in (None, "", [], {})}
