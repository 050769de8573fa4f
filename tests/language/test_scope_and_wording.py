"""Scope from the knowledge base's terms, and risky wording by category: the readers the rules rest on."""

from __future__ import annotations

import pytest

from kb.language.scope import ScopeTerms
from kb.language.wording import default_lexicon, risky_wording
from kb.text.normalise import fold

SLEEP = ScopeTerms(("sleep", "insomnia"), ("migraine", "cancer"))


def test_a_sentence_naming_a_scope_term_is_in_scope_whatever_its_page() -> None:
    assert SLEEP.sentence_in_scope(fold("It may help insomnia."), page_in_scope=False)


def test_a_sentence_naming_only_an_outside_term_is_out() -> None:
    assert not SLEEP.sentence_in_scope(fold("It may prevent migraines."), page_in_scope=True)


def test_a_sentence_naming_neither_takes_its_pages_scope() -> None:
    assert SLEEP.sentence_in_scope(fold("Take 3 mg."), page_in_scope=True)
    assert not SLEEP.sentence_in_scope(fold("Take 3 mg."), page_in_scope=False)


def test_a_page_is_out_of_scope_only_when_outside_terms_outnumber_its_own() -> None:
    assert SLEEP.page_in_scope([fold("Migraine and cancer."), fold("Also sleep.")]) is False
    assert SLEEP.page_in_scope([fold("Sleep and insomnia."), fold("Migraine too.")]) is True
    assert SLEEP.page_in_scope([fold("Nothing about either.")]) is True


def test_no_declared_scope_puts_everything_in_scope() -> None:
    assert ScopeTerms().sentence_in_scope(fold("It may prevent migraines."), page_in_scope=False)
    assert ScopeTerms().page_in_scope([fold("Migraine.")])


def _found(text: str, lexicon: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    return [
        (w.category, text.lower()[w.start : w.end]) for w in risky_wording(fold(text), lexicon or default_lexicon())
    ]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("This spray cures insomnia.", "cure or total relief"),
        ("Results guaranteed.", "guarantees"),
        ("It has been shown to work for everyone.", "efficacy stated as proven or established"),
        ("It is completely safe.", "absolute safety"),
        ("It is non-habit forming.", "absolute safety"),
        ("The best treatment there is.", "superiority and leadership"),
        ("A breakthrough for sleep.", "breakthrough and miracle"),
        ("Truly life-changing.", "praise of results"),
        ("Wake up with no grogginess.", "absolute safety"),
        ("A clinically shown formula.", "efficacy stated as proven or established"),
        ("The doctor-recommended choice.", "superiority and leadership"),
        ("It has also been shown to lower blood pressure.", "efficacy stated as proven or established"),
        ("Studies confirmed that it resets the body clock.", "efficacy stated as proven or established"),
        ("This cream effectively treats eczema.", "efficacy stated as proven or established"),
        ("There were no serious side effects in any patient.", "absolute safety"),
        ("It has few if any side effects.", "absolute safety"),
        ("Ours is the only formula that really works.", "superiority and leadership"),
        ("It is ideal for anyone who has trouble sleeping.", "superiority and leadership"),
        ("A powerful antioxidant that fights cancer.", "disease claims"),
        ("This device will end your back pain.", "cure or total relief"),
    ],
)
def test_each_category_is_named(text: str, category: str) -> None:
    assert [c for c, _ in _found(text)] == [category]


@pytest.mark.parametrize(
    "text",
    [
        "It is not a cure.",
        "There is no cure for insomnia.",
        "Studies show it may help some people.",  # proof hedged in its own clause
        "Nothing is guaranteed.",
        "The FDA approved it as an anesthetic.",  # an approval can be true: not a risky word
        "Beware of clinics that promise a cure.",  # the page distances itself from the promise
        "Myth: melatonin is non-addictive and has no side effects.",
        "Some sellers claim that their gummies are completely safe.",
        "Melatonin is generally safe for people who take it for a short time.",  # a hedged safety statement
        "It has not been shown to work for everyone.",  # the wildcard of "has * been shown to" took a negation
        "It is not clear whether it is safe for long-term use.",  # an open question, not an assertion
        "Ask your doctor if it is completely safe for you.",
        "No study has shown that it cures insomnia.",  # the page says the claim is not shown
        "There is little evidence that it is completely safe in pregnancy.",
        "The best way to take it is an hour before bed.",
        "The only treatment approved for this use is a prescription drug.",
    ],
)
def test_negated_hedged_and_true_statements_are_not_risky(text: str) -> None:
    assert _found(text) == []


def test_two_claims_of_one_category_are_two_but_a_pair_in_one_breath_is_one() -> None:
    assert len(_found("It is non-habit forming and has no hangover effects.")) == 2
    assert len(_found("Hailed as a breakthrough and cutting-edge.")) == 1


def test_a_configured_phrase_is_reported_under_its_own_heading() -> None:
    assert _found("It feels like magic.", ("like magic",)) == [("configured phrase", "like magic")]
