"""Scope: which condition or use a page and a sentence are about, from the terms the knowledge base declares.

A claim applies only inside the knowledge base's scope. A sentence naming a scope term is in it; one naming only
`outside` terms is out; one naming neither takes its page's scope. A page is in scope when its scope terms are at
least as frequent as its outside terms, so a page naming neither is in scope (a sleep clinic's FAQ that lists
asthma once among six conditions is not an asthma page). A knowledge base that declares no scope terms puts
everything in scope.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property

from kb.fastclass import dataclass
from kb.text.normalise import fold


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    alternatives = sorted({re.escape(fold(term)) for term in terms if term.strip()}, key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?:e?s)?(?![\w-])")


@dataclass(frozen=True)
class ScopeTerms:
    terms: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()

    @property
    def declared(self) -> bool:
        return bool(self.terms)

    @cached_property
    def _inside(self) -> re.Pattern[str] | None:
        return _pattern(self.terms)

    @cached_property
    def _outside(self) -> re.Pattern[str] | None:
        return _pattern(self.outside)

    def counts(self, folded: str) -> tuple[int, int]:
        """How many scope terms and outside terms a folded text names."""
        inside = len(self._inside.findall(folded)) if self._inside else 0
        outside = len(self._outside.findall(folded)) if self._outside else 0
        return inside, outside

    def page_in_scope(self, folded_sentences: Iterable[str]) -> bool:
        if not self.declared:
            return True
        inside = outside = 0
        for folded in folded_sentences:
            i, o = self.counts(folded)
            inside, outside = inside + i, outside + o
        return inside >= outside  # a page that names neither is not shown to be about something else

    def sentence_in_scope(self, folded: str, page_in_scope: bool) -> bool:
        if not self.declared:
            return True
        inside, outside = self.counts(folded)
        if inside:
            return True
        return page_in_scope and not outside
