"""Names of institutions and journals a sentence credits a finding to, read from how they are written, whether or
not the knowledge base lists them: "Researchers at the Mayo Clinic", "University of Toronto", "a Harvard study",
"published in the journal Nature Medicine". The knowledge base's own lists find the names it knows (kb.store); these
patterns find the others, so a finding credited to an institution or journal the source does not name is noticed.
Case matters here: a name is capitalised, so the sentence is read as written, not folded."""

from __future__ import annotations

import re
from functools import cache

_NAME = r"[A-Z][\w'’.&-]*"
_JOINED = rf"{_NAME}(?:\s+(?:of|for|and|&|the|de)?\s*{_NAME})*"
_PLACE_WORDS = (
    r"University|Institute|Hospital|Clinic|College|Medical Center|Medical Centre|Medical School|School of Medicine|"
    r"Health System|Health Sciences|Research Center|Research Centre|Cancer Center|Children's Hospital"
)
_INSTITUTION = rf"\b(?:(?:{_NAME}\s+)*(?:{_PLACE_WORDS})(?:\s+of\s+{_JOINED})?|University\s+of\s+{_JOINED})"
# "a Harvard study", "the Stanford researchers": one capitalised word before a study noun, after an article
_STUDY_OF = r"\b(?:[Aa]n?|[Tt]he)\s+([A-Z][a-z]{2,})\s+(?:study|trial|team|researchers|scientists|review)\b"
# "researchers at Harvard", "a team from Stanford": the name after who did the work
_WORKED_AT = (
    rf"\b(?i:researchers|scientists|doctors|physicians|experts|investigators|a team|the team)\s+(?i:at|from)\s+"
    rf"(?:the\s+)?({_JOINED})"
)
_JOURNAL = rf"\b(?i:in\s+the\s+journal|published\s+in(?:\s+the)?(?:\s+journal)?|journal)\s+((?:The\s+)?{_JOINED})"
# capitalised words that open a study noun phrase without naming anyone
_NOT_NAMES = frozenset(
    {"Recent", "New", "Small", "Large", "Latest", "Major", "Clinical", "Pilot", "Randomized", "Randomised", "Single",
     "Similar", "Previous", "Landmark", "Later", "Earlier", "Second", "First", "Further", "Follow", "Research"}
)  # fmt: skip


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    """Compiled on first use: most pages credit no finding to anyone (a few ms a process otherwise)."""
    return tuple(re.compile(pattern) for pattern in (_INSTITUTION, _STUDY_OF, _WORKED_AT, _JOURNAL))


def credited_names(sentence: str) -> dict[str, list[str]]:
    """Institutions and journals the sentence names, as written ("Mayo Clinic", "Nature Medicine")."""
    INSTITUTION, STUDY_OF, WORKED_AT, JOURNAL = _patterns()  # noqa: N806 - the patterns' names
    institutions = [_trimmed(m.group(0)) for m in INSTITUTION.finditer(sentence)]
    institutions += [m.group(1) for m in STUDY_OF.finditer(sentence) if m.group(1) not in _NOT_NAMES]
    institutions += [_trimmed(m.group(1)) for m in WORKED_AT.finditer(sentence)]
    institutions = list(
        dict.fromkeys(name for name in institutions if not any(name in o for o in institutions if o != name))
    )
    journals = [_trimmed(m.group(1)) for m in JOURNAL.finditer(sentence)]
    return {"institution": institutions, "journal": [j for j in journals if j not in institutions]}


def _trimmed(name: str) -> str:
    return name.strip().rstrip(".,;:")


def compatible(name: str, truth: str) -> bool:
    """The name is the source's, in full or in part ("Jefferson" for "Thomas Jefferson University")."""
    a, b = (re.sub(r"^the\s+", "", part.lower()).strip() for part in (name, truth))
    return bool(a) and (a in b or b in a)
