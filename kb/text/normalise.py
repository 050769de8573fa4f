"""Text normalisation shared by quote checking, search and (later) page checking.

Real pages are messy: `&rsquo t` (an entity with no semicolon), curly quotes, non-breaking spaces.
Matching compares normalised forms; positions and quotes shown to users stay verbatim.
"""

from __future__ import annotations

import re
from html.entities import name2codepoint

_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#\d+|[A-Za-z][A-Za-z0-9]*);?")
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200b": "",
        "\u2026": "...",
    }
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")


# HTML5 "numeric character reference end state": references to 0x80-0x9F mean windows-1252 characters.
_C1 = {
    0x80: "\u20ac",
    0x82: "\u201a",
    0x83: "\u0192",
    0x84: "\u201e",
    0x85: "\u2026",
    0x86: "\u2020",
    0x87: "\u2021",
    0x88: "\u02c6",
    0x89: "\u2030",
    0x8A: "\u0160",
    0x8B: "\u2039",
    0x8C: "\u0152",
    0x8E: "\u017d",
    0x91: "\u2018",
    0x92: "\u2019",
    0x93: "\u201c",
    0x94: "\u201d",
    0x95: "\u2022",
    0x96: "\u2013",
    0x97: "\u2014",
    0x98: "\u02dc",
    0x99: "\u2122",
    0x9A: "\u0161",
    0x9B: "\u203a",
    0x9C: "\u0153",
    0x9E: "\u017e",
    0x9F: "\u0178",
}


def codepoint(digits: str, base: int) -> str:
    """The character a numeric reference stands for, decoded as HTML5 does; never raises.

    NUL, surrogates and anything past U+10FFFF become U+FFFD (a lone surrogate could not even be encoded
    as UTF-8 later). Overlong digit strings are cut off before int(), which is slow and limited on them.
    """
    digits = digits.lstrip("0")
    if len(digits) > 8:
        return "\ufffd"
    code = int(digits, base) if digits else 0
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return _C1.get(code) or chr(code)


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#x"):
        return codepoint(name[2:], 16)
    if name.startswith("#"):
        return codepoint(name[1:], 10)
    code = name2codepoint.get(name)
    return chr(code) if code is not None else match.group(0)


def unescape(text: str) -> str:
    """Decode HTML entities, including the semicolon-less ones real pages contain."""
    return _ENTITY.sub(_entity, text) if "&" in text else text


def normalise(text: str) -> str:
    """Entities decoded, quotes and dashes straightened, whitespace collapsed. Case is kept."""
    return _SPACE.sub(" ", unescape(text).translate(_TRANSLATE)).strip()


def fold(text: str) -> str:
    """`normalise` plus lower case: the form used for matching."""
    return normalise(text).lower()


def words(text: str) -> list[str]:
    """Lower-case word tokens of already folded text."""
    return _WORD.findall(text)


SPACE_OR_DASH = r"[\s\-\u2010-\u2015]"  # one character of the runs that reading folds ("2 – 3" reads "2 - 3")
_SPACES_OR_DASHES = re.compile(SPACE_OR_DASH + "+")


def loose(text: str) -> str:
    """A regular expression for `text` in which any run of spaces and dashes matches any other: how a piece of the
    text as read ("long term", "2 - 3 week") is found again in the text as written ("long-term", "2 – 3 week")."""
    return (SPACE_OR_DASH + "+").join(re.escape(part) for part in _SPACES_OR_DASHES.split(text))
