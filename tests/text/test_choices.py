"""Phrases written with choices, as the lexicons use them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.text.choices import expand, expanded


def test_each_choice_is_a_phrase_and_an_empty_choice_drops_the_word() -> None:
    assert expand("{studies|research} {confirm|confirmed}") == (
        "studies confirm",
        "studies confirmed",
        "research confirm",
        "research confirmed",
    )
    assert expand("the best {natural|} sleep aid") == ("the best natural sleep aid", "the best sleep aid")
    assert expand("no braces") == ("no braces",)
    assert expanded(["a {b|c}", "a b"]) == ("a b", "a c")


@pytest.mark.parametrize("phrase", ["{a|{b|c}}", "a {b|c", "a b|c}"])
def test_nested_or_unbalanced_braces_are_refused(phrase: str) -> None:
    with pytest.raises(ValueError, match="braces"):
        expand(phrase)


@given(st.lists(st.lists(st.text("abc", min_size=1, max_size=3), min_size=1, max_size=3), min_size=1, max_size=3))
def test_the_count_of_phrases_is_the_product_of_the_choices(groups: list[list[str]]) -> None:
    phrase = " ".join("{" + "|".join(group) + "}" for group in groups)
    found = expand(phrase)
    count = 1
    for group in groups:
        count *= len(set(group))
    assert len(found) == count and len(set(found)) == len(found)
