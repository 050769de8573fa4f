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
    docs-url = "https://example.org/kb"        # SARIF rule links: {docs-url}#rule-{id}
    baseline = ".kb-decisions.json"            # review decisions `kb check` honours (`kb review` writes them)

    [rules]
    stale-recency = "off"                      # or "info" | "warning" | "error"
    weak-evidence = { severity = "error" }     # or { enabled = false }

Every mistake (unknown key or rule id, wrong type or value, TOML syntax) is a `UsageError` located at the file and
line, so the CLI prints `kb: error: kb.toml:7:1: unknown key 'thresold' (fix: did you mean 'threshold'?)`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kb.check.config import (
    PYPROJECT,
    SEVERITIES,
    CheckConfig,
)
from kb.check.keys import (
    Located,
    check_keys,
    choice,
    is_pyproject,
    key_line,
    lexicon,
    number,
    resolve_data,
    rules,
    size,
    string,
    strings,
    sync_source,
    web_url,
)
from kb.data.sync import synced_data
from kb.errors import KBError, UsageError
from kb.records import Severity
from kb.safeio import read_regular
from kb.text.levels import LEVELS

CONFIG_NAME = "kb.toml"

TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_text(path: Path) -> str:
    try:
        return read_regular(path, str(path), limit=1 << 20).decode("utf-8")
    except KBError as exc:
        raise UsageError(f"cannot read config file: {exc.message}", path=str(path), hint=exc.hint) from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"cannot read config file: {exc}", path=str(path), hint="save it as UTF-8") from None


def parse_file(path: Path) -> dict[str, Any]:
    # Imported here: a check run where no configuration file is found does not pay for the parser.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
    try:
        document: dict[str, Any] = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = TOML_POSITION.search(message)
        line, column = (int(position.group(1)), int(position.group(2))) if position else (None, None)
        text = TOML_POSITION.sub("", message).strip()
        raise UsageError(
            f"invalid TOML: {text}", path=str(path), line=line, column=column, hint="see https://toml.io for the syntax"
        ) from exc
    return document


def settings_table(path: Path, document: dict[str, Any]) -> Mapping[str, Any]:
    if not is_pyproject(path):
        return document
    tool = document.get("tool", {})
    table = tool.get("kb", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        text = read_text(path)
        raise UsageError(
            "[tool.kb] must be a table",
            path=str(path),
            line=key_line(text, ("tool", "kb")),
            hint="write the settings under a [tool.kb] header",
        )
    return table


def build_config(path: Path, table: Mapping[str, Any], text: str) -> CheckConfig:
    where = Located(path, text)
    check_keys(where, table)
    root = path.resolve().parent
    values: dict[str, Any] = {"root": root, "path": path.resolve(), "lexicon": lexicon(where, table)}
    if "data" in table:
        values["data"] = resolve_data(root, string(where, "data", table["data"]))
    if "content" in table:
        values["content"] = strings(where, "content", table["content"])
    if "ignore" in table:
        values["ignore"] = strings(where, "ignore", table["ignore"])
    if "min-level" in table:
        values["min_level"] = choice(where, ("min-level",), table["min-level"], LEVELS)
    if "recency-years" in table:
        values["recency_years"] = number(where, "recency-years", table["recency-years"], 0, None)
    if "threshold" in table:
        values["threshold"] = number(where, "threshold", table["threshold"], 0, 100)
    if "fail-on" in table:
        values["fail_on"] = Severity.parse(choice(where, ("fail-on",), table["fail-on"], SEVERITIES))
    if "rules" in table:
        values["rules"] = rules(where, table["rules"])
    if "max-file-size" in table:
        values["max_file_size"] = size(where, "max-file-size", table["max-file-size"])
    if "docs-url" in table:
        values["docs_url"] = web_url(where, "docs-url", table["docs-url"])
    if "baseline" in table:
        values["baseline"] = str(root / string(where, "baseline", table["baseline"]))
    if "sync" in table:
        values["sync"] = sync_source(where, table["sync"])
        values.setdefault("data", str(synced_data(root, values["sync"])))
    return CheckConfig(**values)


def find_config(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The nearest config file at or above `start`, with its settings table."""
    start = start.resolve()
    folder = start if start.is_dir() or not start.exists() else start.parent
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_NAME
        if own.is_file():
            return own, settings_table(own, parse_file(own))
        pyproject = candidate / PYPROJECT
        if pyproject.is_file():
            document = parse_file(pyproject)
            if isinstance(document.get("tool"), dict) and "kb" in document["tool"]:
                return pyproject, settings_table(pyproject, document)
    return None


def load_config(start: Path, explicit: Path | None = None) -> CheckConfig:
    if explicit is not None:
        if not os.path.lexists(explicit):
            raise UsageError(f"config file not found: {explicit}", hint="pass --config with an existing kb.toml")
        found: tuple[Path, Mapping[str, Any]] | None = (explicit, settings_table(explicit, parse_file(explicit)))
    else:
        found = find_config(start)
    if found is None:
        return CheckConfig(root=Path.cwd().resolve())
    path, table = found
    return build_config(path, table, read_text(path))


# ---------------------------------------------------------------- locating keys in the text


# ---------------------------------------------------------------- values
