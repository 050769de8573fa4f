"""Words of folded text with their Snowball stems and offsets: how every sentence and every vocabulary phrase is
tokenized, so the two always compare alike."""

from __future__ import annotations

import re
from bisect import bisect_right

import snowballstemmer  # type: ignore[import-untyped]

from kb.fastclass import dataclass
from kb.text.normalise import fold

Phrase = tuple[str, ...]

_ARTICLES = frozenset({"a", "an", "the"})

_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")

_STEMMER = snowballstemmer.stemmer("english")

_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """Snowball stem, cached per process (a plain dict: this runs for every word of every page)."""
    found = _STEMS.get(word)
    if found is None:
        if len(_STEMS) > 200_000:
            _STEMS.clear()
        base = word[:-2] if word.endswith("'s") else word
        found = _STEMS[word] = str(_STEMMER.stemWord(base))
    return found


@dataclass(frozen=True, slots=True)
class Tokens:
    """Words of folded text with their stems and character offsets, articles dropped (so "the session" and
    "a session" read alike). Parallel lists: building one object per word costs more than the rest of reading."""

    words: list[str]
    stems: list[str]
    starts: list[int]
    ends: list[int]

    def __len__(self) -> int:
        return len(self.words)

    def index_at(self, offset: int) -> int:
        """The first word that ends after `offset`."""
        return bisect_right(self.ends, offset)


def tokenize(text: str) -> Tokens:
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        if word not in _ARTICLES:
            words.append(word)
            starts.append(match.start())
            ends.append(match.end())
    return Tokens(words, [_STEMS.get(w) or stem(w) for w in words], starts, ends)


def phrase(text: str) -> Phrase:
    return tuple(tokenize(fold(text)).stems)
