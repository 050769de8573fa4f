"""The keys of a settings table as typed values: each converter names the file, line and key of a bad value and the
fix (`Located` finds the line of a key in the file's text)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kb.check.config import (
    DEFAULT_LEXICON,
    KEYS,
    PYPROJECT,
    RULE_VALUES,
    SEVERITIES,
    RuleSetting,
    default_rules,
)
from kb.check.registry import RULES
from kb.data.sync import SyncSource
from kb.errors import UsageError
from kb.records import Severity
from kb.text.choices import expand
from kb.text.suggest import suggest

HEADER = re.compile(r"^\s*\[\[?([^\]]+)\]\]?\s*(#.*)?$")

_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')"""

ASSIGNMENT = re.compile(rf"^\s*({_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*=")


def _split_key(key: str) -> tuple[str, ...]:
    parts = re.findall(r"\"[^\"]*\"|'[^']*'|[^.\s]+", key)
    return tuple(part.strip("\"'") for part in parts)


def key_line(text: str, target: tuple[str, ...]) -> int | None:
    """The 1-based line defining the dotted key `target`, by scanning the text (TOML parsers drop positions)."""
    table: tuple[str, ...] = ()
    loose: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = HEADER.match(line)
        if header:
            table = _split_key(header.group(1))
            if table == target:
                return number
            continue
        assigned = ASSIGNMENT.match(line)
        if assigned and (*table, *_split_key(assigned.group(1))) == target:
            return number
        if loose is None and re.search(rf"(^|[\s{{,.])[\"']?{re.escape(target[-1])}[\"']?\s*=", line):
            loose = number  # e.g. a key inside an inline table
    return loose


class Located:
    """Raises UsageError at the line of a key inside the settings table."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.prefix: tuple[str, ...] = ("tool", "kb") if is_pyproject(path) else ()

    def error(self, keys: tuple[str, ...], message: str, hint: str | None = None) -> UsageError:
        line = key_line(self.text, (*self.prefix, *keys))
        column = None
        if line is not None:
            source = self.text.splitlines()[line - 1]
            found = source.find(keys[-1])
            column = found + 1 if found >= 0 else 1
        return UsageError(message, path=str(self.path), line=line, column=column, hint=hint)


def string(where: Located, key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise where.error((key,), f"{key} must be a non-empty string, not {value!r}")
    return value


def strings(where: Located, key: str, value: object) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
        raise where.error(
            (key,), f"{key} must be a list of non-empty strings, not {value!r}", hint=f'write {key} = ["…", "…"]'
        )
    return tuple(items)


def number(where: Located, key: str, value: object, low: float, high: float | None) -> float:
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if number is not None and not math.isfinite(number):
        number = None
    if number is None or number < low or (high is not None and number > high):
        span = f"between {low:g} and {high:g}" if high is not None else f"a number of at least {low:g}"
        raise where.error((key,), f"{key} must be {span}, not {value!r}")
    return float(number)


def choice(where: Located, keys: tuple[str, ...], value: object, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value.strip().lower() not in choices:
        close = suggest(value, choices) if isinstance(value, str) else None
        raise where.error(
            keys,
            f"{'.'.join(keys)} must be one of {', '.join(choices)}, not {value!r}",
            hint=close or f"use one of {', '.join(choices)}",
        )
    return value.strip().lower()


def lexicon(where: Located, table: Mapping[str, Any]) -> tuple[str, ...]:
    base = strings(where, "lexicon", table["lexicon"]) if "lexicon" in table else DEFAULT_LEXICON
    extra = strings(where, "extend-lexicon", table["extend-lexicon"]) if "extend-lexicon" in table else ()
    seen: dict[str, str] = {}
    for key, terms in (("lexicon", base), ("extend-lexicon", extra)):
        for term in terms:
            try:
                expand(term)
            except ValueError as error:
                raise where.error((key,), f"{key}: {error}", hint='write "{a|b} c", not "{a|{b|c}}"') from None
            seen.setdefault(" ".join(term.lower().split()), term.strip())
    return tuple(seen.values())


def _rule_setting(where: Located, rule: str, value: object) -> RuleSetting:
    default = RULES[rule].severity
    if isinstance(value, str):
        chosen = choice(where, ("rules", rule), value, RULE_VALUES)
        return RuleSetting(False, default) if chosen == "off" else RuleSetting(True, Severity.parse(chosen))
    if not isinstance(value, dict):
        raise where.error(
            ("rules", rule),
            f"rules.{rule} must be a string or a table, not {value!r}",
            hint='write "off", "info", "warning", "error", or { severity = "warning" }',
        )
    for key in value:
        if key not in ("enabled", "severity"):
            raise where.error(
                ("rules", rule),
                f"unknown key {key!r} in rules.{rule}",
                hint=suggest(key, ("enabled", "severity")) or "use enabled or severity",
            )
    enabled = value.get("enabled", True)
    if not isinstance(enabled, bool):
        raise where.error(("rules", rule), f"rules.{rule}.enabled must be true or false, not {enabled!r}")
    severity = default
    if "severity" in value:
        severity = Severity.parse(choice(where, ("rules", rule), value["severity"], SEVERITIES))
    return RuleSetting(enabled, severity)


def rules(where: Located, value: object) -> dict[str, RuleSetting]:
    if not isinstance(value, dict):
        raise where.error(("rules",), f"rules must be a table, not {value!r}", hint="write a [rules] table")
    rules = default_rules()
    for rule, setting in value.items():
        if rule not in RULES:
            raise where.error(
                ("rules", rule), f"unknown rule {rule!r}", hint=suggest(rule, RULES) or f"rules are: {', '.join(RULES)}"
            )
        rules[rule] = _rule_setting(where, rule, setting)
    return rules


def check_keys(where: Located, table: Mapping[str, Any]) -> None:
    for key in table:
        if key not in KEYS:
            raise where.error((key,), f"unknown key {key!r}", hint=suggest(key, KEYS) or f"keys are: {', '.join(KEYS)}")


def resolve_data(root: Path, value: str) -> str:
    data = Path(value).expanduser()
    return str(data if data.is_absolute() else root / data)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$", re.IGNORECASE)

_SIZE_UNITS = {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}


def size(where: Located, key: str, value: object) -> int:
    """Bytes, as a number or as text with a unit: 10485760, "10 MB", "512 kB"."""
    match = _SIZE.match(value) if isinstance(value, str) else None
    if match:
        size = float(match.group(1)) * _SIZE_UNITS[(match.group(2) or "b").lower()]
    elif isinstance(value, int) and not isinstance(value, bool):
        size = float(value)
    else:
        size = -1.0
    if not 1024 <= size <= 1024**3:
        raise where.error((key,), f"{key} must be between 1 kB and 1 GB, not {value!r}", hint='e.g. "10 MB"')
    return int(size)


def web_url(where: Located, key: str, value: object) -> str:
    """An absolute http(s) URL without a fragment (kb appends `#rule-{id}` to it)."""
    hint = f'write {key} = "https://example.org/kb-docs"'
    text = value.strip() if isinstance(value, str) else ""
    try:
        parts = urlsplit(text)
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unbalanced [ in the host
        valid = False
    if not valid or any(char.isspace() for char in text):
        raise where.error((key,), f"{key} must be an http(s) URL, not {value!r}", hint=hint)
    if parts.fragment or text.endswith("#"):
        raise where.error(
            (key,), f"{key} must not have a #fragment, not {value!r}", hint="drop the #fragment: kb adds #rule-{id}"
        )
    return text


SYNC_KEYS = ("git", "ref", "path")


def sync_source(where: Located, value: object) -> SyncSource:
    """`[sync]`: a git repository (URL or local path), a pinned reference, and the folder with claims.yaml."""
    if not isinstance(value, dict):
        raise where.error(("sync",), "sync must be a table", hint='write [sync] with git = "…" and ref = "…"')
    for key in value:
        if key not in SYNC_KEYS:
            close = suggest(key, SYNC_KEYS)
            raise where.error(("sync", key), f"unknown key sync.{key}", hint=close or "keys are: git, ref, path")
    missing = [key for key in ("git", "ref") if key not in value]
    if missing:
        raise where.error(
            ("sync",), f"[sync] needs {' and '.join(missing)}", hint='pin a tag or a commit: ref = "v1.0"'
        )
    git, ref = string(where, "sync.git", value["git"]), string(where, "sync.ref", value["ref"])
    path = string(where, "sync.path", value["path"]) if "path" in value else "data"
    if Path(path).is_absolute() or ".." in Path(path).parts:
        raise where.error(("sync", "path"), f"sync.path must be inside the repository, not {path!r}")
    return SyncSource(git.strip(), ref.strip(), path)


def is_pyproject(path: Path) -> bool:
    return path.name == PYPROJECT
