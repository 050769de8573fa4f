"""The one "did you mean" of kb: the closest known name to a mistyped one, for ids, config keys, rules and units."""

from __future__ import annotations

from collections.abc import Iterable

CLOSE_ENOUGH = 60  # rapidfuzz ratio: "thresold" finds "threshold", "zzzzzz" finds nothing


def suggest(value: str, choices: Iterable[str]) -> str | None:
    """`did you mean 'x'?` for the closest choice, or None when nothing is close."""
    from rapidfuzz import fuzz, process  # on a miss only: `kb show` with a right id never pays for it

    match = process.extractOne(value, list(choices), scorer=fuzz.ratio, score_cutoff=CLOSE_ENOUGH)
    return f"did you mean {match[0]!r}?" if match else None


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """The hint for an unknown id in the data: the closest id, else where ids come from."""
    return suggest(value, choices) or "use an id defined in the data"
