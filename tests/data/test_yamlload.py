"""The YAML loader's direct construction (kb.data.yamlload): values, positions and every refusal as PyYAML's own
construction gave them, for the tags kb data uses and for those it hands back to PyYAML."""

from __future__ import annotations

import pytest

from kb.data.yamlload import MarkedDict, MarkedList, load_text
from kb.errors import DataError

VALUES = (
    "a: 1\nb: 1.5\nc: true\nd: null\ne: 2018-11-01\nf: '3'\ng: !!str 4\nh: [x, {y: z}]\ni: ~\nj: ''\nk: 0x1F\n"
    "l: 1_000\nm: Yes\nn: !!timestamp 2001-01-01\no: !!float 1\np: !!set {x, y}\nq: !!binary aGVsbG8=\n"
)


def test_values_as_pyyaml_reads_them_with_dates_as_text() -> None:
    data = load_text(VALUES, "f.yaml")
    assert data == {
        "a": 1,
        "b": 1.5,
        "c": True,
        "d": None,
        "e": "2018-11-01",
        "f": "3",
        "g": "4",
        "h": ["x", {"y": "z"}],
        "i": None,
        "j": "",
        "k": 31,
        "l": 1000,
        "m": True,
        "n": "2001-01-01",
        "o": 1.0,
        "p": {"x", "y"},
        "q": b"hello",
    }
    assert data.key_positions["h"] == (8, 1)
    items = data["h"]
    assert isinstance(items, MarkedList) and items.item_positions == [(8, 5), (8, 8)]
    assert isinstance(items[1], MarkedDict) and items[1].position == (8, 8) and items[1].key_positions == {"y": (8, 9)}


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: &x foo\nb: *x\n", (2, 4), "YAML aliases are not allowed in kb data"),
        ("x: &a [1]\ny: *a\n", (2, 4), "YAML aliases are not allowed in kb data"),
        ("a: &x [*x]\n", (1, 4), "malformed YAML: found unconstructable recursive node"),
        ("a: &x {b: *x}\n", (1, 4), "malformed YAML: found unconstructable recursive node"),
        ("a: 1\na: 2\n", (2, 1), "duplicate key 'a' (first written on line 1)"),
        ("? [1, 2]\n: x\n", (1, 3), "keys must be text, not [1, 2]"),
        ("1: x\n", (1, 1), "keys must be text, not 1"),
        ("a: " + "9" * 400 + "\n", (1, 4), "integer too large (1,329 bits)"),
        ("a: !foo x\n", (1, 4), "malformed YAML: could not determine a constructor for the tag '!foo'"),
        ("<<: {a: 1}\n", (1, 1), "could not determine a constructor for the tag 'tag:yaml.org,2002:merge'"),
    ],
)
def test_refusals_are_located(text: str, where: tuple[int, int], message: str) -> None:
    with pytest.raises(DataError) as caught:
        load_text(text, "f.yaml")
    assert (caught.value.line, caught.value.column) == where
    assert message in str(caught.value)


def test_an_int_tag_with_no_value_is_a_located_error_not_a_crash() -> None:
    """PyYAML's own int constructor fails with IndexError on an empty `!!int` (found by tests/data/test_fastyaml.py)."""
    with pytest.raises(DataError, match="unreadable value"):
        load_text("a: !!int\n", "f.yaml")
