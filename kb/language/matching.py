"""From a sentence to knowledge-base claims: read its figures and cues, block on figures and rare words, score the
few candidates with rapidfuzz. Blocking first is what keeps `kb check` fast: scoring every sentence against every
claim costs ~0.7 s a page at 10,000 claims (../shared/reference/libraries.md).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from kb.fastclass import dataclass
from kb.language.cues import HEDGE, RECENT_STUDY, STUDY
from kb.language.knowledge import ClaimInfo, Knowledge, MentionInfo
from kb.text.levels import STOPWORDS
from kb.text.normalise import fold, words
from kb.text.quantities import Quantity, digits, extract_digits
from kb.text.units import GENERIC, UnitTable

FUZZY_CANDIDATES = 4  # near-verbatim quotes are looked for among the best-sharing claims only
CLAIM_SHARE = 4.0  # a sentence that states a claim shares about a quarter of the claim's weighted words


@dataclass(frozen=True)
class Facts:
    """What a sentence says, in the forms matching needs."""

    folded: str
    digitised: str
    quantities: tuple[Quantity, ...]
    words: tuple[str, ...]
    cites_study: bool
    says_recent: bool
    hedged: bool

    @property
    def measured(self) -> tuple[Quantity, ...]:
        """Figures with a unit kb can compare (a bare "4" in "4 patients" has one; "step 2" does not)."""
        return tuple(q for q in self.quantities if q.dimension is not None)


@dataclass(frozen=True)
class Match:
    claim: ClaimInfo
    score: float
    mentions: tuple[MentionInfo, ...] = ()  # the curated page quotes this sentence states
    wording: float = 0.0  # how much of the claim's wording the sentence shares, 0-100, figures left aside


URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)


def analyse(text: str, units: UnitTable = GENERIC) -> Facts:
    text = URL.sub(" ", text)  # the numbers in an address are not figures ("/23677-clinic-news-53/")
    folded = fold(text)
    converted = digits(text)
    quantities = tuple(extract_digits(converted, units))
    tokens = tuple(w for w in dict.fromkeys(words(converted)) if w not in STOPWORDS)
    return Facts(
        folded,
        converted,
        quantities,
        tokens,
        bool(STUDY.search(folded)),
        bool(RECENT_STUDY.search(folded)),
        bool(HEDGE.search(folded)),
    )


def _held_mentions(facts: Facts, claim: ClaimInfo) -> tuple[MentionInfo, ...]:
    """Page quotes curated for this claim that the sentence holds, or that hold the sentence (cheap: substrings)."""
    return tuple(
        m
        for m in claim.mentions
        if len(m.quote) >= 12 and (m.quote in facts.folded or (len(facts.folded) >= 20 and facts.folded in m.quote))
    )


def _near_mention(facts: Facts, claim: ClaimInfo) -> tuple[float, tuple[MentionInfo, ...]]:
    """A curated quote the sentence repeats with small changes (rapidfuzz; only tried on the best candidates)."""
    best: tuple[float, tuple[MentionInfo, ...]] = (0.0, ())
    for mention in claim.mentions:
        if len(mention.quote) >= 12:
            score = fuzz.partial_ratio(mention.quote, facts.folded, score_cutoff=90)
            if score > best[0]:
                best = (score, (mention,))
    return best


def number_score(facts: Facts, claim: ClaimInfo) -> float:
    """1 when the sentence gives a figure of the claim's kind that agrees with the claim's value, else 0."""
    value = claim.quantity
    if value is None:
        return 0.0
    return 1.0 if any(q.overlaps(value) for q in facts.measured if q.dimension == value.dimension) else 0.0


def match(facts: Facts, view: Knowledge, threshold: float) -> list[Match]:
    """Claims the sentence states, best first: curated page quotes, else shared rare words and figures."""
    terms = view.selective_terms(list(facts.words))
    if not terms and not facts.measured:
        return []
    weights, by_number = view.candidates(list(facts.measured), list(terms))
    if not weights:
        return []
    sentence_weight = sum(terms.values()) or 1.0
    ranked = sorted(weights, key=lambda rowid: -weights[rowid])
    claims = view.claims(ranked)
    held = {claim.rowid: _held_mentions(facts, claim) for claim in claims}
    # Near-verbatim quotes are sought only when no quote is held verbatim, and among the best-sharing claims.
    fuzzy = set() if any(held.values()) else set(ranked[:FUZZY_CANDIDATES])
    found = []
    for claim in claims:
        mentions = held[claim.rowid]
        mention_score = 100.0 if mentions else 0.0
        if not mentions and claim.rowid in fuzzy:
            mention_score, mentions = _near_mention(facts, claim)
        entity = claim.value.get("entity")
        if entity and not mentions and fold(entity) not in facts.folded:
            continue  # "the study was done in Boston" is only stated by a sentence that names Boston
        shared = weights[claim.rowid]
        # Both ways: the sentence's rare words the claim has, and enough of the claim's words in the sentence, so a
        # short heading does not match every claim that happens to contain its three words.
        recall = min(1.0, shared / sentence_weight)
        precision = min(1.0, CLAIM_SHARE * shared / claim.weight) if claim.weight else 0.0
        text_score = 100 * (0.5 * recall + 0.5 * precision)
        number = number_score(facts, claim) if claim.rowid in by_number else 0.0
        score = max(mention_score, (0.5 * text_score + 50 * number) if number else text_score)
        if score >= threshold:
            stated = mentions if mention_score >= 90 else ()
            found.append(Match(claim, round(score, 1), stated, round(max(text_score, mention_score), 1)))
    found.sort(key=lambda m: (-m.score, m.claim.id))
    return found
