"""What a page states on each subject, read from its text: the sentences about a subject (aliases, key terms,
cues), and the value each gives: a quantity normalised to its base unit with its hedge, a stance with negation
handled, or a named entity together with the study it is about.

Nothing here reads the curated page mentions: the statements come from the words on the page, so a new page is
read the same way as the bundled ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kb.fastclass import replace
from kb.language.anaphora import carried_over
from kb.language.cues import CLAIMED_AFTER, DISTANCED
from kb.language.effects import read_effects
from kb.language.entities import stated_entity
from kb.language.sentence import (
    STATEMENT_BREAK,
    Hit,
    Reading,
    clause_ids,
    hedger,
    read_sentence,
    roles_of,
    subject_score,
)
from kb.language.sentence import negator as negating_word
from kb.language.times import Candidate, counting, resolve_relatives, stated_quantities, stated_relatives
from kb.language.values import HEDGED, ONE_OF, StatedValue, Statement
from kb.language.vocabulary import SubjectSpec, Vocabulary
from kb.pages.read import Document
from kb.pages.sentences import Sentence
from kb.text.normalise import fold

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|</(?:p|li|h[1-6]|div|section|td)>|^#", re.MULTILINE)


def _stance(reading: Reading, subject: SubjectSpec, roles: dict[str, list[Hit]]) -> StatedValue | None:
    """The stance a sentence takes: longest phrases first, a negated phrase takes the other of two stances."""
    taken: list[tuple[str, Hit]] = []
    covered: set[int] = set()
    for hit in sorted(roles.get("stance", ()), key=lambda h: (-(h.end - h.start), h.start)):
        span = set(range(hit.start, hit.end))
        if span & covered:
            continue
        covered |= span
        stance = hit.entry.payload
        at = reading.tokens.starts[hit.start]
        if DISTANCED.search(reading.converted, max(0, at - 100), at) or CLAIMED_AFTER.match(reading.converted, at):
            continue  # "some clinics claim it is non-addictive", "it cures X, some sites claim": reported
        negator = negating_word(reading, hit.start)
        if negator is not None:
            others = [s for s in subject.stances if s != stance]
            if len(others) != 1:
                continue
            stance = others[0]
            hit = Hit(hit.entry, negator, hit.end)  # the words read include the negation: "not addictive"
        taken.append((stance, hit))
    if not taken:
        return None
    votes: dict[str, int] = {}
    for stance, _ in taken:
        votes[stance] = votes.get(stance, 0) + 1
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None  # the sentence takes both sides: not a statement either way
    stance = ranked[0][0]
    hits = sorted((h for s, h in taken if s == stance), key=lambda h: h.start)
    said = dict.fromkeys(
        reading.converted[reading.tokens.starts[h.start] : reading.tokens.ends[h.end - 1]] for h in hits
    )
    words = " … ".join(list(said)[:2])
    # Of two stances one denies the other; of more (mechanisms, kinds) each is one account among several, and two
    # pages that give different ones do not contradict each other.
    if len(subject.stances) > 2:
        qualifier = ONE_OF
    elif hedger(reading, hits[0].start) is not None:
        qualifier = HEDGED
    else:
        qualifier = "exact"
    return StatedValue(words, stance=stance, qualifier=qualifier)


_MEMO: dict[tuple[int, str, bool], tuple[list[tuple[str, StatedValue]], bool]] = {}


def sentence_statements(
    text: str, vocabulary: Vocabulary, on_other: bool = False, converted: str | None = None
) -> tuple[list[tuple[str, StatedValue]], bool]:
    """(subject id, value) for every subject the sentence gives a value on, and whether the sentence is about
    another treatment: it names one and not this one, or follows one that did (`on_other`) without naming this.
    `converted` is the sentence through kb.text.quantities.digits, when the caller has it already. Memoised: sites
    repeat sentences (disclaimers, footers, shared copy)."""
    key = (id(vocabulary), text, on_other)
    found = _MEMO.get(key)
    if found is None:
        if len(_MEMO) > 50_000:
            _MEMO.clear()
        found = _MEMO[key] = _sentence_statements(text, vocabulary, on_other, converted)
    return list(found[0]), found[1]


def _sentence_statements(
    text: str, vocabulary: Vocabulary, on_other: bool, converted: str | None
) -> tuple[list[tuple[str, StatedValue]], bool]:
    reading = read_sentence(text, vocabulary, converted)
    if reading.treatment:
        on_other = False
    elif reading.other_treatment:
        on_other = True
    if on_other:
        return [], True  # a sentence about lidocaine or triptans says nothing about this treatment
    found: list[tuple[str, StatedValue]] = []
    claimed: dict[tuple[str | None, int], tuple[int, int, str, StatedValue]] = {}
    for index, hits in reading.by_subject.items():
        subject = vocabulary.subjects[index]
        roles = roles_of(hits)
        if "exclude" in roles and subject.kind != "quantity":
            continue
        if subject.stances and "stance" in roles and ("about" in roles or index not in vocabulary.needs_about):
            stance = _stance(reading, subject, roles)
            if stance is not None:
                found.append((subject.id, stance))
                continue
        if subject.kind == "entity":
            entity = stated_entity(reading, subject, vocabulary)
            if entity is not None:
                found.append((subject.id, entity))
            continue
        if subject.kind != "quantity":
            continue
        if not ("alias" in roles or ("term" in roles and "cue" in roles)):
            continue
        candidates = stated_quantities(reading.converted, reading.tokens, subject.dimension, vocabulary.view.units)
        if subject.dimension == "count" and subject.terms:
            candidates = counting(candidates, subject.terms)
        if subject.relative_to:
            anchor = vocabulary.by_id.get(subject.relative_to)
            candidates += stated_relatives(reading.converted, reading.tokens, tuple(anchor.terms) if anchor else ())
        anchors = [h.start for h in hits if h.entry.role in ("alias", "term", "cue")]
        if candidates and "exclude" in roles:
            # An exclusion speaks for its clause: "Our sessions take 40 minutes, and relief comes within a day"
            # still gives the session's length; "Once the session finishes it takes 20 minutes" does not.
            candidates = _in_clauses(candidates, clause_ids(reading), [h.start for h in roles["exclude"]], keep=False)
        if candidates:
            # The figures of a statement that names the subject (all of them in a one-statement sentence).
            candidates = _in_clauses(candidates, clause_ids(reading, STATEMENT_BREAK), anchors, keep=True)
        if not candidates:
            continue
        best = min(candidates, key=lambda c: min(abs(c.position - a) for a in anchors))
        distance = min(abs(best.position - a) for a in anchors)
        key = (subject.dimension, best.position)
        score = subject_score(roles)
        held = claimed.get(key)
        # One figure is one subject's: the subject with the most evidence for it, then the nearest cue.
        if held is None or (score, -distance) > (held[0], -held[1]):
            claimed[key] = (score, distance, subject.id, with_interval(text, best.value))
    found += [(subject_id, value) for _, _, subject_id, value in claimed.values()]
    if reading.study:
        # A study's city or journal need not be a word the vocabulary lists: look for it wherever a study is named.
        for index in vocabulary.entity_subjects:
            if index not in reading.by_subject:
                entity = stated_entity(reading, vocabulary.subjects[index], vocabulary)
                if entity is not None:
                    found.append((vocabulary.subjects[index].id, entity))
    return found, False


def _in_clauses(candidates: list[Candidate], clause: list[int], words: list[int], keep: bool) -> list[Candidate]:
    """The figures in a clause that holds one of `words` (`keep`), or in none that does."""
    if not clause:
        return candidates
    marked = {clause[word] for word in words if word < len(clause)}
    return [c for c in candidates if (clause[min(c.position, len(clause) - 1)] in marked) == keep]


def with_interval(text: str, value: StatedValue) -> StatedValue:
    """The figure with the 95% confidence interval the sentence gives it: the first one after the figure's words
    ("7.06 minutes (95% CI: -8.81 to -5.30)"), or the sentence's only one."""
    if "95" not in text:
        return value
    intervals = [i for i in read_effects(text) if i.measure == "ci"]
    if not intervals:
        return value
    at = text.find(value.text.split()[0]) if value.text else -1
    after = [i for i in intervals if at >= 0 and text.find(i.text) > at]
    chosen = after[0] if after else intervals[0] if len(intervals) == 1 else None
    return value if chosen is None else replace(value, ci=(chosen.low, chosen.high), ci_text=chosen.text)


def document_statements(
    doc: Document,
    vocabulary: Vocabulary,
    page: str | None = None,
    converted: Callable[[str], str] | None = None,
    page_in_scope: bool | None = None,
) -> list[Statement]:
    """Every statement of a page, with relative times resolved against the page's own statements."""
    statements = []
    on_other = False
    previous_end = 0
    scope = vocabulary.view.scope
    if page_in_scope is None:
        page_in_scope = scope.page_in_scope(fold(sentence.text) for sentence in doc.sentences)
    previous = ""  # the sentence before, in the same paragraph
    for number, sentence in enumerate(doc.sentences):
        opens_paragraph = number == 0 or bool(_PARAGRAPH_BREAK.search(doc.source, previous_end, sentence.start))
        if opens_paragraph:
            on_other, previous = False, ""  # what a paragraph is about ends with it
        previous_end = sentence.end
        digitised = converted(sentence.text) if converted else None
        found, about_other = sentence_statements(sentence.text, vocabulary, on_other, digitised)
        found, previous = carried_over(found, sentence.text, previous, vocabulary), sentence.text
        # A paragraph that opens on another treatment ("Lidocaine Treatment. ... Many studies have proven ...") is
        # about it to its end; a passing mention ("tried triptans") is not.
        on_other = about_other and (opens_paragraph or on_other)
        if sentence.text.rstrip().endswith("?"):
            continue  # a question states nothing
        if not scope.sentence_in_scope(fold(sentence.text), page_in_scope):
            continue  # about another condition: the knowledge base's subjects do not apply
        for subject, value in found:
            statements.append(_statement(doc, sentence, subject, value, page or doc.path, vocabulary))
    return resolve_relatives(statements, vocabulary)


def _statement(
    doc: Document, sentence: Sentence, subject: str, value: StatedValue, page: str, vocabulary: Vocabulary
) -> Statement:
    spec = vocabulary.by_id[subject]
    return Statement(
        subject,
        page,
        doc.path,
        sentence.line,
        sentence.column,
        sentence.end_line,
        sentence.end_column,
        doc.source[sentence.start : sentence.end],
        value,
        spec.source if spec.kind == "entity" else None,
    )
