"""kb: an evidence-claims knowledge base with citations, and a linter for the health claims on web pages.

The Python API (docs/api.md): `kb.load` opens the knowledge base; `kb.check_pages`, `kb.search`,
`kb.find_contradictions`, `kb.cite` and `kb.validate` do what `kb check`, `kb search`, `kb contradictions`, `kb cite`
and `kb validate` do and return their result records; failures are `kb.KBError` and its subclasses. (`kb.check` and
`kb.contradictions` are the packages that do the work, hence the longer names.) The names are loaded from `kb.api`
on first use (PEP 562), so `import kb` itself imports nothing else. For static types, import them from `kb.api`,
where they are defined.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = [
    "CiteRefused",
    "DataError",
    "InvalidData",
    "KBError",
    "KnowledgeBase",
    "NotFound",
    "UsageError",
    "check_pages",
    "cite",
    "find_contradictions",
    "load",
    "search",
    "validate",
]


def __getattr__(name: str) -> Any:
    # import_module, not an import statement (not even under TYPE_CHECKING): the foundation imports this package
    # for __version__, and the import graph (lint-imports) must not show it reaching every stage through kb.api.
    if name in __all__:
        from importlib import import_module

        value = getattr(import_module("kb.api"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kb' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({"__version__", *__all__})
