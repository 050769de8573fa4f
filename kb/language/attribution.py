"""Which sources a sentence names: by journal, institution or first author, written as names (capitalised as the
source has them, so the journal "Sleep" is not found in the word "sleep"), and by year when it gives one."""

from __future__ import annotations

import re

from kb.language.knowledge import Knowledge, SourceInfo
from kb.text.normalise import fold

YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _written(original: str, name: str) -> bool:
    """A one-word name appears with its own capitals (a proper name, not a common word that happens to match it);
    a longer name is distinctive in any case ("the Journal of Sleep Research")."""
    flags = re.IGNORECASE if " " in name.strip() else 0
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", original, flags) is not None


def sources_named(view: Knowledge, original: str, by_year: bool = True) -> list[SourceInfo]:
    """The sources a sentence names; with a year in the sentence, only sources of that year (`by_year`: a whole
    page's years are of many things, so a page is read without it)."""
    folded = fold(original)
    named = view.named_entities(folded)
    authors = {record.id: record.first_author for record in view.source_records() if record.first_author}
    years = {int(year) for year in YEAR.findall(original)} if by_year else set()
    found = []
    for source in view.sources.values():
        names = [
            truth
            for kind, truth in (("journal", source.journal), ("institution", source.institution))
            if truth and fold(truth) in named.get(kind, []) and _written(original, truth)
        ]
        author = authors.get(source.id)
        if author and _written(original, author):
            names.append(author)
        if names and (not years or source.year in years):
            found.append(source)
    return found
