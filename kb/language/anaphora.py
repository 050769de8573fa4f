"""A sentence that opens on "This increase …" or "These figures …" speaks of what the sentence before it named.

"The researchers also found a rise in doses above 5 mg. This increase was observed from 2005, when the prevalence
rate was 0.08%." The second sentence's key term ("prevalence") fits the share of all users, but its figure is the
share taking doses above 5 mg, which the first sentence named. A figure bound only by key terms in such a sentence
goes to the quantity subject of its dimension that the previous sentence named.
"""

from __future__ import annotations

import re

from kb.language.sentence import read_sentence, roles_of, subject_score
from kb.language.values import StatedValue
from kb.language.vocabulary import Vocabulary

OPENS_ON_WHAT_CAME_BEFORE = re.compile(r"^\W*(?:this|these|that|those|such|the same)\b", re.IGNORECASE)


def named_quantities(text: str, vocabulary: Vocabulary) -> dict[str | None, str]:
    """Dimension -> the quantity subject the sentence names best (an alias, or a key term with a cue)."""
    reading = read_sentence(text, vocabulary)
    best: dict[str | None, tuple[int, str]] = {}
    for index, hits in reading.by_subject.items():
        subject = vocabulary.subjects[index]
        roles = roles_of(hits)
        if subject.kind != "quantity" or "exclude" in roles:
            continue
        if "alias" in roles or ("term" in roles and "cue" in roles):
            score = subject_score(roles)
            if subject.dimension not in best or score > best[subject.dimension][0]:
                best[subject.dimension] = (score, subject.id)
    return {dimension: subject_id for dimension, (_, subject_id) in best.items()}


def carried_over(
    found: list[tuple[str, StatedValue]], text: str, previous: str, vocabulary: Vocabulary
) -> list[tuple[str, StatedValue]]:
    """`found` with each figure re-bound to the subject the previous sentence named, where this sentence opens
    on it and does not name the figure's subject itself."""
    if not previous or not found or not OPENS_ON_WHAT_CAME_BEFORE.match(text):
        return found
    before = named_quantities(previous, vocabulary)
    if not before:
        return found
    here = set(named_quantities(text, vocabulary).values())
    out = []
    for subject_id, value in found:
        spec = vocabulary.by_id[subject_id]
        other = before.get(spec.dimension)
        if spec.kind == "quantity" and other is not None and other != subject_id and subject_id not in here:
            subject_id = other
        out.append((subject_id, value))
    return out
