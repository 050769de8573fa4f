"""Risky wording in a sentence, by category (cure, guarantees, proven efficacy, absolute safety, superiority,
breakthrough, praise of results): the phrases come from `kb/resources/risky-wording.txt` unless the configuration
replaces or extends them, and a knowledge base adds its own (`risky_wording` in claims.yaml). A phrase just after
a negation in its clause ("there is no cure") does not count, nor one the page distances itself from ("beware of
clinics that promise a cure"), and a claim of proof that its own clause hedges ("studies show it may help") does not
either."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from kb.fastclass import dataclass
from kb.language.cues import CLAIMED_AFTER, DISTANCED, NEGATORS, alternatives
from kb.text.choices import expand, expanded
from kb.text.normalise import fold
from kb.text.resources import resource_lines

WORDING_FILE = "risky-wording.txt"
SAME_CLAIM = 6  # one category, this close ("breakthrough and cutting-edge", "proven, clinically proven"): one claim
OTHER = "configured phrase"  # the category of a phrase the configuration adds
PROOF = "efficacy stated as proven or established"
SAFETY = "absolute safety"
NOT_RISKY = "not risky"  # the shipped list's ordinary terms that hold a risky word ("breakthrough pain")
SAFETY_HEDGED = re.compile(
    r"\b(?:generally|usually|typically|likely|relatively|considered|appears?|seems?|may be|thought to be|mostly)"
    r"[^,;.!?]{0,15}$"
)
# An absolute stays absolute under a hedge: "appears to be completely safe" still promises no risk at all.
ABSOLUTE = re.compile(
    r"\b(?:completely|totally|perfectly|absolutely|entirely|100%|zero|free of|free from|without any)\b"
)
MODAL_BEFORE = re.compile(r"\b(?:may|might|could|can|possibly|potentially|perhaps)(?:\s+\w+){0,2}\s*$")
NEGATED = re.compile(rf"\b(?:{alternatives(NEGATORS - {'non'})})\b[^,;.!?]{{0,30}}$")
HEDGED = re.compile(
    r"^[^;.!?]{0,60}\b(?:may|might|could|suggests?|some|possibly|potentially|a few|small|limited|preliminary|"
    r"modest|slight|mixed|weak|though|although|however)\b"
)

ADVICE = {
    "cure or total relief": "Say what the evidence shows (in whom, how much, for how long) instead of a cure or "
    "total relief.",
    "guarantees": "No health outcome can be guaranteed: remove the guarantee.",
    PROOF: "Say what the evidence is and how strong (“in one small study, …”) instead of calling it proven.",
    "absolute safety": "Name the known side effects and risks instead of an absolute safety claim.",
    "superiority and leadership": "Remove the comparison, or cite the head-to-head evidence behind it.",
    "breakthrough and miracle": "Describe the treatment plainly: breakthrough and miracle language overstates any "
    "evidence.",
    "praise of results": "Report results with their figures and source instead of praise.",
    "disease claims": "A claim to treat or prevent a serious disease needs the trials behind it: cite them, or "
    "remove it.",
    OTHER: "Reword it with the hedged, approved wording, or remove it.",
}


@cache
def shipped_wording() -> dict[str, str]:
    """Folded phrase -> category, from the shipped list."""
    found: dict[str, str] = {}
    category = OTHER
    for line in resource_lines(WORDING_FILE):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            category = line[1:-1]
            continue
        for phrase in expand(fold(line)):  # folded once a line, not once each of its thousands of phrases
            found.setdefault(phrase, category)
    return found


def default_lexicon() -> tuple[str, ...]:
    return tuple(shipped_wording())


@dataclass(frozen=True)
class Wording:
    phrase: str  # as the lexicon gives it
    category: str
    start: int  # in the folded sentence
    end: int

    @property
    def advice(self) -> str:
        return ADVICE.get(self.category, ADVICE[OTHER])


def _alternative(phrase: str) -> str:
    parts = [re.escape(part) for part in fold(phrase).split()]
    return r"\s+".join(r"(?:\S+\s+){0,3}?\S*" if part == r"\*" else part for part in parts).replace(
        r"\s+(?:\S+\s+){0,3}?\S*\s+", r"\s+(?:\S+\s+){0,3}?"
    )


PIECE = re.compile(r"[\w'’%#$-]+")  # the words of a phrase or a sentence, without the punctuation around them


@cache
def _by_key_word(lexicon: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """A phrase's longest word (its rarest, as a rule) -> the phrases: a sentence is tried only against the phrases
    whose key word it has, and of those only the ones whose every word it has (`_words`), so "the best treatment"
    is not compiled and tried on every sentence with "treatment" (a lexicon written with choices holds thousands)."""
    index: dict[str, list[str]] = {}
    shipped = shipped_wording()  # already folded: most of a lexicon is the shipped list
    folded = {term if term in shipped else fold(term) for term in expanded(lexicon) if term.strip()}
    for phrase in sorted(folded, key=len, reverse=True):
        words = PIECE.findall(phrase.replace("*", " "))  # the words a sentence is read into (`_candidates`)
        if words:
            index.setdefault(max(words, key=len), []).append(phrase)
    return {word: tuple(phrases) for word, phrases in index.items()}


@cache
def _words(phrase: str) -> frozenset[str]:
    return frozenset(PIECE.findall(phrase.replace("*", " ")))


@cache
def _pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){_alternative(phrase)}(?![\w-])")


def _candidates(folded: str, lexicon: tuple[str, ...]) -> tuple[str, ...]:
    index = _by_key_word(lexicon)
    present = set(PIECE.findall(folded))
    found = {phrase for word in present if word in index for phrase in index[word] if _words(phrase) <= present}
    return tuple(sorted(found, key=lambda phrase: (-len(phrase), phrase)))


def _negates_inside(phrase: str, said: str) -> bool:
    """A wildcard took a negation the phrase does not have: "has not been shown to" is not "has * been shown to"."""
    return bool(set(said.split()) & NEGATORS - set(phrase.split()))  # both folded


@cache
def _own_expanded(own: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {fold(phrase): category for line, category in own for phrase in expand(line)}


def risky_wording(folded: str, lexicon: tuple[str, ...], own: dict[str, str] | None = None) -> Iterator[Wording]:
    """Risky phrases in a folded sentence, in order: each claim once ("non-habit forming and no hangover" is two
    absolute-safety claims, "proven, clinically proven" one proof claim)."""
    own = _own_expanded(tuple(own.items())) if own else {}
    if own:
        lexicon = tuple(dict.fromkeys((*lexicon, *own)))
    hits = sorted(
        (found.start(), -found.end(), phrase)
        for phrase in _candidates(folded, lexicon)
        for found in _pattern(phrase).finditer(folded)
    )
    categories = shipped_wording()
    last_end: dict[str, int] = {}
    taken_to = -1
    for start, negative_end, phrase in hits:
        end = -negative_end
        if start < taken_to:
            continue  # inside a longer phrase already read ("not habit forming" holds "habit forming")
        taken_to = end
        category = own.get(phrase) or categories.get(phrase, OTHER)
        if category == NOT_RISKY:
            continue  # "breakthrough pain": an ordinary term that holds a risky word
        if start - last_end.get(category, -SAME_CLAIM) < SAME_CLAIM:
            continue  # the same claim said twice in a breath
        if NEGATED.search(folded[max(0, start - 60) : start]) or _negates_inside(phrase, folded[start:end]):
            continue
        if DISTANCED.search(folded[max(0, start - 100) : start]) or CLAIMED_AFTER.match(folded, end):
            continue  # reported, not asserted: "beware of clinics that promise a cure", "a cure, some claim"
        just_before = folded[max(0, start - 40) : start]
        if category == PROOF and (HEDGED.search(folded[end : end + 80]) or MODAL_BEFORE.search(just_before)):
            continue  # "studies show it may help", "it may be an effective treatment for": a possibility
        if category == SAFETY and SAFETY_HEDGED.search(just_before) and not ABSOLUTE.search(phrase):
            continue  # "generally safe for most people", "considered safe": a hedged safety statement
        last_end[category] = end
        yield Wording(phrase, category, start, end)
