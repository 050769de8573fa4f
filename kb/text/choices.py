"""Phrases written with choices: `{a|b} c` stands for "a c" and "b c", `{a|}` for a word that may be left out. The
shipped lexicon, a configured one and a knowledge base's own risky wording are all written this way."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

_CHOICES = re.compile(r"\{([^{}]*)\}")


def expand(phrase: str) -> tuple[str, ...]:
    """The phrases one written with choices stands for, in order (a phrase without braces is itself)."""
    if "{" not in phrase and "}" not in phrase:
        return (phrase,)
    rest = _CHOICES.sub("", phrase)
    if "{" in rest or "}" in rest:
        raise ValueError(f"unbalanced or nested braces in {phrase!r}: write one {{a|b}} choice at a time")
    pieces = _CHOICES.split(phrase)  # literal, choices, literal, choices, ..., literal
    options = [piece.split("|") if index % 2 else [piece] for index, piece in enumerate(pieces)]
    return tuple(dict.fromkeys(" ".join("".join(parts).split()) for parts in itertools.product(*options)))


def expanded(phrases: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(one for phrase in phrases for one in expand(phrase)))
