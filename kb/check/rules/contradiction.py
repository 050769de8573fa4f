"""The `contradiction` rule's cross-page half: what a sentence states on a subject (kb.language.statements) against the
source's own value and against what the registered pages state (the index's kb_statement table).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kb.language.compare import ValueClass, describe, disagree, source_as_value, value_classes
from kb.language.vocabulary import Vocabulary
from kb.pages.collect import page_key
from kb.text.normalise import fold

if TYPE_CHECKING:
    from kb.check.rules import Context
    from kb.records import Finding

SHOWN = 3  # known pages named in one message


@dataclass
class KnownPages:
    """Statements of the registered pages, by subject, read from the index on first use."""

    vocabulary: Vocabulary
    data_dir: Path | None
    _by_subject: dict[str, list[ValueClass]] = field(default_factory=dict)
    _registered: dict[str, str] | None = None
    _page_of: dict[str, str | None] = field(default_factory=dict)

    def classes(self, subject: str) -> list[ValueClass]:
        """The known statements on a subject grouped by value: a value is compared once, however many pages say it."""
        if subject not in self._by_subject:
            statements = self.vocabulary.view.stored_statements(subject)
            self._by_subject[subject] = value_classes(statements)
        return self._by_subject[subject]

    def page_of(self, path: str) -> str | None:
        """The registered page id of a checked file, so a page is never compared with itself."""
        if path not in self._page_of:
            if self._registered is None:
                data_dir = self.data_dir or Path(".")
                self._registered = {
                    page_key(data_dir / file): ident for ident, file in self.vocabulary.view.page_files()
                }
            self._page_of[path] = self._registered.get(page_key(path))
        return self._page_of[path]


def cross_page(ctx: Context) -> Iterator[Finding]:
    """A statement that conflicts with the source's value or with registered pages: one finding per statement."""
    known = ctx.known
    if known is None:
        return
    own_page = known.page_of(ctx.path)
    messages = []
    for statement in ctx.statements:
        spec = known.vocabulary.by_id[statement.subject]
        entity = statement.value.entity
        known_names = known.vocabulary.entity_names.get(spec.entity_type or "", {})
        if entity is not None and fold(entity) in known_names:
            continue  # a study put in a known wrong city or journal is the misattribution rule's finding
        parts: list[str] = []
        backed = False  # the source says what this page says: pages that disagree are theirs to fix, not this one's
        for source in known.vocabulary.source_values(statement.subject):
            truth = source_as_value(source, spec)
            if truth is None:
                continue
            if not disagree(statement.value, truth):
                backed = True
            elif not parts:
                parts.append(f"the source ({source.cite}) says {describe(truth, statement.value)}")
        if backed and not parts:
            continue
        clashes = [
            other
            for cls in known.classes(statement.subject)
            if disagree(statement.value, cls.value)
            for other in cls.statements
            if other.page != own_page
        ]
        if clashes:
            pages = sorted({c.page for c in clashes})
            listed = "; ".join(
                f"{c.page} line {c.line} says {describe(c.value, statement.value)}" for c in clashes[:SHOWN]
            )
            more = f" and {len(clashes) - SHOWN} more" if len(clashes) > SHOWN else ""
            parts.append(f"{len(pages)} known page(s) disagree: {listed}{more}")
        if parts:
            said = describe(statement.value, statement.value)
            messages.append(f"{spec.label}: this page says {said} (“{statement.value.text}”); {'; '.join(parts)}")
    if messages:
        # One finding per sentence (findings are keyed by place): a sentence on two subjects names both.
        yield ctx.finding("contradiction", " | ".join(messages))
