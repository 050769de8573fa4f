"""Matching one sentence to claims, against a made-up physiotherapy knowledge base held in memory (tests/fakes.py):
which claim ranks first, what the threshold keeps out, figures as candidates, curated quotes, negation, and
`number_score`."""

from __future__ import annotations

from typing import Any

import pytest

from kb.language.cues import NEGATION
from kb.language.knowledge import ClaimInfo
from kb.language.matching import Match, analyse, match, number_score
from tests.fakes import FakeKnowledge, claim_record

THRESHOLD = 70.0  # kb check's default


def _value(value: float, unit: str, qualifier: str = "exact") -> dict[str, Any]:
    return {"kind": "quantity", "value": value, "unit": unit, "qualifier": qualifier}


CLAIMS = [
    claim_record(
        "knee-pain-30",
        "Twice-weekly knee physiotherapy cut pain scores by 30 percent.",
        "knee-pain",
        value=_value(30, "percent"),
        mentions=[
            {"page": "clinic", "quote": "Knee physio slashes pain by a third", "verdict": "overstated", "note": "30%."}
        ],
    ),
    claim_record(
        "knee-walking-20-min",
        "After knee physiotherapy, patients walked for 20 minutes longer.",
        "knee-walking",
        value=_value(20, "minute"),
    ),
    claim_record(
        "shoulder-reach", "Shoulder physiotherapy restored overhead reach in most patients.", "shoulder-reach"
    ),
    claim_record(
        "back-class-45-min", "Back exercise classes lasted 45 minutes each.", "back-class", value=_value(45, "minute")
    ),
    claim_record(
        "back-class-pilot-90-min",
        "In the pilot, back exercise classes lasted 90 minutes each.",
        "back-class",
        value=_value(90, "minute"),
    ),
    claim_record(
        "hip-stairs-6-weeks",
        "Hip replacement patients climbed stairs again within 6 weeks of physiotherapy.",
        "hip-stairs",
        value=_value(6, "week", "up-to"),
    ),
    claim_record(
        "trial-in-dundee",
        "The knee physiotherapy trial took place in Dundee.",
        "knee-trial-city",
        value={"kind": "entity", "entity": "Dundee", "entity_type": "city"},
    ),
    claim_record(
        "sessions-40-to-60-min",
        "Hydrotherapy sessions ran for 40 to 60 minutes.",
        "hydrotherapy-length",
        value={"kind": "quantity", "low": 40, "high": 60, "unit": "minute"},
    ),
    claim_record(
        "three-sessions", "Hydrotherapy patients came three times.", "hydrotherapy-visits", value={"value": 3}
    ),
]
KB = FakeKnowledge(CLAIMS)


def matched(text: str, threshold: float = THRESHOLD) -> list[Match]:
    return match(analyse(text), KB, threshold)


def ids(text: str, threshold: float = THRESHOLD) -> list[str]:
    return [m.claim.id for m in matched(text, threshold)]


def claim(ident: str) -> ClaimInfo:
    (found,) = [c for c in KB.claims(list(range(1, len(CLAIMS) + 1))) if c.id == ident]
    return found


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Twice-weekly knee physiotherapy cut pain scores by 30 percent.", "knee-pain-30"),  # verbatim
        ("Knee physiotherapy cut pain scores by 30%.", "knee-pain-30"),  # "%" for "percent"
        ("After physiotherapy on their knee, patients could walk 20 minutes longer.", "knee-walking-20-min"),
        ("Shoulder physiotherapy gave most patients their overhead reach back.", "shoulder-reach"),
    ],
)
def test_the_claim_a_sentence_states_ranks_first(text: str, first: str) -> None:
    found = matched(text, threshold=0)
    assert found[0].claim.id == first
    assert found[0].score >= THRESHOLD
    assert all(m.score < found[0].score for m in found[1:])


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        ("Back exercise classes lasted 90 minutes.", "back-class-pilot-90-min", "back-class-45-min"),
        ("Back exercise classes lasted 45 minutes.", "back-class-45-min", "back-class-pilot-90-min"),
    ],
)
def test_the_stated_figure_ranks_its_claim_above_one_with_the_same_words(text: str, first: str, second: str) -> None:
    found = matched(text)
    assert [m.claim.id for m in found] == [first, second]
    assert found[0].score == 100.0 > found[1].score


def test_a_figure_the_claim_does_not_give_adds_nothing() -> None:
    """60 minutes agrees with neither class length: both score on their words alone, and tie."""
    found = matched("Back exercise classes lasted an hour.")
    assert sorted(m.claim.id for m in found) == ["back-class-45-min", "back-class-pilot-90-min"]
    assert found[0].score == found[1].score


def test_a_sentence_below_the_threshold_matches_nothing() -> None:
    text = "Our physiotherapy clinic opens on Saturdays."  # shares one common word with five claims
    facts = analyse(text)
    weights, _ = KB.candidates(list(facts.measured), list(KB.selective_terms(list(facts.words))))
    assert len(weights) == 5  # the candidates are there: the threshold is what keeps them out
    assert all(m.score < THRESHOLD for m in matched(text, threshold=0))
    assert matched(text) == []


def test_a_sentence_with_no_known_word_or_figure_has_no_candidates() -> None:
    assert matched("Zebras gallop across open plains.", threshold=0) == []


def test_a_figure_alone_finds_its_claim_for_half_the_score() -> None:
    """No word in common: "15 of 50" is 30% (about), the knee claim's figure; the figure counts for 50 points."""
    text = "Fifteen of fifty sleepers rested soundly."
    facts = analyse(text)
    assert KB.selective_terms(list(facts.words)) == {}
    weights, by_number = KB.candidates(list(facts.measured), [])
    assert {claim.id for claim in KB.claims(sorted(by_number))} == {"knee-pain-30"}
    assert [(m.claim.id, m.score) for m in matched(text, threshold=0)] == [("knee-pain-30", 50.0)]
    assert matched(text) == []


def test_a_figure_lifts_a_claim_with_few_shared_words_over_the_threshold() -> None:
    (words_only,) = [
        m.score for m in matched("Knee patients were better off.", threshold=0) if m.claim.id == "knee-pain-30"
    ]
    assert words_only < THRESHOLD
    (first, *_) = matched("Knee patients were better off by 30%.")
    assert first.claim.id == "knee-pain-30"
    assert first.score >= THRESHOLD


def test_a_sentence_holding_a_curated_quote_carries_the_mention() -> None:
    (first, *_) = matched("At our clinic, knee physio slashes pain by a third!")
    assert (first.claim.id, first.score) == ("knee-pain-30", 100.0)
    assert [m.verdict for m in first.mentions] == ["overstated"]


def test_a_near_verbatim_quote_is_found_by_fuzzy_matching() -> None:
    (first, *_) = matched("Knee physio slashes pain by one third, we say.")  # "one third" for "a third"
    assert [m.quote for m in first.mentions] == ["knee physio slashes pain by a third"]


def test_a_quote_changed_too_much_is_not_the_mention() -> None:
    (first, *_) = matched("At our clinic, knee physio slashes the pain by a third!")  # partial ratio under 90
    assert first.claim.id == "knee-pain-30"
    assert first.mentions == ()


def test_an_entity_claim_needs_its_entity_named() -> None:
    assert ids("The knee physiotherapy trial took place in Dundee.")[0] == "trial-in-dundee"
    assert "trial-in-dundee" not in ids("The knee physiotherapy trial took place in Scotland.", threshold=0)


def test_a_negated_sentence_still_matches_its_claim() -> None:
    """Matching is polarity-blind (the rules compare polarity): a negation neither crashes nor hides the claim."""
    text = "Knee physiotherapy did not cut pain scores."
    assert NEGATION.search(analyse(text).folded)
    assert ids(text)[0] == "knee-pain-30"
    assert isinstance(matched("No, never, not without knee physiotherapy nor pain.", threshold=0), list)


def test_only_the_words_the_knowledge_base_knows_count_for_recall() -> None:
    """Today's behaviour: "liked", "clinic", "station" are in no claim, so they do not count against the match;
    "patients" and "physiotherapy" alone carry a short claim over the threshold."""
    found = matched("Patients liked the physiotherapy clinic near the station.")
    assert found[0].claim.id == "shoulder-reach"
    assert found[0].score >= THRESHOLD


@pytest.mark.parametrize(
    ("text", "ident", "score"),
    [
        ("Pain scores fell by 30%.", "knee-pain-30", 1.0),
        ("Pain scores fell by about 28 percent.", "knee-pain-30", 1.0),  # "about" widens to 25.2-30.8
        ("Pain scores fell by 30.5%.", "knee-pain-30", 1.0),  # within the 3% slack
        ("Pain scores fell by 33%.", "knee-pain-30", 0.0),
        ("Pain scores fell by 50%.", "knee-pain-30", 0.0),
        ("Pain fell after 30 minutes.", "knee-pain-30", 0.0),  # a figure of another kind
        ("Pain scores fell by 30 points.", "knee-pain-30", 0.0),  # no unit: not a measured figure
        ("Pain scores fell by 50% and then by 30%.", "knee-pain-30", 1.0),  # any figure that agrees
        ("Patients climbed stairs after 10 days.", "hip-stairs-6-weeks", 1.0),  # "within 6 weeks" is 0-42 days
        ("Patients climbed stairs after 3 months.", "hip-stairs-6-weeks", 0.0),
        ("Sessions ran for 50 minutes.", "sessions-40-to-60-min", 1.0),  # inside a range
        ("Sessions ran for 90 minutes.", "sessions-40-to-60-min", 0.0),
        ("Sessions ran for an hour.", "sessions-40-to-60-min", 1.0),
        ("Most patients regained overhead reach in 3 weeks.", "shoulder-reach", 0.0),  # the claim has no figure
        ("Patients came 3 times.", "three-sessions", 0.0),  # a value with no unit is no quantity
    ],
)
def test_number_score(text: str, ident: str, score: float) -> None:
    assert number_score(analyse(text), claim(ident)) == score


def test_a_value_without_a_unit_is_no_quantity() -> None:
    assert claim("three-sessions").quantity is None
    assert claim("sessions-40-to-60-min").quantity is not None
