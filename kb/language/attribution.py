"""Which sources a sentence names: by journal, institution or first author, written as names (capitalised as the
source has them, so the journal "Sleep" is not found in the word "sleep"), and by year when it gives one; and which
it describes by their sample ("a study of 61 patients")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb.language.knowledge import Knowledge, SourceInfo
from kb.text.normalise import fold
from kb.text.quantities import Quantity
from kb.text.units import PEOPLE

YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_STUDY = r"(?:study|trial|review|paper|analysis|meta-analysis|survey|report)"
# The year a sentence gives its study: "a 2019 study", "a recent 2018 trial", "a study (2016)", "published in 2019".
_CREDITED_YEAR = re.compile(
    rf"\b(?:(?:an?|the|this|that)\s+(?:(?:recent|new|newer|latest|newest|small|large|landmark)\s+)?"
    rf"((?:19|20)\d\d)\s+{_STUDY}"
    rf"|{_STUDY}\s+\(((?:19|20)\d\d)(?=\))"
    rf"|{_STUDY}\s+(?:(?:conducted|published|done|carried out)\s+)?in\s+((?:19|20)\d\d)(?!\s*[-–]?\s*\d)"
    r"|\bin\s+((?:19|20)\d\d),\s+(?:an?\s+|the\s+)?(?:\w+\s+)?(?:study|trial|review|researchers|scientists)"
    r"|published\s+(?:online\s+)?in\s+((?:19|20)\d\d))\b",
    re.IGNORECASE,
)


YEAR_SLACK = 1  # a paper online in one year and in print the next is cited with either
_OWN_PATIENTS = re.compile(
    r"\b(?:(?:in|at|of|among|from)\s+our\s+(?:own\s+)?(?:clinic|clinics|practice|center|centre|office)"
    r"|(?:our|my)\s+(?:own\s+)?(?:patients|clients|customers)|in\s+our\s+experience)\b",
    re.IGNORECASE,
)
# A study described by its sample: "a survey of 200 patients", "a trial involving more than 1,000 adults".
_SAMPLE_OF = re.compile(
    r"\b(?:study|survey|trial|poll|review|analysis|questionnaire)\s+(?:of|involving|with|including|among)\s+"
    r"(?:more than\s+|over\s+|nearly\s+|almost\s+|about\s+|around\s+)?(\d[\d,]*)\s+[a-z]"
)


def other_study(
    view: Knowledge,
    original: str,
    digitised: str,
    sources: Sequence[str],
    by_year: bool = True,
    own_patients: bool = True,
) -> bool:
    """The sentence reports a study that is none of `sources` (those a subject's finding rests on): it reports the
    page's own patients' outcomes (`own_patients`), gives a sample none of them has (a sample that is theirs
    settles it: a wrong year is then a misattribution), or dates it to a year none of them is from (`by_year`)."""
    if own_patients and _OWN_PATIENTS.search(original):
        return True
    sample = _SAMPLE_OF.search(digitised)
    sizes = {record.n for record in view.source_records() if record.id in sources and record.n}
    if sample is not None and sizes:
        return int(sample.group(1).replace(",", "")) not in sizes
    if not by_year:
        return False
    dated = [year for source in sources if source in view.sources and (year := view.sources[source].year)]
    credited = credited_year(original)
    return bool(credited and dated and all(abs(year - credited[0]) > YEAR_SLACK for year in dated))


def credited_year(original: str) -> tuple[int, str] | None:
    """The year the sentence dates its study to, and the words that say it."""
    said = _CREDITED_YEAR.search(original)
    if said is None:
        return None
    year = next(group for group in said.groups() if group)
    return int(year), year


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


SAMPLE = " count"  # how a source's sample size reads among its figures (kb.store.knowledge)
_PEOPLE = frozenset(PEOPLE)
SMALLEST_SAMPLE = 5  # "3 out of 4" is a proportion, not a study of four people
_WHOLE = re.compile(r"(?<![\d.])\d[\d,]*\s+(?:of|out of|in)\s+(?:the\s+|all\s+|these\s+)?(\d[\d,]*)(?![\d.])")


def counts_people(text: str) -> bool:
    """The figure counts people ("61 patients", "6 patient", a source's sample "61 count")."""
    if text.endswith(SAMPLE):
        return True
    noun = text.lower().rsplit(" ", 1)[-1]
    return noun in _PEOPLE or f"{noun}s" in _PEOPLE


def sources_sized(view: Knowledge, digitised: str, measured: Sequence[Quantity]) -> set[str]:
    """The sources whose sample the sentence gives: a count of people ("a study of 61 patients") or the whole a
    share is taken of ("6 of 6 patients") that is a source's sample size or its count of people."""
    sizes = {q.low for q in measured if q.dimension == "count" and q.qualifier == "exact" and counts_people(q.text)}
    sizes |= {float(whole.replace(",", "")) for whole in _WHOLE.findall(digitised)}
    sizes = {size for size in sizes if size >= SMALLEST_SAMPLE}
    if not sizes:
        return set()
    return {
        source
        for source, figure in view.figure_sources("count")
        if figure.low == figure.high and figure.low in sizes and counts_people(figure.text)
    }
