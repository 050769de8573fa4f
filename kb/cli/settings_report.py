"""`kb config`: the configuration a command in this folder would use, and where each value came from (a file and
line, an option, an environment variable, or the default), as `git config --show-origin` and `ruff check
--show-settings` do."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.check.config import CheckConfig
from kb.check.keys import is_pyproject, key_line
from kb.check.toml import read_text
from kb.settings import DATA_ENV, DATABASE_ENV, resolve

SHOWN: dict[str, Callable[[CheckConfig], Any]] = {  # kb.toml key -> what CheckConfig holds for it
    "data": lambda c: c.data,
    "content": lambda c: list(c.content),
    "ignore": lambda c: list(c.ignore),
    "min-level": lambda c: c.min_level,
    "recency-years": lambda c: c.recency_years,
    "threshold": lambda c: c.threshold,
    "fail-on": lambda c: c.fail_on.label,
    "lexicon": lambda c: list(c.lexicon),
    "max-file-size": lambda c: c.max_file_size,
    "docs-url": lambda c: c.docs_url,
    "baseline": lambda c: c.baseline,
}


@dataclass(frozen=True)
class Setting:
    key: str
    value: Any
    origin: str


def _locator(config: CheckConfig) -> Callable[..., str | None]:
    """`origin(*key)`: the file and line that set a key, or None; the file is read once."""
    path = config.path
    text = read_text(path) if path is not None else ""
    prefix = ("tool", "kb") if path is not None and is_pyproject(path) else ()

    def origin(*key: str) -> str | None:
        line = key_line(text, (*prefix, *key)) if path is not None else None
        return f"{path}:{line}" if line is not None else None

    return origin


def report(config: CheckConfig, data: str | None, db: str | None) -> list[Setting]:
    """Every setting with its value and origin. `data` and `db` are the command-line options, if given."""
    origin_of = _locator(config)
    found = [Setting("config", str(config.path) if config.path else None, "found upwards" if config.path else "none")]
    for key, value_of in SHOWN.items():
        origin = origin_of(key) or ("merged with extend-lexicon" if key == "lexicon" and
                                                  origin_of("extend-lexicon") else "default")  # fmt: skip
        found.append(Setting(key, value_of(config), origin))
    for rule, setting in config.rules.items():
        value = setting.severity.label if setting.enabled else "off"
        found.append(Setting(f"rules.{rule}", value, origin_of("rules", rule) or "default"))
    settings = resolve(data or config.data, db)
    if data:
        data_origin = "--data"
    elif config.data:
        data_origin = origin_of("data") or "config"
    elif os.environ.get(DATA_ENV):
        data_origin = DATA_ENV
    else:
        data_origin = f"the nearest data/ with claims.yaml at or above {Path.cwd()}"
    found.append(Setting("data folder", str(settings.data_dir.resolve()), data_origin))
    db_origin = "--db" if db else (DATABASE_ENV if os.environ.get(DATABASE_ENV) else "default: .kb/ beside the data")
    found.append(Setting("database", settings.database_url, db_origin))
    return found
