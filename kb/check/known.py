"""What the registered pages state, by subject, for the `contradiction` rule: read through `Knowledge` on first
use, grouped by value so a value is compared once however many pages say it."""

from __future__ import annotations

from pathlib import Path

from kb.fastclass import dataclass, field
from kb.language.compare import ValueClass, value_classes
from kb.language.vocabulary import Vocabulary
from kb.text.paths import page_key


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
