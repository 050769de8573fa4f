"""`kb check` configuration: where it is found, what each key means, and located errors for every mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.check.config import DEFAULT_LEXICON, CheckConfig, RuleSetting
from kb.check.registry import RULES
from kb.check.toml import load_config
from kb.errors import UsageError
from kb.pages.collect import collect
from kb.records import Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def error_of(start: Path, explicit: Path | None = None) -> UsageError:
    with pytest.raises(UsageError) as caught:
        load_config(start, explicit)
    return caught.value


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder whose parents hold no config; the working directory is inside it."""
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    return project


# ---------------------------------------------------------------- defaults and look-up


def test_defaults_without_a_file(isolated: Path) -> None:
    config = load_config(isolated)
    assert config.root == isolated.resolve()
    assert config.path is None
    assert config.data is None and config.content == () and config.ignore == ()
    assert config.min_level == "low" and config.recency_years == 3 and config.threshold == 70
    assert config.fail_on is Severity.ERROR
    assert config.lexicon == DEFAULT_LEXICON
    assert config.docs_url is None  # no documentation links unless configured
    assert "no side effects" in config.lexicon and "guaranteed" in config.lexicon
    assert "fda-approved" not in config.lexicon  # an approval is judged against its source, not as a word
    assert config.rules == {rule_id: RuleSetting(True, info.severity) for rule_id, info in RULES.items()}
    assert config.rules["weak-evidence"].severity is Severity.WARNING


def test_nearest_kb_toml_upwards(isolated: Path) -> None:
    write(isolated / "kb.toml", "threshold = 70\n")
    deep = isolated / "site" / "blog"
    deep.mkdir(parents=True)
    config = load_config(deep)
    assert config.threshold == 70
    assert config.root == isolated.resolve()
    assert config.path == (isolated / "kb.toml").resolve()


def test_nearer_file_wins(isolated: Path) -> None:
    write(isolated / "kb.toml", "threshold = 70\n")
    write(isolated / "site" / "kb.toml", "threshold = 90\n")
    assert load_config(isolated / "site").threshold == 90
    assert load_config(isolated / "site").root == (isolated / "site").resolve()


def test_pyproject_tool_kb(isolated: Path) -> None:
    write(
        isolated / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.kb]\nfail-on = "warning"\n\n[tool.kb.rules]\nstale-recency = "off"\n',
    )
    config = load_config(isolated / "sub")
    assert config.fail_on is Severity.WARNING
    assert config.rules["stale-recency"] == RuleSetting(False, Severity.WARNING)


def test_pyproject_without_tool_kb_is_skipped(isolated: Path) -> None:
    write(isolated / "kb.toml", "threshold = 60\n")
    write(isolated / "pkg" / "pyproject.toml", '[project]\nname = "x"\n[tool.ruff]\nline-length = 1\n')
    config = load_config(isolated / "pkg")
    assert config.threshold == 60
    assert config.root == isolated.resolve()


def test_kb_toml_beats_pyproject_in_the_same_folder(isolated: Path) -> None:
    write(isolated / "kb.toml", "threshold = 60\n")
    write(isolated / "pyproject.toml", "[tool.kb]\nthreshold = 99\n")
    assert load_config(isolated).threshold == 60


def test_explicit_file(isolated: Path, tmp_path: Path) -> None:
    write(isolated / "kb.toml", "threshold = 60\n")
    other = write(tmp_path / "elsewhere" / "strict.toml", 'fail-on = "info"\n')
    config = load_config(isolated, other)
    assert config.fail_on is Severity.INFO and config.threshold == 70
    assert config.root == other.parent.resolve()


def test_explicit_pyproject_reads_tool_kb(isolated: Path) -> None:
    explicit = write(isolated / "cfg" / "pyproject.toml", "[tool.kb]\nmin-level = 'high'\n")
    assert load_config(isolated, explicit).min_level == "high"


def test_missing_explicit_file(isolated: Path) -> None:
    error = error_of(isolated, isolated / "nope.toml")
    assert "config file not found" in error.message and "nope.toml" in error.message


# ---------------------------------------------------------------- values


def test_every_key(isolated: Path) -> None:
    write(
        isolated / "kb.toml",
        """\
data = "facts"
content = ["site/**/*.md", "README.md"]
ignore = "site/drafts/**"
min-level = "moderate"
recency-years = 5
threshold = 92.5
fail-on = "Warning"
lexicon = ["cure", "miracle"]
extend-lexicon = ["detox", "Miracle"]
docs-url = "https://example.org/kb/README.md"

[rules]
unsupported-claim = "warning"
weak-evidence = { severity = "error" }
contradiction = { enabled = false }
stale-recency = "off"
misattribution = { enabled = true, severity = "info" }
""",
    )
    config = load_config(isolated)
    assert config.data == str(isolated.resolve() / "facts")
    assert config.content == ("site/**/*.md", "README.md")
    assert config.ignore == ("site/drafts/**",)
    assert config.min_level == "moderate"
    assert config.recency_years == 5.0 and config.threshold == 92.5
    assert config.fail_on is Severity.WARNING
    assert config.lexicon == ("cure", "miracle", "detox")  # replaced, extended, de-duplicated ignoring case
    assert config.docs_url == "https://example.org/kb/README.md"
    rules = config.rules
    assert rules["unsupported-claim"] == RuleSetting(True, Severity.WARNING)
    assert rules["weak-evidence"] == RuleSetting(True, Severity.ERROR)
    assert rules["contradiction"] == RuleSetting(False, Severity.WARNING)
    assert rules["stale-recency"] == RuleSetting(False, Severity.WARNING)
    assert rules["misattribution"] == RuleSetting(True, Severity.INFO)
    assert rules["figure-mismatch"] == RuleSetting(True, Severity.ERROR)  # untouched rules keep their defaults
    assert not config.enabled("stale-recency") and config.enabled("figure-mismatch")
    assert config.severity("weak-evidence") is Severity.ERROR


def test_extend_lexicon_keeps_the_defaults(isolated: Path) -> None:
    write(isolated / "kb.toml", 'extend-lexicon = ["detox"]\n')
    assert load_config(isolated).lexicon == (*DEFAULT_LEXICON, "detox")


def test_a_lexicon_phrase_with_nested_braces_is_a_usage_error(isolated: Path) -> None:
    write(isolated / "kb.toml", 'extend-lexicon = ["a {b|{c|d}}"]\n')
    with pytest.raises(UsageError, match="braces"):
        load_config(isolated)


def test_absolute_data_is_kept(isolated: Path, tmp_path: Path) -> None:
    write(isolated / "kb.toml", f"data = '{tmp_path / 'd'}'\n")
    assert load_config(isolated).data == str(tmp_path / "d")


def test_ignore_globs_drop_pages_from_what_is_checked(isolated: Path) -> None:
    write(isolated / "kb.toml", 'ignore = ["site/drafts/**", "**/vendor.md", "*.tmp.md"]\n')
    config = load_config(isolated / "site")
    for name in (
        "site/drafts/a.md",
        "site/drafts/deep/b.md",
        "vendor.md",
        "x/y/vendor.md",
        "site/notes.tmp.md",
        "site/post.md",
        "site/drafts.md",
    ):
        write(isolated / name, "text\n")
    kept = {p.relative_to(isolated).as_posix() for p in collect([str(isolated)], config.ignore)}
    assert kept == {"kb.toml", "site/post.md", "site/drafts.md"} - {"kb.toml"}


def test_toml_syntax_error_has_line_and_column(isolated: Path) -> None:
    path = write(isolated / "kb.toml", 'threshold = 80\nfail-on = "error\nmin-level = "low"\n')
    error = error_of(isolated)
    assert error.path == str(path)
    assert error.line == 2 and error.column is not None
    assert error.message.startswith("invalid TOML")
    assert "at line" not in error.message  # the position moved into the location
    assert str(error).startswith(f"{path}:2:")


def test_toml_syntax_error_in_pyproject(isolated: Path) -> None:
    write(isolated / "pyproject.toml", "[project]\nname = 'x'\n\n[tool.kb\nthreshold = 1\n")
    error = error_of(isolated)
    assert error.path == str(isolated / "pyproject.toml") and error.line == 4


def test_unknown_key_did_you_mean_and_line(isolated: Path) -> None:
    path = write(isolated / "kb.toml", "# kb settings\n\nthreshold = 80\nthresold = 70\n")
    error = error_of(isolated)
    assert (error.path, error.line, error.column) == (str(path), 4, 1)
    assert error.message == "unknown key 'thresold'"
    assert error.hint == "did you mean 'threshold'?"
    assert str(error) == f"{path}:4:1: unknown key 'thresold' (fix: did you mean 'threshold'?)"


def test_unknown_key_in_pyproject_is_found_in_its_table(isolated: Path) -> None:
    text = '[project]\nname = "x"\nfailon = 1\n\n[tool.kb]\ncontent = ["a.md"]\nfailon = "warning"\n'
    write(isolated / "pyproject.toml", text)
    error = error_of(isolated)
    assert error.line == 7  # not line 3, which is [project]'s
    assert error.hint == "did you mean 'fail-on'?"


def test_unknown_key_without_a_close_match(isolated: Path) -> None:
    write(isolated / "kb.toml", "zzzzzz = 1\n")
    error = error_of(isolated)
    assert error.line == 1 and error.hint is not None and "threshold" in error.hint


def test_unknown_rule_id(isolated: Path) -> None:
    write(isolated / "kb.toml", 'threshold = 80\n\n[rules]\nstale-recency = "off"\nunsuported-claim = "off"\n')
    error = error_of(isolated)
    assert error.line == 5
    assert error.message == "unknown rule 'unsuported-claim'"
    assert error.hint == "did you mean 'unsupported-claim'?"


def test_unknown_rule_in_pyproject_rules_table(isolated: Path) -> None:
    write(isolated / "pyproject.toml", '[tool.kb]\nthreshold = 80\n\n[tool.kb.rules]\nfigure-mismatc = "info"\n')
    error = error_of(isolated)
    assert error.line == 5 and error.hint == "did you mean 'figure-mismatch'?"


def test_unknown_rule_in_dotted_key(isolated: Path) -> None:
    write(isolated / "kb.toml", 'threshold = 80\nrules.contradictoin = "off"\n')
    error = error_of(isolated)
    assert error.line == 2 and error.hint == "did you mean 'contradiction'?"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("threshold = 80\nthreshold2 = 1\n", 2, "unknown key"),
        ('content = ["a.md"]\nthreshold = 101\n', 2, "threshold must be between 0 and 100"),
        ('threshold = "high"\n', 1, "threshold must be between 0 and 100"),
        ("threshold = true\n", 1, "threshold must be between 0 and 100"),
        ("recency-years = -1\n", 1, "recency-years must be a number of at least 0"),
        ('\nfail-on = "fatal"\n', 2, "fail-on must be one of info, warning, error"),
        ('min-level = "medium"\n', 1, "min-level must be one of no-evidence, very-low, low, moderate, high"),
        ('content = ["a.md", 3]\n', 1, "content must be a list of non-empty strings"),
        ("ignore = 5\n", 1, "ignore must be a list of non-empty strings"),
        ('lexicon = [""]\n', 1, "lexicon must be a list of non-empty strings"),
        ("data = 1\n", 1, "data must be a non-empty string"),
        ('rules = "off"\n', 1, "rules must be a table"),
        ('[rules]\nweak-evidence = "warn"\n', 2, "rules.weak-evidence must be one of off, info, warning, error"),
        ("[rules]\nweak-evidence = 3\n", 2, "rules.weak-evidence must be a string or a table"),
        ('[rules]\nweak-evidence = { severty = "info" }\n', 2, "unknown key 'severty' in rules.weak-evidence"),
        ('[rules]\nweak-evidence = { enabled = "no" }\n', 2, "rules.weak-evidence.enabled must be true or false"),
        ('[rules]\nx = 1\nweak-evidence = { severity = "off" }\n', 2, "unknown rule 'x'"),
        ('[rules]\nweak-evidence = { severity = "off" }\n', 2, "rules.weak-evidence must be one of info, warning"),
        ('threshold = 80\ndocs-url = "example.org/kb"\n', 2, "docs-url must be an http(s) URL"),
        ('docs-url = "ftp://example.org/kb"\n', 1, "docs-url must be an http(s) URL"),
        ('docs-url = "https://"\n', 1, "docs-url must be an http(s) URL"),
        ('docs-url = "https://example.org/my docs"\n', 1, "docs-url must be an http(s) URL"),
        ('docs-url = "https://[example.org/kb"\n', 1, "docs-url must be an http(s) URL"),
        ("docs-url = 3\n", 1, "docs-url must be an http(s) URL"),
        ('docs-url = ""\n', 1, "docs-url must be an http(s) URL"),
        ('docs-url = "https://example.org/kb#rules"\n', 1, "docs-url must not have a #fragment"),
    ],
)
def test_bad_values_are_located(isolated: Path, text: str, line: int, fragment: str) -> None:
    path = write(isolated / "kb.toml", text)
    error = error_of(isolated)
    assert error.path == str(path)
    assert error.line == line
    assert fragment in error.message


def test_bad_value_hint_suggests(isolated: Path) -> None:
    write(isolated / "kb.toml", 'fail-on = "warnign"\n')
    assert error_of(isolated).hint == "did you mean 'warning'?"


def test_tool_kb_not_a_table(isolated: Path) -> None:
    write(isolated / "pyproject.toml", '[project]\nname = "x"\n[tool]\nkb = 3\n')
    error = error_of(isolated)
    assert error.message == "[tool.kb] must be a table" and error.line == 4


def test_config_is_frozen(isolated: Path) -> None:
    config = load_config(isolated)
    assert isinstance(config, CheckConfig)
    with pytest.raises(AttributeError):
        config.threshold = 1  # type: ignore[misc]


def test_docs_url_in_pyproject(isolated: Path) -> None:
    write(isolated / "pyproject.toml", '[project]\nname = "x"\n\n[tool.kb]\ndocs-url = "http://docs.example.org"\n')
    assert load_config(isolated).docs_url == "http://docs.example.org"
    write(isolated / "pyproject.toml", '[project]\nname = "x"\n\n[tool.kb]\ndocs-url = "docs"\n')
    error = error_of(isolated)
    assert error.line == 5 and error.column == 1 and error.hint == 'write docs-url = "https://example.org/kb-docs"'
