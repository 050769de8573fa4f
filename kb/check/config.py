"""Settings for `kb check`, read from `kb.toml` or `[tool.kb]` in `pyproject.toml`.

Look-up: an explicit file wins; otherwise the nearest folder, from `start` upwards, holding a `kb.toml` (settings as
top-level keys) or a `pyproject.toml` with a `[tool.kb]` table (a `pyproject.toml` without one is skipped). No file
means the defaults, rooted at the working directory. Relative paths in the file are relative to its folder.

    # kb.toml                                  # pyproject.toml
    data = "data"                              [tool.kb]
    content = ["site/**/*.md"]                 content = ["site/**/*.md"]
    ignore = ["site/drafts/**"]                fail-on = "warning"
    min-level = "moderate"
    recency-years = 3                          [tool.kb.rules]
    threshold = 80                             stale-recency = "off"
    fail-on = "error"
    extend-lexicon = ["detox"]

    [rules]
    stale-recency = "off"                      # or "info" | "warning" | "error"
    weak-evidence = { severity = "error" }     # or { enabled = false }

Every mistake (unknown key or rule id, wrong type or value, TOML syntax) is a `UsageError` located at the file and
line, so the CLI prints `kb: error: kb.toml:7:1: unknown key 'thresold' (fix: did you mean 'threshold'?)`.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from kb.check.registry import RULES
from kb.errors import KBError, UsageError
from kb.records import Severity
from kb.safeio import DEFAULT_MAX_BYTES, read_regular
from kb.text.levels import LEVELS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

CONFIG_NAME = "kb.toml"
PYPROJECT = "pyproject.toml"
DEFAULT_LEXICON: tuple[str, ...] = (
    "cure",
    "cures",
    "fix your",
    "non-addictive",
    "not addictive",
    "no side effects",
    "completely safe",
    "totally safe",
    "100% safe",
    "guaranteed",
    "FDA-approved",
    "FDA approved",
    "miracle",
    "instant relief",
    "permanent relief",
    "proven to",
    "isn't addictive",
    "is not addictive",
    "never addictive",
    "no risk of addiction",
    "zero side effects",
    "side-effect free",
    "free of side effects",
)
RULE_VALUES = ("off", "info", "warning", "error")
SEVERITIES = ("info", "warning", "error")
KEYS = (
    "data",
    "content",
    "ignore",
    "min-level",
    "recency-years",
    "threshold",
    "fail-on",
    "lexicon",
    "extend-lexicon",
    "rules",
    "max-file-size",
)
TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
HEADER = re.compile(r"^\s*\[\[?([^\]]+)\]\]?\s*(#.*)?$")
_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')"""
ASSIGNMENT = re.compile(rf"^\s*({_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*=")


@dataclass(frozen=True)
class RuleSetting:
    enabled: bool
    severity: Severity


def default_rules() -> dict[str, RuleSetting]:
    return {rule_id: RuleSetting(True, info.severity) for rule_id, info in RULES.items()}


@dataclass(frozen=True)
class CheckConfig:
    """Resolved settings. `path` is the file they came from (None: defaults)."""

    root: Path
    data: str | None = None
    content: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules: dict[str, RuleSetting] = field(default_factory=default_rules)
    min_level: str = "low"
    recency_years: float = 3.0
    threshold: float = 70.0
    fail_on: Severity = Severity.ERROR
    lexicon: tuple[str, ...] = DEFAULT_LEXICON
    max_file_size: int = DEFAULT_MAX_BYTES
    path: Path | None = None

    def enabled(self, rule: str) -> bool:
        setting = self.rules.get(rule)
        return setting is not None and setting.enabled

    def severity(self, rule: str) -> Severity:
        setting = self.rules.get(rule)
        return setting.severity if setting else RULES[rule].severity


def suggest(value: str, choices: Iterable[str]) -> str | None:
    """`did you mean 'x'?` for the closest choice, or None when nothing is close."""
    match = process.extractOne(value, list(choices), scorer=fuzz.ratio, score_cutoff=60)
    return f"did you mean {match[0]!r}?" if match else None


# ---------------------------------------------------------------- finding the file


def find_config(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The nearest config file at or above `start`, with its settings table."""
    start = start.resolve()
    folder = start if start.is_dir() or not start.exists() else start.parent
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_NAME
        if own.is_file():
            return own, _settings_table(own, _parse(own))
        pyproject = candidate / PYPROJECT
        if pyproject.is_file():
            document = _parse(pyproject)
            if isinstance(document.get("tool"), dict) and "kb" in document["tool"]:
                return pyproject, _settings_table(pyproject, document)
    return None


def load_config(start: Path, explicit: Path | None = None) -> CheckConfig:
    if explicit is not None:
        if not os.path.lexists(explicit):
            raise UsageError(f"config file not found: {explicit}", hint="pass --config with an existing kb.toml")
        found: tuple[Path, Mapping[str, Any]] | None = (explicit, _settings_table(explicit, _parse(explicit)))
    else:
        found = find_config(start)
    if found is None:
        return CheckConfig(root=Path.cwd().resolve())
    path, table = found
    return _build(path, table, _read_text(path))


def _read_text(path: Path) -> str:
    try:
        return read_regular(path, str(path), limit=1 << 20).decode("utf-8")
    except KBError as exc:
        raise UsageError(f"cannot read config file: {exc.message}", path=str(path), hint=exc.hint) from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"cannot read config file: {exc}", path=str(path), hint="save it as UTF-8") from None


def _parse(path: Path) -> dict[str, Any]:
    try:
        document: dict[str, Any] = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = TOML_POSITION.search(message)
        line, column = (int(position.group(1)), int(position.group(2))) if position else (None, None)
        text = TOML_POSITION.sub("", message).strip()
        raise UsageError(
            f"invalid TOML: {text}", path=str(path), line=line, column=column, hint="see https://toml.io for the syntax"
        ) from exc
    return document


def _is_pyproject(path: Path) -> bool:
    return path.name == PYPROJECT


def _settings_table(path: Path, document: dict[str, Any]) -> Mapping[str, Any]:
    if not _is_pyproject(path):
        return document
    tool = document.get("tool", {})
    table = tool.get("kb", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        text = _read_text(path)
        raise UsageError(
            "[tool.kb] must be a table",
            path=str(path),
            line=_key_line(text, ("tool", "kb")),
            hint="write the settings under a [tool.kb] header",
        )
    return table


# ---------------------------------------------------------------- locating keys in the text


def _split_key(key: str) -> tuple[str, ...]:
    parts = re.findall(r"\"[^\"]*\"|'[^']*'|[^.\s]+", key)
    return tuple(part.strip("\"'") for part in parts)


def _key_line(text: str, target: tuple[str, ...]) -> int | None:
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


class _Located:
    """Raises UsageError at the line of a key inside the settings table."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.prefix: tuple[str, ...] = ("tool", "kb") if _is_pyproject(path) else ()

    def error(self, keys: tuple[str, ...], message: str, hint: str | None = None) -> UsageError:
        line = _key_line(self.text, (*self.prefix, *keys))
        column = None
        if line is not None:
            source = self.text.splitlines()[line - 1]
            found = source.find(keys[-1])
            column = found + 1 if found >= 0 else 1
        return UsageError(message, path=str(self.path), line=line, column=column, hint=hint)


# ---------------------------------------------------------------- values


def _string(where: _Located, key: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise where.error((key,), f"{key} must be a non-empty string, not {value!r}")
    return value


def _strings(where: _Located, key: str, value: object) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
        raise where.error(
            (key,), f"{key} must be a list of non-empty strings, not {value!r}", hint=f'write {key} = ["…", "…"]'
        )
    return tuple(items)


def _number(where: _Located, key: str, value: object, low: float, high: float | None) -> float:
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if number is not None and not math.isfinite(number):
        number = None
    if number is None or number < low or (high is not None and number > high):
        span = f"between {low:g} and {high:g}" if high is not None else f"a number of at least {low:g}"
        raise where.error((key,), f"{key} must be {span}, not {value!r}")
    return float(number)


def _choice(where: _Located, keys: tuple[str, ...], value: object, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value.strip().lower() not in choices:
        close = suggest(value, choices) if isinstance(value, str) else None
        raise where.error(
            keys,
            f"{'.'.join(keys)} must be one of {', '.join(choices)}, not {value!r}",
            hint=close or f"use one of {', '.join(choices)}",
        )
    return value.strip().lower()


def _lexicon(where: _Located, table: Mapping[str, Any]) -> tuple[str, ...]:
    base = _strings(where, "lexicon", table["lexicon"]) if "lexicon" in table else DEFAULT_LEXICON
    extra = _strings(where, "extend-lexicon", table["extend-lexicon"]) if "extend-lexicon" in table else ()
    seen: dict[str, str] = {}
    for term in (*base, *extra):
        seen.setdefault(" ".join(term.lower().split()), term.strip())
    return tuple(seen.values())


def _rule_setting(where: _Located, rule: str, value: object) -> RuleSetting:
    default = RULES[rule].severity
    if isinstance(value, str):
        choice = _choice(where, ("rules", rule), value, RULE_VALUES)
        return RuleSetting(False, default) if choice == "off" else RuleSetting(True, Severity.parse(choice))
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
        severity = Severity.parse(_choice(where, ("rules", rule), value["severity"], SEVERITIES))
    return RuleSetting(enabled, severity)


def _rules(where: _Located, value: object) -> dict[str, RuleSetting]:
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


def _check_keys(where: _Located, table: Mapping[str, Any]) -> None:
    for key in table:
        if key not in KEYS:
            raise where.error((key,), f"unknown key {key!r}", hint=suggest(key, KEYS) or f"keys are: {', '.join(KEYS)}")


def _resolve_data(root: Path, value: str) -> str:
    data = Path(value).expanduser()
    return str(data if data.is_absolute() else root / data)


def _build(path: Path, table: Mapping[str, Any], text: str) -> CheckConfig:
    where = _Located(path, text)
    _check_keys(where, table)
    root = path.resolve().parent
    values: dict[str, Any] = {"root": root, "path": path.resolve(), "lexicon": _lexicon(where, table)}
    if "data" in table:
        values["data"] = _resolve_data(root, _string(where, "data", table["data"]))
    if "content" in table:
        values["content"] = _strings(where, "content", table["content"])
    if "ignore" in table:
        values["ignore"] = _strings(where, "ignore", table["ignore"])
    if "min-level" in table:
        values["min_level"] = _choice(where, ("min-level",), table["min-level"], LEVELS)
    if "recency-years" in table:
        values["recency_years"] = _number(where, "recency-years", table["recency-years"], 0, None)
    if "threshold" in table:
        values["threshold"] = _number(where, "threshold", table["threshold"], 0, 100)
    if "fail-on" in table:
        values["fail_on"] = Severity.parse(_choice(where, ("fail-on",), table["fail-on"], SEVERITIES))
    if "rules" in table:
        values["rules"] = _rules(where, table["rules"])
    if "max-file-size" in table:
        values["max_file_size"] = _size(where, "max-file-size", table["max-file-size"])
    return CheckConfig(**values)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}


def _size(where: _Located, key: str, value: object) -> int:
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
