"""kb.text.occurrences: once the text is indexed, a quote is found exactly where `in` finds it."""

from __future__ import annotations

import random

from kb.text.occurrences import EAGER, Occurrences


def _indexed(text: str) -> Occurrences:
    found = Occurrences(text)
    for _ in range(EAGER + 1):
        assert "" in found  # the look-ups by `in`, then the index
    return found


def test_quotes_are_found_where_in_finds_them() -> None:
    chance = random.Random(12)
    words = ["a", "ab", "abc", "the", "patients", "patient", "reported", "relief", "2", "30%", "of", "in", "."]
    for _ in range(40):
        text = " ".join(chance.choice(words) for _ in range(400))
        found = _indexed(text)
        for _ in range(200):
            start = chance.randrange(len(text))
            quote = text[start : start + chance.randrange(1, 60)]
            if chance.random() < 0.3:  # a near miss: one character changed
                at = chance.randrange(len(quote))
                quote = quote[:at] + chance.choice("xp ") + quote[at + 1 :]
            assert (quote in found) == (quote in text), (quote, text)


def test_the_edges() -> None:
    text = "the  first words, and the last words"
    found = _indexed(text)
    for quote in ("the  first words", " first words, and", "the last words", "last words ", "words, and the",
                  "x the first", "the first", "", " ", "the  first words, and the last words"):  # fmt: skip
        assert (quote in found) == (quote in text), quote
