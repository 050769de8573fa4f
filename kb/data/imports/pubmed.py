"""PubMed: the XML efetch and the PubMed site export (`PubmedArticleSet`), read with lxml (no DTD, no entities
from outside, no network), and the MEDLINE text format (`PMID- …` tags) PubMed's "Save: PubMed format" writes.

A design is taken only from a publication type that names one; "Review" or "Journal Article" name none.
"""

from __future__ import annotations

import re
from collections import defaultdict

from lxml import etree

from kb.data.imports.record import Record, author, clean, compact, issued, page_range, split_name
from kb.errors import DataError

DESIGNS = {
    "Randomized Controlled Trial": "rct",
    "Practice Guideline": "consensus-guideline",
    "Guideline": "consensus-guideline",
    "Consensus Development Conference": "consensus-guideline",
    "News": "news-article",
    "Newspaper Article": "news-article",
    "Congress": "conference-abstract",
    "Historical Article": "historical-review",
}


def _design(types: list[str]) -> str | None:
    found = {DESIGNS[kind] for kind in types if kind in DESIGNS}
    return found.pop() if len(found) == 1 else None  # two designs named: the record does not settle it


def _text(element: etree._Element | None) -> str | None:
    return clean("".join(str(part) for part in element.itertext())) if element is not None else None


def _article(node: etree._Element) -> Record:
    citation = node.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    if citation is None or article is None:
        raise ValueError("a PubmedArticle without MedlineCitation/Article")
    pmid = _text(citation.find("PMID"))
    issue = article.find("Journal/JournalIssue")
    date = issue.find("PubDate") if issue is not None else None
    year = _text(date.find("Year")) if date is not None else None
    if year is None and date is not None:
        year = (_text(date.find("MedlineDate")) or "")[:4]
    authors = []
    author_list = article.find("AuthorList")
    for person in author_list.findall("Author") if author_list is not None else []:
        entry = author(
            _text(person.find("LastName")) or _text(person.find("CollectiveName")), _text(person.find("ForeName"))
        )
        if entry:
            authors.append(entry)
    ids = {item.get("IdType"): _text(item) for item in node.findall("PubmedData/ArticleIdList/ArticleId")}
    doi = ids.get("doi") or next((_text(e) for e in article.findall("ELocationID") if e.get("EIdType") == "doi"), None)
    types = [t for t in (_text(e) for e in article.findall("PublicationTypeList/PublicationType")) if t]
    fields = {
        "type": "article-journal",
        "title": (_text(article.find("ArticleTitle")) or "").rstrip(".") or None,  # PubMed prints a full stop
        "authors": authors,
        "authors_incomplete": author_list is not None and author_list.get("CompleteYN") == "N",
        "container_title": _text(article.find("Journal/Title")),
        "container_title_short": _text(article.find("Journal/ISOAbbreviation")),
        "issued": issued(
            year,
            _text(date.find("Month")) if date is not None else None,
            _text(date.find("Day")) if date is not None else None,
        ),
        "volume": _text(issue.find("Volume")) if issue is not None else None,
        "issue": _text(issue.find("Issue")) if issue is not None else None,
        "pages": page_range(_text(article.find("Pagination/MedlinePgn"))),
        "doi": doi,
        "pmid": pmid,
        "pmcid": ids.get("pmc"),
    }
    fields = compact({key: value for key, value in fields.items() if value is not False})
    return Record(pmid, fields, _design(types))


def _xml(text: str, shown: str) -> list[Record]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise DataError(f"malformed XML: {exc.msg}", shown, line, column, "export the PubMed XML again") from None
    articles = [root] if root.tag == "PubmedArticle" else root.findall("PubmedArticle")
    try:
        return [_article(node) for node in articles]
    except ValueError as exc:
        raise DataError(str(exc), shown, 1, 1, "export the PubMed XML again") from None


TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3})\s*-\s?(.*)$")


def _one(tags: dict[str, list[str]], name: str) -> str:
    values = tags.get(name)
    return " ".join(values[0].split()) if values else ""


def _medline(text: str) -> list[Record]:
    records = []
    for block in re.split(r"\n\s*\n", text.strip()):
        tags: defaultdict[str, list[str]] = defaultdict(list)
        last = None
        for line in block.splitlines():
            match = TAG.match(line)
            if match:
                last = match.group(1)
                tags[last].append(match.group(2).strip())
            elif last and line.startswith("      "):
                tags[last][-1] += " " + line.strip()  # a continuation line
        if "PMID" not in tags:
            continue
        date = _one(tags, "DP").split()
        lids = [*tags.get("LID", []), *tags.get("AID", [])]
        doi = next((lid.removesuffix(" [doi]") for lid in lids if lid.endswith("[doi]")), None)
        names = tags.get("FAU") or tags.get("AU") or []
        fields = {
            "type": "article-journal",
            "title": _one(tags, "TI").rstrip(".") or None,
            "authors": [a for a in (split_name(name) for name in names) if a],
            "container_title": clean(_one(tags, "JT")),
            "container_title_short": clean(_one(tags, "TA")),
            "issued": issued(*(date + ["", ""])[:3]) if date else None,
            "volume": clean(_one(tags, "VI")),
            "issue": clean(_one(tags, "IP")),
            "pages": page_range(_one(tags, "PG")),
            "doi": doi,
            "pmid": tags["PMID"][0],
            "pmcid": clean(_one(tags, "PMC")),
        }
        records.append(Record(tags["PMID"][0], compact(fields), _design(tags.get("PT", []))))
    return records


def read(text: str, shown: str) -> list[Record]:
    """XML when the file starts with `<`, else the MEDLINE text format."""
    return _xml(text, shown) if text.lstrip().startswith("<") else _medline(text)
