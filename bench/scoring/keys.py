"""Load and check the keys: every quote verbatim and found once in its page, every rule a known one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# The rule ids a key may name. Kept here, not imported, so the keys can be checked without kb installed;
# tests/accuracy/test_keys.py holds it equal to kb.check.registry.RULES.
RULES = frozenset({
    "unsupported-claim", "figure-mismatch", "misattribution", "disallowed-claim", "weak-evidence",
    "stale-recency", "contradiction", "unverified-statistic",
})  # fmt: skip
KEY_FIELDS = frozenset({"page", "scope", "about", "wanted", "acceptable"})
SPAN_FIELDS = frozenset({"quote", "rules", "why"})


class KeyError_(ValueError):
    """A key that cannot be scored: the message names the file and the entry."""


@dataclass(frozen=True)
class Span:
    page: str
    start: int
    end: int
    quote: str
    rules: tuple[str, ...]  # empty: any rule (acceptable spans only)
    why: str

    @property
    def primary(self) -> str:
        return self.rules[0] if self.rules else ""


@dataclass
class PageKey:
    page: str  # <domain>/<file name>
    domain: str
    scope: str
    about: str
    text: str
    wanted: list[Span] = field(default_factory=list)
    acceptable: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class Side:
    page: str | None
    span: Span | None
    claim: str | None


@dataclass(frozen=True)
class Pair:
    a: Side
    b: Side
    why: str


@dataclass
class ConflictKey:
    conflicts: list[Pair] = field(default_factory=list)
    agree: list[Pair] = field(default_factory=list)


def read_page(corpus: Path, page: str) -> str:
    return (corpus / page).read_bytes().decode("utf-8")


def locate(text: str, page: str, quote: str, where: str) -> tuple[int, int]:
    count = text.count(quote)
    if count != 1:
        found = "not found" if count == 0 else f"found {count} times"
        raise KeyError_(f"{where}: quote {quote!r} is {found} in {page}; quote it verbatim and uniquely")
    if "\n" in quote:
        raise KeyError_(f"{where}: quote {quote!r} crosses a line; keep it inside one sentence")
    start = text.index(quote)
    return start, start + len(quote)


def _span(entry: Any, page: str, text: str, where: str, *, rules_required: bool) -> Span:
    if not isinstance(entry, dict) or not set(entry) <= SPAN_FIELDS or "quote" not in entry:
        raise KeyError_(f"{where}: an entry needs quote, rules and why (got {entry!r})")
    rules = tuple(entry.get("rules") or ())
    unknown = [rule for rule in rules if rule not in RULES]
    if unknown or (rules_required and not rules):
        raise KeyError_(f"{where}: rules {list(rules)!r}; use one or more of {sorted(RULES)}")
    if not str(entry.get("why") or "").strip():
        raise KeyError_(f"{where}: say why")
    start, end = locate(text, page, str(entry["quote"]), where)
    return Span(page, start, end, str(entry["quote"]), rules, str(entry["why"]))


def load_page_key(path: Path, corpus: Path) -> PageKey:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict) or not set(raw) <= KEY_FIELDS or "page" not in raw:
        raise KeyError_(f"{path}: a key has {sorted(KEY_FIELDS)}")
    page = str(raw["page"])
    if Path(page).stem != path.stem or Path(page).parent.name != path.parent.name:
        raise KeyError_(f"{path}: page {page!r} does not match the key's file name")
    if raw.get("scope") not in ("in", "out"):
        raise KeyError_(f"{path}: scope is in or out")
    text = read_page(corpus, page)
    key = PageKey(page, path.parent.name, str(raw["scope"]), str(raw.get("about") or ""), text)
    for kind in ("wanted", "acceptable"):
        for i, entry in enumerate(raw.get(kind) or []):
            span = _span(entry, page, text, f"{path}: {kind}[{i}]", rules_required=kind == "wanted")
            getattr(key, kind).append(span)
    return key


def _side(raw: Any, corpus: Path, where: str) -> Side:
    if isinstance(raw, dict) and set(raw) == {"claim"}:
        return Side(None, None, str(raw["claim"]))
    if not isinstance(raw, dict) or set(raw) != {"page", "quote"}:
        raise KeyError_(f"{where}: a side is {{page, quote}} or {{claim}}")
    page = str(raw["page"])
    text = read_page(corpus, page)
    start, end = locate(text, page, str(raw["quote"]), where)
    return Side(page, Span(page, start, end, str(raw["quote"]), (), ""), None)


def load_conflicts(path: Path, corpus: Path) -> ConflictKey:
    key = ConflictKey()
    if not path.is_file():
        return key
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for kind in ("conflicts", "agree"):
        for i, entry in enumerate(raw.get(kind) or []):
            where = f"{path}: {kind}[{i}]"
            if not isinstance(entry, dict) or not {"a", "b"} <= set(entry):
                raise KeyError_(f"{where}: a pair has a, b and why")
            a, b = _side(entry["a"], corpus, where), _side(entry["b"], corpus, where)
            if a.page is None:
                raise KeyError_(f"{where}: side a is a page")
            getattr(key, kind).append(Pair(a, b, str(entry.get("why") or "")))
    return key


def load_domain(keys_dir: Path, corpus: Path, domain: str) -> tuple[list[PageKey], ConflictKey]:
    folder = keys_dir / domain
    pages = [load_page_key(path, corpus) for path in sorted(folder.glob("*.yaml")) if path.name != "conflicts.yaml"]
    return pages, load_conflicts(folder / "conflicts.yaml", corpus)
