"""One reading of a sentence against the subject vocabulary: its tokens, the vocabulary phrases it contains grouped
by subject, its clauses, and the words that negate a phrase."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from kb.fastclass import dataclass
from kb.language.cues import MODALS, NEGATORS, STUDY_WORDS
from kb.language.vocabulary import Entry, Vocabulary
from kb.language.words import Tokens, stem, tokenize
from kb.text.quantities import digits

STUDY_STEMS = frozenset(stem(word) for word in STUDY_WORDS if " " not in word)

HEDGE_WINDOW = 4  # words before a stance phrase that can hedge it ("may also provide long-term relief")
NEGATION_WINDOW = 3  # words before a stance phrase that can negate it ("is not an addictive drug")


@dataclass
class Hit:
    entry: Entry
    start: int  # token index
    end: int
    negated: bool = False


def _hits(tokens: Tokens, vocabulary: Vocabulary) -> list[Hit]:
    """Every vocabulary phrase in the sentence (phrases are looked up by their first stem)."""
    found = []
    stems = tokens.stems
    for i, first in enumerate(stems):
        for entry in vocabulary.entries.get(first, ()):
            size = len(entry.words)
            if tuple(stems[i : i + size]) == entry.words:
                found.append(Hit(entry, i, i + size))
    return found


_JOINS = frozenset({"and", "or", "but", "while", "whereas", "although", "though"})


def negator(reading: Reading, start: int) -> int | None:
    """The word that negates a phrase starting at `start` ("is not an addictive drug"), if one is close before it
    in the same clause: "non-addictive and completely safe" does not negate "safe"."""
    tokens = reading.tokens
    for index in range(start - 1, max(0, start - NEGATION_WINDOW) - 1, -1):
        word = tokens.words[index]
        if word in _JOINS or _CLAUSE_BREAK.search(reading.converted, tokens.ends[index], tokens.starts[index + 1]):
            return None
        if word in NEGATORS and (word != "non" or index == start - 1):  # "non" is a prefix: "non-addictive"
            return index
    return None


def hedger(reading: Reading, start: int) -> int | None:
    """The modal that hedges a phrase starting at `start` ("may provide long-term relief"), if one is close before
    it in the same clause."""
    tokens = reading.tokens
    for index in range(start - 1, max(0, start - HEDGE_WINDOW) - 1, -1):
        word = tokens.words[index]
        if word in _JOINS or _CLAUSE_BREAK.search(reading.converted, tokens.ends[index], tokens.starts[index + 1]):
            return None
        if word in MODALS:
            return index
    return None


@dataclass
class Reading:
    """One sentence's hits, grouped by subject."""

    tokens: Tokens
    converted: str
    text: str  # the sentence as written (capitals tell a place name from a word)
    by_subject: dict[int, list[Hit]]
    treatment: bool
    other_treatment: bool
    study: bool


def read_sentence(text: str, vocabulary: Vocabulary, converted: str | None = None) -> Reading:
    converted = digits(text) if converted is None else converted
    tokens = tokenize(converted)
    by_subject: dict[int, list[Hit]] = {}
    treatment = other = False
    for hit in _hits(tokens, vocabulary):
        if hit.entry.role == "treatment":
            treatment = True
        elif hit.entry.role == "other":
            other = True
        else:
            by_subject.setdefault(hit.entry.subject, []).append(hit)
    study = not STUDY_STEMS.isdisjoint(tokens.stems)
    return Reading(tokens, converted, text, by_subject, treatment, other, study)


_CLAUSE_BREAK = re.compile(r"[,;:\u2014\u2013]|\s-\s|\b(?:but|while|whereas|although|though)\b")
# Where one statement of a sentence ends and the next begins: "attacks last 4 to 72 hours, while each session takes
# about an hour", "rose by 530% in ten years, and most of them had no symptoms" (commas alone do not: "fell, on
# average, by 7 minutes").
STATEMENT_BREAK = re.compile(r"[;:]|,\s+(?:and|but|while|whereas|although|though)\b|\s(?:while|whereas)\s|\s[-–—]\s")


def clause_ids(reading: Reading, breaks: re.Pattern[str] = _CLAUSE_BREAK) -> list[int]:
    """Which clause each word is in: clauses end at commas, semicolons, colons, dashes and "but",
    "while", "although"; not at brackets (an aside belongs to its clause) nor at "and" ("45 minutes and an hour").
    With `breaks=STATEMENT_BREAK`, which statement of the sentence each word is in."""
    at = [m.start() for m in breaks.finditer(reading.converted)]
    return [bisect_right(at, start) for start in reading.tokens.starts]


def roles_of(hits: Iterable[Hit]) -> dict[str, list[Hit]]:
    roles: dict[str, list[Hit]] = {}
    for hit in hits:
        roles.setdefault(hit.entry.role, []).append(hit)
    return roles


def subject_score(roles: dict[str, list[Hit]]) -> int:
    return 2 * len(roles.get("alias", ())) + len(roles.get("term", ())) + len(roles.get("cue", ()))
