"""Quotes against what they quote: a source's own words and the registered pages' text, normalised alike, with an
elision ("...") allowed; the closest text when a quote is not found."""

from __future__ import annotations

import re
from pathlib import Path, PurePath

from rapidfuzz import fuzz, process

from kb.data.dataset import Dataset
from kb.data.schema import Source
from kb.data.yamlload import decode, read_regular
from kb.errors import DataError
from kb.text.normalise import normalise

ELLIPSIS = "..."  # what `normalise` makes of "…" too

# What may stand between a quoted part and an ellipsis without being the source's: "MAY 1 – … the study".
ELIDED_PUNCTUATION = " -,;:"


def source_texts(source: Source) -> list[tuple[str, str]]:
    """The source's own words kb records, normalised, each with what it is: its title, then its findings.

    Titles are recorded without the full stop a record (PubMed) prints after them; a quote may keep it."""
    title = normalise(source.title)
    title = title if title.endswith((".", "?", "!")) else title + "."
    return [("title", title), *((f"finding {f.id}", normalise(f.quote)) for f in source.findings)]


def quoted(quote: str, texts: list[str]) -> bool:
    """Whether a normalised quote is verbatim in one of the texts.

    An ellipsis marks an omission: "A … B" is verbatim when A and then B are, in the order the texts are recorded,
    each part inside one text. Punctuation joining a part to the ellipsis ("MAY 1 – …") is not required."""
    if any(quote in text for text in texts):
        return True
    if ELLIPSIS not in quote:
        return False
    pieces = quote.split(ELLIPSIS)
    parts = [
        piece.lstrip(ELIDED_PUNCTUATION if index else "").rstrip(ELIDED_PUNCTUATION if index < len(pieces) - 1 else "")
        for index, piece in enumerate(pieces)
    ]
    parts = [part for part in parts if part.strip()]
    if not parts:
        return False
    joined, at = "\0".join(texts), 0  # no quote holds a NUL, so no part matches across two texts
    for part in parts:
        found = joined.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def closest_text(quote: str, texts: list[tuple[str, str]]) -> str:
    """A "did you mean" for a quote that is not verbatim: the closest passage of the closest recorded text."""
    if not texts:
        return "record the source's words as a finding first, or remove the quote"
    match = process.extractOne(quote, [text for _, text in texts], scorer=fuzz.WRatio)
    label, text = texts[match[2]]
    if match[1] < 50:
        return f"copy the quote verbatim from the source's title or findings (none is close; nearest: {label})"
    aligned = fuzz.partial_ratio_alignment(quote, text)
    start, end = (aligned.dest_start, aligned.dest_end) if aligned else (0, len(text))
    while start > 0 and text[start - 1] != " ":  # whole words
        start -= 1
    while end < len(text) and text[end] != " ":
        end += 1
    passage = text[start:end]
    passage = passage if len(passage) <= 120 else passage[:117] + "..."
    return f"did you mean {passage!r} ({label})?"


def page_path(root: Path, file: str) -> tuple[Path | None, str]:
    """Where a page's `file:` points, if inside the data folder; else None and why. Checked before any read, so
    `../.env`, `/etc/passwd` or a link out of the folder is never opened (and never quoted in a hint)."""
    if PurePath(file).is_absolute() or file.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", file):
        return None, "is an absolute path"
    base = root.resolve()
    try:
        target = (root / file).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None, "cannot be resolved (a symbolic link loop?)"
    if target != base and base not in target.parents:
        link = " through a symbolic link" if ".." not in PurePath(file).parts else ""
        return None, f"points outside the data folder{link}"
    return target, ""


def page_texts(dataset: Dataset) -> dict[str, str | None]:
    """Normalised text of each page; None (with a problem recorded) where the file cannot be read."""
    texts: dict[str, str | None] = {}
    assert dataset.pages is not None
    for index, page in enumerate(dataset.pages.pages):
        texts[page.id] = None
        where = ("pages", index, "file")
        path, why = page_path(dataset.root, page.file)
        if path is None:
            hint = "page copies live in the data folder; give a path relative to it, e.g. pages/<id>.txt"
            dataset.problem("pages", where, "page-file-outside", f"page file {page.file!r} {why}", hint)
            continue
        try:
            raw = read_regular(path, page.file, "a page file", "the path is relative to the data folder")
            texts[page.id] = normalise(decode(raw, page.file))
        except DataError as exc:
            dataset.problem("pages", where, "page-file", f"{page.file}: {exc.message}", exc.hint)
    return texts
