"""BibTeX entries for sources, written by bibtexparser (imported when used): keys like "smith2018", LaTeX-encoded
text fields, identifiers verbatim, and "others" for an author list that was cut off."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kb.query.csl import DATE, authors, text_of

if TYPE_CHECKING:
    from bibtexparser.middlewares.names import NameParts
    from bibtexparser.model import Entry

_BIBTEX_TYPES = {"article-journal": "article", "paper-conference": "inproceedings", "report": "techreport"}


def _ascii_word(text: str) -> str:
    """Lower-case ASCII letters and digits of `text`'s first word, for an entry key."""
    words = text.split()
    folded = unicodedata.normalize("NFKD", words[0] if words else "")
    return re.sub(r"[^a-z0-9]", "", folded.encode("ascii", "ignore").decode().lower())


def _key_stem(source: Mapping[str, Any]) -> str:
    """First author's family name (or organisation, or title) and year: "smith2018"."""
    names = authors(source)
    who = names[0]["family"] if names else text_of(source.get("organisation")) or text_of(source.get("title")) or ""
    year = (text_of(source.get("issued")) or "")[:4]
    return (_ascii_word(who) or "anon") + (year if year.isdigit() else "nd")


def _entry_keys(sources: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    """Unique entry keys; stems shared by several sources get "a", "b", … appended."""
    stems = [_key_stem(source) for source in sources]
    counts = {stem: stems.count(stem) for stem in stems}
    used: dict[str, int] = {}
    for stem in stems:
        if counts[stem] == 1:
            yield stem
            continue
        used[stem] = used.get(stem, 0) + 1
        yield stem + _suffix(used[stem])


def _suffix(number: int) -> str:
    """1 -> "a", 26 -> "z", 27 -> "aa"."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _latex(values: dict[str, str]) -> dict[str, str]:
    """The values LaTeX-encoded by bibtexparser's middleware, so that "&", "%" or "é" cannot break a LaTeX run."""
    from bibtexparser.library import Library
    from bibtexparser.middlewares import LatexEncodingMiddleware
    from bibtexparser.model import Entry, Field

    entry = Entry("misc", "encode", [Field(key, value) for key, value in values.items()])
    encoded = LatexEncodingMiddleware(enclose_urls=False).transform(Library([entry]))
    if not encoded.entries:
        raise ValueError(f"cannot LaTeX-encode {values!r}")
    return {field.key: field.value for field in encoded.entries[0].fields}


def _bibtex_names(source: Mapping[str, Any]) -> list[NameParts]:
    """Author names as bibtexparser name parts; "others" ends a cut-off list, and a corporate author is
    braced so that BibTeX keeps it whole."""
    from bibtexparser.middlewares.names import NameParts

    people = authors(source)
    organisation = text_of(source.get("organisation"))
    if not people and organisation is not None:
        return [NameParts(last=["{" + _latex({"name": organisation})["name"] + "}"])]
    names = []
    for author in people:
        encoded = _latex(author)
        names.append(NameParts(first=[encoded["given"]] if "given" in encoded else [], last=[encoded["family"]]))
    if names and source.get("authors_incomplete"):
        names.append(NameParts(last=["others"]))
    return names


def _text_fields(source: Mapping[str, Any], entry_type: str) -> dict[str, str]:
    """Fields holding prose, LaTeX-encoded."""
    container = {"article": "journal", "inproceedings": "booktitle"}.get(entry_type, "howpublished")
    values = {
        "title": text_of(source.get("title")),
        container: text_of(source.get("container_title")),
        "institution": text_of(source.get("organisation")) if entry_type == "techreport" else None,
    }
    return _latex({key: value for key, value in values.items() if value is not None})


def _verbatim_fields(source: Mapping[str, Any], entry_type: str) -> dict[str, str | int]:
    """Numbers, identifiers and links, written as they are."""
    match = DATE.match(text_of(source.get("issued")) or "")
    number = source.get("issue") if entry_type == "article" else source.get("nct") or source.get("article_number")
    values = {
        "year": match.group(1) if match else None,
        "month": int(match.group(2)) if match and match.group(2) else None,
        "volume": text_of(source.get("volume")),
        "number": text_of(number),
        "pages": text_of(source.get("pages")),
        "eid": text_of(source.get("article_number")) if entry_type == "article" else None,
        "doi": text_of(source.get("doi")),
        "pmid": text_of(source.get("pmid")),
        "pmcid": text_of(source.get("pmcid")),
        "url": text_of(source.get("url")),
    }
    return {key: value for key, value in values.items() if value is not None}


def _bibtex_entry(source: Mapping[str, Any], key: str) -> Entry:
    """One BibTeX entry: author, prose fields, then numbers and identifiers."""
    from bibtexparser.model import Entry, Field

    entry_type = _BIBTEX_TYPES.get(text_of(source.get("type")) or "", "misc")
    fields = [Field(name, value) for name, value in _text_fields(source, entry_type).items()]
    fields += [Field(name, value) for name, value in _verbatim_fields(source, entry_type).items()]
    names = _bibtex_names(source)
    if names:
        fields.insert(0, Field("author", names))
    return Entry(entry_type, key, fields)


def format_bibtex(sources: Sequence[Mapping[str, Any]]) -> str:
    """BibTeX entries written by bibtexparser, keyed like "smith2018"."""
    from bibtexparser import middlewares
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library

    keys = _entry_keys(sources)
    library = Library([_bibtex_entry(source, key) for source, key in zip(sources, keys, strict=True)])
    names = [middlewares.MonthAbbreviationMiddleware(), middlewares.MergeNameParts(), middlewares.MergeCoAuthors()]
    return write_string(library, prepend_middleware=names).strip()
