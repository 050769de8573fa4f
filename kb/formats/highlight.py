"""Where each finding sits in the page's text as `kb check` read it: the sentences of the page (visible text, not
markup), each cut into pieces, every piece carrying the findings that cover it.

A finding points at a span of the original file (line, column, end line, end column). The sentence holding that
span is found by offsets; inside it, the finding's own words are looked up in the sentence as read (the sentence is
normalised text, so a figure in HTML is found even when the file spells it with entities). A finding whose words are
the whole sentence covers the whole sentence. Findings may overlap or nest; the pieces keep them apart, so the
markup built from them always nests (see `kb.formats.html`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kb.pages.read import Document
from kb.pages.sentences import Sentence
from kb.pages.visible import LineIndex
from kb.records import Finding
from kb.text.normalise import loose, normalise


@dataclass(frozen=True)
class Piece:
    """Visible text, and the numbers of the findings that cover it (outermost first)."""

    text: str
    findings: tuple[int, ...] = ()


@dataclass(frozen=True)
class Block:
    """One sentence of the page, cut into pieces; `breaks` is what comes before it: 0 same line, 1 a line break,
    2 a new paragraph."""

    pieces: tuple[Piece, ...]
    breaks: int


@dataclass(frozen=True)
class Located:
    """The page as blocks, and which finding numbers were placed in it (the others could not be found)."""

    blocks: tuple[Block, ...]
    placed: frozenset[int]


def _sentence_of(sentences: Sequence[Sentence], start: int, end: int) -> int | None:
    """The sentence that shares the most of [start, end) (a located quote may run past its sentence a little)."""
    best, best_overlap = None, 0
    for number, sentence in enumerate(sentences):
        if sentence.start >= max(end, start + 1):
            break
        shared = min(end, sentence.end) - max(start, sentence.start)
        if shared > best_overlap or (shared == best_overlap == 0 and sentence.start <= start < sentence.end):
            best, best_overlap = number, shared
    return best


def _within(sentence: Sentence, finding: Finding, start: int) -> tuple[int, int] | None:
    """The finding's words in the sentence as read: as written, or read as kb reads them (entities decoded, quotes
    and dashes folded: `normalise`); exactly, else loosely (spaces, hyphens), else without case; the occurrence
    nearest where the finding starts."""
    text = sentence.text
    forms = dict.fromkeys(w for w in (" ".join(finding.text.split()), normalise(finding.text)) if w)
    if text in forms:
        return 0, len(text)
    expected = start - sentence.start
    for pattern in [*(re.escape(w) for w in forms), *(loose(w) for w in forms)]:
        found = [(m.start(), m.end()) for m in re.finditer(pattern, text)]
        found = found or [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]
        if found:
            return min(found, key=lambda span: abs(span[0] - expected))
    return None


def _pieces(text: str, spans: Sequence[tuple[int, int, int]]) -> tuple[Piece, ...]:
    """Cut `text` at every span's ends; each piece lists the spans covering it, longer (outer) ones first."""
    cuts = sorted({0, len(text), *(a for a, _, _ in spans), *(b for _, b, _ in spans)})
    order = {number: (a, -b, number) for a, b, number in spans}
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [number for start, end, number in spans if start <= a and b <= end]
        pieces.append(Piece(text[a:b], tuple(sorted(covering, key=order.__getitem__))))
    return tuple(pieces)


_BLOCK_TAG = re.compile(r"</?(?:p|div|h[1-6]|li|ul|ol|tr|table|section|article|blockquote|br)\b", re.IGNORECASE)


def _breaks(doc: Document, before: Sentence | None, sentence: Sentence) -> int:
    if before is None:
        return 0
    gap = doc.source[before.end : sentence.start]
    if doc.kind == "html":
        return 2 if _BLOCK_TAG.search(gap) else 0
    return min(gap.count("\n"), 2)


def locate(doc: Document, findings: Sequence[tuple[int, Finding]]) -> Located:
    """The page's sentences in order, with the numbered findings placed on their words."""
    lines = LineIndex(doc.source)
    spans: dict[int, list[tuple[int, int, int]]] = {}
    for number, finding in findings:
        start = lines.offset(finding.line, finding.column)
        end = max(start + 1, lines.offset(finding.end_line, finding.end_column))
        at = _sentence_of(doc.sentences, start, end)
        if at is None:
            continue
        place = _within(doc.sentences[at], finding, start)
        if place is not None and place[0] < place[1]:
            spans.setdefault(at, []).append((place[0], place[1], number))
    blocks = []
    before = None
    for at, sentence in enumerate(doc.sentences):
        blocks.append(Block(_pieces(sentence.text, spans.get(at, ())), _breaks(doc, before, sentence)))
        before = sentence
    placed = frozenset(number for listed in spans.values() for _, _, number in listed)
    return Located(tuple(blocks), placed)
