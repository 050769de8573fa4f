"""Figures said in words, rewritten so the number reader sees them: a measure "cut in half" or "halved" (50%),
"doubled" (2 fold), "fivefold" (5 fold); and an age that says who ("adults over 55", "children aged 6 to 12"),
read as an age rather than a count or a time. Each pass is tried only when the text holds a word it needs."""

from __future__ import annotations

import re

from kb.text.units import PEOPLE

# "cut sick days in half", "halved", "doubled", "tripled": a share or a ratio said without a number.
_IN_HALF = re.compile(
    r"\b(cut|cuts|reduced|reduces|reduce|slashed|slashes|slash)\b(\s(?:\S+\s){0,4}?"
    r"(?:risk|rate|rates|number|time|days|frequency|attacks|episodes|symptoms|pain|severity|cost|costs|chance|odds|"
    r"deaths|use|visits|admissions)\s)in half\b"
)  # a measure cut in half, not a pill
_TIMES_WORD = re.compile(r"\b(halved|doubled|tripled|quadrupled)\b")
_TIMES = {"halved": "fell by 50%", "doubled": "rose 2 fold", "tripled": "rose 3 fold", "quadrupled": "rose 4 fold"}
# "adults over 55", "children under 3 years": an age that says who, read as an age (not a count or a time).
_AGED = re.compile(
    rf"\b((?:{'|'.join(PEOPLE)}|teens|teenagers|infants|babies|toddlers|seniors)\s+"
    r"(?:over|under|older than|younger than|aged|ages|age|between)\s+)"
    r"(\d+)(?:\s*(?:-|to|and)\s*(\d+))?(?:\s+(?:years?|yrs?)(?:\s+(?:old|of age))?)?"
    r"(?=\s*(?:and|or)\s+(?:older|over|up|younger)\b|\s*[,.;:)]|\s*$|\s+(?:who|with|in|took|were|are|is|have|had)\b)"
)
# Just before an age that says who ("adults over 55 years old", as digits reads it): no statistic of the evidence.
WHO_AGED = re.compile(
    rf"\b(?:{'|'.join(PEOPLE)}|teens|teenagers|infants|babies|toddlers|seniors)\s+"
    r"(?:(?:over|under|older than|younger than|aged|ages|age|between)\s+(?:the age of\s+)?)?$"
)
_FOLD_WORD = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|twenty|hundred)fold\b")


def said_in_words(folded: str) -> str:
    """Before the number words become digits: the shares and ratios said without a number."""
    if "half" in folded and " in half" in folded:
        folded = _IN_HALF.sub(lambda m: f"{m.group(1)}{m.group(2)}by 50%", folded)
    if "led" in folded or "halved" in folded:
        folded = _TIMES_WORD.sub(lambda m: _TIMES[m.group(1)], folded)
    if "fold" in folded:
        folded = _FOLD_WORD.sub(r"\1 fold", folded)  # "fivefold": alpha2digit reads no number inside a word
    return folded


_AGE_WORDS = (" over ", " under ", " older ", " younger ", " aged ", " age", " between ")


def ages_of_who(converted: str) -> str:
    """After: "adults over 55" reads "adults over 55 years old"."""
    if any(word in converted for word in _AGE_WORDS):
        return _AGED.sub(_aged, converted)
    return converted


def _aged(match: re.Match[str]) -> str:
    ages = f"{match.group(2)} to {match.group(3)}" if match.group(3) else match.group(2)
    return f"{match.group(1)}{ages} years old"
