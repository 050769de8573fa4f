"""The README keeps up with the code: every command and every rule id is documented."""

from __future__ import annotations

from pathlib import Path

import typer

from kb.check.registry import RULES
from kb.cli.app import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    missing = [name for name in commands if f"kb {name}" not in README]
    assert missing == []


def test_every_rule_has_a_readme_entry_with_an_example() -> None:
    missing = [rule for rule in RULES if f'<a id="rule-{rule}"></a>**{rule}**' not in README]
    assert missing == []


def test_the_readme_opens_with_exactly_two_commands() -> None:
    block = README.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2
    assert "kb check" in block[0] and "pytest" in block[1]


def test_the_data_format_lists_every_allowed_value() -> None:
    from kb.data.enums import Design, Level, Qualifier, Relation, Status, ValueKind, Verdict
    from kb.text.units import UNITS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "data-format.md").read_text(encoding="utf-8")
    table = doc.split("## Allowed values", 1)[1].split("\n## ", 1)[0]
    values = [v.value for enum in (Design, Level, Qualifier, Relation, Status, ValueKind, Verdict) for v in enum]
    missing = [v for v in values if f"`{v}`" not in table]
    missing += [unit for unit in UNITS if f"`{unit}`" not in table]
    missing += [dimension for dimension, _ in UNITS.values() if f"`{dimension}`" not in table]
    assert missing == []
