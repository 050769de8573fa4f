"""JSON Schemas of the three data files, generated from the models in `schema.py`, so editors complete and check
fields as you type (yaml-language-server reads a `# yaml-language-server: $schema=…` first line).

Draft-07, not pydantic's 2020-12: yaml-language-server validates 2019-09 and 2020-12 only from 1.20 (2025) on,
and every editor that reads JSON Schema reads draft-07. Pydantic's output needs two changes for it: definitions
under `definitions` (draft-07's place for them), and a `$ref` with sibling keywords (a default, a description)
wrapped in `allOf`, since draft-07 ignores the siblings of a `$ref` (pydantic before 2.1 wrapped them itself, so
the files are the same whichever pydantic made them). Two rules the models check in code are added as `if`/`then`:
a claim writers may use needs `approved_wording`, and a `use-with-caveat` one its `caveats`. `kb validate` stays
the judge: cross-file references, identifiers and quotes are beyond a schema.

The files are committed in `kb/resources/schema/` (`tools/make_schema.py` rewrites them; a test checks they are
current) and `kb init` copies them into the data folder's `.schema/`, beside the files that name them.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from kb.data.schema import ClaimsFile, PagesFile, SourcesFile

DRAFT = "http://json-schema.org/draft-07/schema#"
SCHEMA_FOLDER = ".schema"  # in the data folder: where `kb init` puts the copies the modelines name
MODELS: dict[str, type[BaseModel]] = {"claims": ClaimsFile, "sources": SourcesFile, "pages": PagesFile}
ABOUT = {
    "claims": "The subjects claims are about, and the claims: statement, value, sources, evidence, writer status.",
    "sources": "The sources the claims rest on: bibliographic record, design, identifiers and verbatim findings.",
    "pages": "The pages the knowledge base has judged, each with a copy of the page in the data folder.",
}
# The rules `Claim._wording_unless_banned` checks, said as a schema can say them.
CLAIM_RULES = {
    "allOf": [
        {
            "if": {"properties": {"status": {"enum": ["approved", "use-with-caveat"]}}, "required": ["status"]},
            "then": {"required": ["approved_wording"]},
        },
        {
            "if": {"properties": {"status": {"const": "use-with-caveat"}}, "required": ["status"]},
            "then": {"required": ["caveats"], "properties": {"caveats": {"minItems": 1}}},
        },
    ]
}


def file_name(name: str) -> str:
    """`claims` -> `claims.schema.json`."""
    return f"{name}.schema.json"


def modeline(name: str) -> str:
    """The first line of a data file that points an editor at its schema, relative to the file (as
    yaml-language-server resolves a modeline's path)."""
    return f"# yaml-language-server: $schema={SCHEMA_FOLDER}/{file_name(name)}"


def _draft7(node: Any) -> Any:
    if isinstance(node, list):
        return [_draft7(item) for item in node]
    if not isinstance(node, dict):
        return node
    tidy = {key: _draft7(value) for key, value in node.items()}
    ref = tidy.get("$ref")
    if isinstance(ref, str):
        tidy["$ref"] = ref.replace("#/$defs/", "#/definitions/")
        if len(tidy) > 1:
            return {"allOf": [{"$ref": tidy.pop("$ref")}], **tidy}
    return tidy


def editor_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft-07) of one data file: `claims`, `sources` or `pages`."""
    generated: dict[str, Any] = _draft7(MODELS[name].model_json_schema())
    definitions = generated.pop("$defs", {})
    if "Claim" in definitions:
        definitions["Claim"] |= CLAIM_RULES
    head = {"$schema": DRAFT, "title": f"kb {name}.yaml", "description": ABOUT[name]}
    generated.pop("title", None)
    return head | generated | {"definitions": definitions}


def schema_text(name: str) -> str:
    """The schema as the committed file holds it: indented JSON with sorted keys (pydantic's key order varies by
    version), one final newline."""
    return json.dumps(editor_schema(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
