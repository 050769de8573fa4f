"""What reading the registered pages' statements asked of the claims, so an update knows when to read them again.

Statements (kb_statement) are read from the pages with the vocabulary, which sees the claims only through its
knowledge view (kb.store.knowledge.KnowledgeView): the named entities, a subject's claims, the claims a source
supports... A build records every attribute and call the extraction made on the view (`Recording`), stored in
kb_meta as `statement_reads`. An update that changed only claims replays those reads on the index before and after
(`replay`): when every answer is the same, the extraction would take the same path to the same statements (it is
deterministic, and its other inputs — pages, subjects, the frame — did not change), so they are kept. Otherwise,
or when a read had arguments that cannot be stored, they are read again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

OPAQUE = "opaque"  # a read whose arguments cannot be stored: statements are always read again


class Recording:
    """A knowledge view that notes what is asked of it (attributes and calls, in first-asked order)."""

    def __init__(self, view: Any) -> None:
        self._view = view
        self.reads: list[list[Any]] = []
        self._seen: set[str] = set()
        self.opaque = False

    def _note(self, read: list[Any]) -> None:
        try:
            key = json.dumps(read)
        except (TypeError, ValueError):
            self.opaque = True
            return
        if json.loads(key) != read:  # tuples, non-text keys: would not replay the same
            self.opaque = True
        elif key not in self._seen:
            self._seen.add(key)
            self.reads.append(read)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._view, name)
        if not callable(value):
            self._note([name])
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            if kwargs:
                self.opaque = True
            self._note([name, [list(a) if isinstance(a, tuple) else a for a in args]])
            return value(*args, **kwargs)

        return call

    def merge(self, reads: list[list[Any]], opaque: bool) -> None:
        """Take in what another process's copy of this recording noted after the two parted, in its order."""
        for read in reads:
            self._note(read)
        self.opaque = self.opaque or opaque

    def stored(self) -> str:
        return OPAQUE if self.opaque else json.dumps(self.reads)


def replay(view: Any, stored: str | None) -> list[Any] | None:
    """The answers `view` gives to the stored reads, or None when they cannot be replayed."""
    if not stored or stored == OPAQUE:
        return None
    answers = []
    for read in json.loads(stored):
        value = getattr(view, read[0])
        if len(read) > 1:
            method: Callable[..., Any] = value
            value = method(*read[1])
        answers.append(value)
    return answers
