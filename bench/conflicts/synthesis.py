"""Statements synthesized from the generated pages as the engine reads them (kb imported inside the functions)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from corpus.statements import OUTLIER_RATE, make_page

Record = dict[str, Any]


def load_vocabulary() -> Any:
    from kb.index.build import ready
    from kb.settings import resolve
    from kb.store.vocabulary import load_vocabulary

    return load_vocabulary(ready(resolve(None, None)))


def synthesize(
    vocabulary: Any, size: int | None = None, page_count: int | None = None, outlier_rate: float = OUTLIER_RATE
) -> tuple[list[Any], Record]:
    """`size` statements from pages 0, 1, ... in order (the last page cut short), or every statement of the first
    `page_count` pages; each distinct sentence read once by the engine, relative times resolved per page as
    `document_statements` does."""
    from kb.language.statements import sentence_statements
    from kb.language.times import resolve_relatives
    from kb.language.values import Statement

    cache: dict[str, list[tuple[str, Any]]] = {}
    made: list[Any] = []
    pages = meant = misread = 0
    while len(made) < (size or math.inf) and pages < (page_count or math.inf):
        page = make_page(pages, outlier_rate)
        pages += 1
        text, placed = page.layout()
        own = []
        for sentence, line, column, start in placed:
            found = cache.get(sentence)
            if found is None:
                found = cache[sentence] = sentence_statements(sentence, vocabulary)[0]
            misread += not found
            meant += 1
            quote = text[start : start + len(sentence)]  # a string of its own, as reading a page makes
            for subject, value in found:
                own.append(
                    Statement(subject, page.ident, page.path, line, column, line, column + len(quote), quote, value)
                )
        made += resolve_relatives(own, vocabulary)[: (size or len(made) + len(own)) - len(made)]
    facts = {"pages": pages, "sentences": meant, "distinct_sentences": len(cache), "misread": misread}
    return made, facts


def statement_keys(statements: Sequence[Any]) -> list[tuple[Any, ...]]:
    from kb.language.compare import value_key

    return sorted((s.page, s.line, s.subject, value_key(s.value)) for s in statements)
