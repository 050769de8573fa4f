"""The fast reading (kb.data.fastyaml) is exact or declines: on generated documents (valid, and mutated into
anything), on the edge cases the two parsers read differently, and on every YAML file in the repository."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.data.checked import load_checked
from kb.data.dataset import load
from kb.data.fastyaml import fast_load
from kb.data.validate import check
from kb.data.yamlload import load_text, outline_of
from kb.errors import DataError, KBError

ROOT = Path(__file__).resolve().parents[2]


def _typed(value: Any) -> Any:
    """The value with its types and key order made comparable (`==` says 1 == 1.0 == True and ignores order)."""
    if isinstance(value, dict):
        return ("map", [(_typed(key), _typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("seq", [_typed(item) for item in value])
    return (type(value).__name__, value)


def _same_or_declined(text: str) -> bool:
    """The promise: fast_load returns what load_text returns (and its outline), or None. Returns True when taken."""
    fast = fast_load(text, text.encode())
    try:
        slow = load_text(text, "f.yaml")
    except (DataError, RecursionError):
        assert fast is None, f"fast read {text!r}, which the positioned loader refuses"
        return False
    if fast is None:
        return False
    data, outline = fast
    assert _typed(data) == _typed(slow), text
    assert outline == outline_of(slow), text
    return True


# Tokens the two parsers may read differently, and ordinary text.
SPECIAL = [
    *"yes Yes YES no No NO y Y n N true True TRUE false False FALSE on On ON off Off OFF".split(),
    *"null Null NULL ~ 0 00 012 -0 +3 1_000 0x1F 0o17 0b101 1:30 1e5 1E5 1.5 1.50 .5 -.5 1.5e+3 1.5e3 1.".split(),
    *".inf -.inf .Inf .nan .NaN 2024-01-05 2024-01-05T10:00:00Z << = - ? : , [ ] { } # & * ! | > ' \" % @ `".split(),
    *"*x &x !x !!str !!int @x `x %x a:b a#b x,y 3 in 4 on-time 12 mg 50% 99999999999999999999".split(),
    "",
    " ",
    "a: b",
    "a #b",
    "x, y",
    "é",
    "\u2028",
    "\x85",
    "\\",
    "\\n",
    "a\\b",
    "  lead",
    "trail  ",
]
WORD = st.sampled_from(SPECIAL) | st.text(st.sampled_from("ab1 -:#,'\"\\é"), max_size=6)
ESCAPES = ["\\x41", "\\u00e9", "\\t", "\\n", "\\N", "\\_", "\\L", "\\P", "\\/", "\\e", "\\0", "\\a", "\\\\", '\\"']


@st.composite
def scalar(draw: st.DrawFn, indent: int) -> str:
    word = draw(WORD)
    style = draw(st.sampled_from(["plain", "plain", "single", "double", "escaped", "literal", "folded"]))
    if style == "plain":
        return word
    if style == "single":
        return "'" + word.replace("'", "''") + "'"
    if style == "double":
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "escaped":
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + draw(st.sampled_from(ESCAPES)) + '"'
    header = ("|" if style == "literal" else ">") + draw(st.sampled_from(["", "-", "+"]))
    pad = " " * (indent + 2)
    lines = draw(st.lists(WORD, min_size=1, max_size=3))
    return header + "".join(f"\n{pad}{line}" for line in lines)


@st.composite
def flow(draw: st.DrawFn, depth: int) -> str:
    items = draw(st.lists(st.sampled_from(SPECIAL[:60]) | st.sampled_from(["a", "'q'", '"d"']), max_size=3))
    if depth < 2 and draw(st.booleans()):
        items.append(draw(flow(depth + 1)))
    if draw(st.booleans()):
        return "[" + ", ".join(items) + "]"
    return "{" + ", ".join(f"k{n}: {item}" for n, item in enumerate(items)) + "}"


@st.composite
def node(draw: st.DrawFn, indent: int, depth: int) -> str:
    """A value placed after `key:` or `-` (it starts with its own separator: a space, or a line break)."""
    kind = draw(st.sampled_from(["scalar", "scalar", "flow", "map", "seq"] if depth < 3 else ["scalar", "flow"]))
    if kind == "scalar":
        return " " + draw(scalar(indent))
    if kind == "flow":
        return " " + draw(flow(0))
    return "\n" + draw(block(indent + 2, depth + 1, kind))


@st.composite
def block(draw: st.DrawFn, indent: int, depth: int, kind: str) -> str:
    pad = " " * indent
    lines = []
    for n in range(draw(st.integers(1, 3))):
        comment = draw(st.sampled_from(["", "", " # note", "\n" + pad + "# own line", "\n"]))
        if kind == "map":
            key = draw(st.sampled_from([f"k{n}", f"k{n}", "'yes'", '"1"', "yes", "1", "~", "<<", f"'k{n}'"]))
            lines.append(f"{pad}{key}:{draw(node(indent, depth))}{comment}")
        else:
            lines.append(f"{pad}-{draw(node(indent, depth))}{comment}")
    return "\n".join(lines)


DOCUMENT = st.builds(lambda body, end: body + end, block(0, 0, "map"), st.sampled_from(["\n", "", "\n\n"]))


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(DOCUMENT)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "indent", "duplicate"]))
        if edit == "insert":
            text = text[:at] + draw(st.sampled_from([*"-:#,'\"[]{}&*!|>%@` \n", "\n  ", "- ", ": "])) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + 1 :]
        elif edit == "indent":
            start = text.rfind("\n", 0, at) + 1
            text = text[:start] + " " + text[start:]
        else:
            start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
            line = text[start : end if end >= 0 else len(text)]
            text = text[:start] + line + "\n" + text[start:]
    return text


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT)
def test_a_generated_document_is_read_exactly_or_declined(text: str) -> None:
    _same_or_declined(text)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_document_is_read_exactly_or_declined(text: str) -> None:
    _same_or_declined(text)


def test_generated_documents_are_mostly_read_the_fast_way() -> None:
    """The property above would hold for a reader that always declines: this one takes ordinary documents."""
    ordinary = [
        "a: 1\nb: [x, 'y', \"z\"]\nc:\n  - d: text, with a comma\n    e: |\n      two\n      lines\n",
        "claims:\n- id: one\n  statement: '12'\n  value: {low: 1.5, high: 3}\n# comment\n- id: two\n",
        "k: 'yes'\nm: \"1e5\"\nn: null\no: true\np:\nq: 2024-01-05\nr: A &amp; B, `code` and *stars*\n",
    ]
    assert all(_same_or_declined(text) for text in ordinary)


@pytest.mark.parametrize(
    "text",
    [
        "a: yes\n",
        "a: ~\n",
        "a: 012\n",
        "a: 1_000\n",
        "a: 0x1F\n",
        "a: 1e5\n",
        "a: !!str 12\n",
        "a: &x 1\nb: *x\n",
        "a: @x\n",
        "a: `x\n",
        "a: {b: 1, b: 2}\n",
        "a: 1\na: 2\n",
        "1: x\n",
        "yes: x\n",
        "<<: {a: 1}\n",
        "a: " + "9" * 400 + "\n",
        "--- \na: 1\n",
        "a: 1\n...\n",
        "a:\n\t- 1\n",
        "a: 1\r\nb: 2\r\n",
        "\ufeffa: 1\n",
        "a: \x07\n",
        "- a\n- b\n",
        "just text\n",
        "",
        "a: [" * 120 + "]" * 120 + "\n",
        "claims:\n- &a\n  id: x\n",
        "a: &\n",
        "a: &x\nb: &x\n",
        "a: &amp; x\n",
        "a: ]\n",
        "a: -.5\n",
        "a: |\n  yes",
        "a: \u2028\n",
    ],
)
def test_the_edge_cases_the_parsers_read_differently_decline(text: str) -> None:
    assert fast_load(text, text.encode()) is None
    _same_or_declined(text)


def _yaml_files() -> list[Path]:
    skip = {".venv", ".git", "node_modules", ".ci-node", ".ci-lowest"}
    found = [p for p in ROOT.rglob("*.yaml") if not skip & set(p.relative_to(ROOT).parts)]
    return sorted(found + [p for p in ROOT.rglob("*.yml") if not skip & set(p.relative_to(ROOT).parts)])


def test_every_yaml_file_in_the_repository_is_read_exactly_and_the_data_the_fast_way() -> None:
    taken = set()
    files = _yaml_files()
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if _same_or_declined(text):
            taken.add(path)
    data = [p for p in files if p.parent == ROOT / "data" or p.parent.parent == ROOT / "examples"]
    assert data and all(p in taken for p in data), sorted(set(data) - taken)


def test_a_fast_load_gives_the_datasets_models_of_a_positioned_one() -> None:
    for folder in [ROOT / "data", *sorted((ROOT / "examples").iterdir())]:
        if not (folder / "claims.yaml").is_file():
            continue
        fast, slow = load(folder, fast=True), load(folder)
        assert not fast.positioned and slow.positioned
        assert fast.claims == slow.claims and fast.sources == slow.sources and fast.pages == slow.pages
        assert fast.outline("claims") == slow.outline("claims")


def test_data_with_a_problem_is_loaded_again_with_positions(tmp_path: Path) -> None:
    for name in ("claims.yaml", "sources.yaml", "pages.yaml"):
        (tmp_path / name).write_text((ROOT / "data" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "pages").symlink_to(ROOT / "data" / "pages") if (ROOT / "data" / "pages").exists() else None
    claims = tmp_path / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    first = text.index("\n  - id: ") if "\n  - id: " in text else text.index("\n- id: ")
    claims.write_text(text[:first] + text[first:].replace("id: ", "id: Not An Id ", 1), encoding="utf-8")
    dataset, problems = load_checked(tmp_path)
    assert problems and dataset.positioned
    assert problems == check(load(tmp_path))
    assert all(problem.line > 1 for problem in problems)


def test_an_unreadable_file_is_the_same_error_either_way(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_bytes(b"claims: [\xff]\n")
    messages = []
    for fast in (True, False):
        with pytest.raises(KBError) as caught:
            load(tmp_path, fast=fast)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
