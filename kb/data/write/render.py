"""A new entry as YAML text in the data files' own style, rendered by ruamel.yaml's round-trip emitter.

ruamel.yaml decides the quoting (a string that would read as a number, a date, `yes`, or that holds `: ` or `#`
is quoted), so what is written reads back equal. On top of it, the files' conventions: free text (titles, quotes,
statements, notes) in double quotes, small records (authors, values, figures) and short word lists as flow
mappings and sequences, block lists indented under their key, no line folding, and invisible spaces written as
escapes (a non-breaking space is `\\u00a0`, as claims.yaml's header asks).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from yaml import ScalarNode
from yaml import resolver as yaml_resolver

# Keys whose text is prose or a verbatim quote: always double-quoted, as the bundled data writes them.
STR_TAG = "tag:yaml.org,2002:str"
PROSE = frozenset(
    {"title", "quote", "statement", "approved_wording", "note", "rationale", "label", "indirectness", "notes"}
)
# Keys whose value is written on one line, as the bundled data does.
FLOW = frozenset({"value", "tags", "unverified", "issn", "aliases", "terms", "cues", "proper_nouns"})
FLOW_ITEMS = frozenset({"authors", "figures"})  # lists of small mappings, one per line
INVISIBLE = re.compile("[\u00a0\u2007\u2009\u200a\u200b\u202f\u2060\ufeff]")
# Text left unquoted: words, digits and light punctuation that read as text in YAML 1.1 (PyYAML, which kb's loader
# uses: `no` is false there) and 1.2 alike; anything else is double-quoted.
PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .,/()'&+-]*[A-Za-z0-9.)]|[A-Za-z]")
_RESOLVER = yaml_resolver.Resolver()


def _plain(text: str) -> bool:
    tag: str = _RESOLVER.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(PLAIN.fullmatch(text)) and tag == STR_TAG


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 1 << 16  # never fold: a quote stays on one line, as in the files
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    return yaml


def _node(value: Any, key: str | None = None, flow: bool = False) -> Any:
    if isinstance(value, Mapping):
        mapping = CommentedMap()
        for name, item in value.items():
            mapping[name] = _node(item, name, flow or name in FLOW)
        if flow:
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        seq = CommentedSeq(_node(item, key, flow or key in FLOW_ITEMS) for item in value)
        if flow or key in FLOW:
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and (key in PROSE or not _plain(value)):
        return DoubleQuotedScalarString(value)
    return value


def render_item(item: Mapping[str, Any], dash_column: int) -> str:
    """`item` as one block-sequence entry whose dash is at `dash_column` (0-based), ending with a newline."""
    stream = io.StringIO()
    _yaml().dump([_node(item)], stream)
    lines = stream.getvalue().splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    text = "".join(" " * dash_column + line[indent:] + "\n" for line in lines)
    return INVISIBLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
