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


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
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
