"""Institutions and journals read from how they are written, listed in the knowledge base or not."""

from __future__ import annotations

import pytest

from kb.language.names import compatible, credited_names


@pytest.mark.parametrize(
    ("sentence", "kind", "names"),
    [
        ("Researchers at the Mayo Clinic found that most improved.", "institution", ["Mayo Clinic"]),
        ("A Harvard study of 61 patients found it.", "institution", ["Harvard"]),
        ("Scientists at the University of Toronto ran the trial.", "institution", ["University of Toronto"]),
        ("It appeared in the journal Cephalalgia in 2018.", "journal", ["Cephalalgia"]),
        ("The study was published in The Journal of Headache and Pain.", "journal", ["Journal of Headache and Pain"]),
        ("Researchers at Harvard found that most improved.", "institution", ["Harvard"]),
        ("A team from Stanford University ran it.", "institution", ["Stanford University"]),
        ("A recent study found that most improved.", "institution", []),
        ("A Small Study found it.", "institution", []),
    ],
)
def test_names_a_sentence_credits(sentence: str, kind: str, names: list[str]) -> None:
    assert credited_names(sentence)[kind] == names


def test_a_part_of_the_sources_name_is_compatible_another_name_is_not() -> None:
    assert compatible("Jefferson", "Thomas Jefferson University")
    assert compatible("the Thomas Jefferson University", "Thomas Jefferson University")
    assert not compatible("Mayo Clinic", "Thomas Jefferson University")
    assert not compatible("The Journal of Headache and Pain", "Regional Anesthesia & Pain Medicine")
