"""kb.text.alternation: a trie-shaped alternation matches exactly what the longest-first alternation matches."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.text.alternation import longest_first, trie
from kb.text.units import GENERIC

LETTERS = "abµμΜ %-/."
WORDS = st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=5), min_size=1, max_size=12)


def _matches(alternation: str, text: str, flags: int) -> list[tuple[tuple[int, int], str]]:
    pattern = re.compile(rf"(?P<w>{alternation})(?:e?s)?(?![a-z])", flags)
    return [(m.span(), m.group("w")) for m in pattern.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(words=WORDS, text=st.text(alphabet=LETTERS + "es", max_size=30), ignore_case=st.booleans())
def test_trie_matches_as_the_longest_first_alternation(words: list[str], text: str, ignore_case: bool) -> None:
    flags = re.IGNORECASE if ignore_case else 0
    assert _matches(trie(words, flags), text, flags) == _matches(longest_first(words), text, flags)


def test_units_are_a_trie_with_the_micro_signs_in_one_branch() -> None:
    written = trie(GENERIC.by_word, re.IGNORECASE)
    assert written != longest_first(GENERIC.by_word)
    assert "[" in written  # µg and μg: characters that match each other share a branch
    assert re.fullmatch(written, "μG", re.IGNORECASE) and re.fullmatch(written, "mg/kg per hour", re.IGNORECASE)
