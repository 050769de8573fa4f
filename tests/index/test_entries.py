"""claims.yaml cut into claims by text (kb.index.entries): the layout it reads, the ones it refuses, and the check
against the parser that keeps a cut the parser would read otherwise from ever being used."""

from __future__ import annotations

import pytest

from kb.data.yamlload import load_text, outline_of
from kb.index.entries import agrees, cut

CLAIMS = """\
subjects:
  - id: s
    label: a subject
claims:
  # leading comment
  - id: a
    statement: "first:
      continued"
    note: |
      - not an item
  - id: b
    statement: second
  # between
  - id: c
    statement: third
treatment_names: [x]
"""


def test_the_claims_are_cut_where_the_parser_puts_them() -> None:
    found = cut(CLAIMS)
    assert found is not None
    assert [chunk.split("\n")[0] for chunk in found.chunks] == ["  - id: a", "  - id: b", "  - id: c"]
    assert found.first_line == (6, 11, 14) and found.end_line == 16
    assert "# leading comment" in found.frame and "treatment_names" in found.frame
    assert "".join(found.chunks) in CLAIMS
    assert agrees(found, outline_of(load_text(CLAIMS, "claims.yaml")))


def test_items_at_the_margin_and_a_file_ending_in_claims() -> None:
    text = "subjects: []\nclaims:\n- id: a\n  statement: one\n- id: b\n  statement: two\n"
    found = cut(text)
    assert found is not None and len(found.chunks) == 2 and found.end_line == 0
    assert found.chunks[-1] == "- id: b\n  statement: two\n"  # the file's last line break stays with the claim
    assert agrees(found, outline_of(load_text(text, "claims.yaml")))


@pytest.mark.parametrize(
    "text",
    [
        "claims: []\n",
        "claims:\n  [{id: a}]\n",
        "claims:\r\n  - id: a\r\n",
        "claims:\n\t- id: a\n",
        "---\nclaims:\n  - id: a\n",
        "claims:\n  - id: a\nclaims:\n  - id: b\n",
        "claims:\n    - id: a\n  - id: b\n",  # a line left of the items that is not an item
        "subjects: []\n",
    ],
)
def test_layouts_the_cut_does_not_read(text: str) -> None:
    assert cut(text) is None


def test_a_cut_the_parser_reads_otherwise_is_not_kept() -> None:
    """A quoted scalar continued at the margin: the cut ends the claims there, the parser does not."""
    text = 'claims:\n  - id: a\n    statement: "one\ntwo"\n  - id: b\n    statement: three\n'
    found = cut(text)
    assert found is not None
    assert not agrees(found, outline_of(load_text(text, "claims.yaml")))
