"""Whether texts occur in one long text, for many texts: a long page checked for every quote taken from it.

`quote in text` scans the text up to where the quote is, and a page quoted a hundred thousand times is scanned as
often. After a few look-ups the text is indexed once by the characters that follow each of its spaces; a quote
with a space is then looked for only where its rarest such part follows a space of the text. Exact: where the quote
occurs, its space falls on a space of the text, followed by that part, so its place is among those looked at (and
each is checked whole); a quote too short for that is looked for by `in`."""

from __future__ import annotations

from collections import defaultdict

KEY = 16  # characters after a space that index the text (fewer leave common phrases with many places)
EAGER = 16  # look-ups by `in` before the text is indexed: a page quoted a few times is never indexed
FEW = 4  # places enough to check: the quote's later spaces are not looked up


class Occurrences:
    def __init__(self, text: str) -> None:
        self.text = text
        self._asked = 0
        self._after: dict[str, list[int]] | None = None

    def _index(self) -> dict[str, list[int]]:
        after: defaultdict[str, list[int]] = defaultdict(list)
        text, find = self.text, self.text.find
        space = find(" ")
        while space >= 0:
            after[text[space + 1 : space + 1 + KEY]].append(space)
            space = find(" ", space + 1)
        return dict(after)

    def __contains__(self, quote: str) -> bool:
        if self._after is None:
            self._asked += 1
            if self._asked <= EAGER:
                return quote in self.text
            self._after = self._index()
        best: tuple[int, list[int]] | None = None
        space = quote.find(" ")
        while 0 <= space <= len(quote) - 1 - KEY:
            places = self._after.get(quote[space + 1 : space + 1 + KEY])
            if places is None:
                return False  # that part follows no space of the text: the quote is not in it
            if best is None or len(places) < len(best[1]):
                best = (space, places)
            if len(places) <= FEW:
                break
            space = quote.find(" ", space + 1)
        if best is None:
            return quote in self.text
        offset, places = best
        text = self.text
        return any(place >= offset and text.startswith(quote, place - offset) for place in places)
