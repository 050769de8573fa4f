"""The settings of `kb check` as values: rule settings, the configuration record and its defaults. Read from
files by `kb.check.toml`."""

from __future__ import annotations

from pathlib import Path

from kb.check.registry import RULES
from kb.data.sync import SyncSource
from kb.fastclass import dataclass, field
from kb.language.wording import default_lexicon
from kb.records import Severity
from kb.safeio import DEFAULT_MAX_BYTES

PYPROJECT = "pyproject.toml"
DEFAULT_LEXICON: tuple[str, ...] = default_lexicon()  # kb/resources/risky-wording.txt, by category
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
    "docs-url",
    "sync",
    "baseline",
)


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
    docs_url: str | None = None  # where the rules are documented (SARIF helpUri); None: no links
    sync: SyncSource | None = None  # a knowledge base fetched by `kb sync` (then the default `data`)
    baseline: str | None = None  # the decisions file `kb check` honours and `kb review` writes (absolute path)
    path: Path | None = None

    def enabled(self, rule: str) -> bool:
        setting = self.rules.get(rule)
        return setting is not None and setting.enabled

    def severity(self, rule: str) -> Severity:
        setting = self.rules.get(rule)
        return setting.severity if setting else RULES[rule].severity


# ---------------------------------------------------------------- finding the file
