"""Bibliographic files for the import tests, written from the bundled sources.yaml (every identifier comes from a
verified entry there; none is typed in a test)."""

from __future__ import annotations

import json
from pathlib import Path

from kb.data.dataset import load
from kb.data.schema import Source

DATA = Path(__file__).resolve().parent.parent / "data"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bundled(ident: str) -> Source:
    dataset = load(DATA)
    assert dataset.sources is not None
    return next(source for source in dataset.sources.sources if source.id == ident)


def _month(source: Source) -> str:
    return MONTHS[int(source.issued[5:7]) - 1] if source.issued and len(source.issued) >= 7 else ""


def bibtex(*sources: Source) -> str:
    entries = []
    for source in sources:
        authors = " and ".join(f"{a.family}, {a.given}" if a.given else a.family for a in source.authors)
        fields = {
            "author": authors,
            "title": "{" + source.title + "}",
            "journal": source.container_title,
            "year": (source.issued or "")[:4],
            "month": _month(source),
            "volume": source.volume,
            "number": source.issue,
            "pages": (source.pages or "").replace("-", "--"),
            "doi": source.doi,
        }
        body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items() if value)
        entries.append(f"@article{{{source.id.replace('-', '')},\n{body}\n}}\n")
    return "\n".join(entries)


def ris(*sources: Source) -> str:
    records = []
    for source in sources:
        lines = ["TY  - JOUR", f"ID  - {source.id}", f"TI  - {source.title}"]
        lines += [f"AU  - {a.family}, {a.given}" for a in source.authors]
        lines += [f"JO  - {source.container_title}", f"PY  - {(source.issued or '')[:4]}"]
        lines += [f"VL  - {source.volume}", f"IS  - {source.issue}"]
        start, _, end = (source.pages or "").partition("-")
        lines += [f"SP  - {start}", f"EP  - {end}", f"DO  - {source.doi}", "ER  - "]
        records.append("\n".join(lines) + "\n")
    return "\n".join(records)


def csl_json(*sources: Source) -> str:
    items = []
    for source in sources:
        parts = [int(part) for part in (source.issued or "").split("-") if part]
        item = {
            "id": source.id,
            "type": source.type,
            "title": source.title,
            "author": [{"family": a.family, "given": a.given} for a in source.authors],
            "container-title": source.container_title,
            "issued": {"date-parts": [parts]},
            "volume": source.volume,
            "issue": source.issue,
            "page": source.pages,
            "DOI": source.doi,
            "PMCID": source.pmcid,
        }
        items.append({key: value for key, value in item.items() if value})
    return json.dumps(items, indent=2)


def pubmed_xml(source: Source, publication_type: str = "Journal Article") -> str:
    authors = "".join(
        f"<Author><LastName>{a.family}</LastName><ForeName>{a.given}</ForeName></Author>" for a in source.authors
    )
    complete = "N" if source.authors_incomplete else "Y"
    month = _month(source).capitalize()
    return f"""<?xml version="1.0" ?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">
<PubmedArticleSet><PubmedArticle>
<MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{source.pmid}</PMID>
<Article PubModel="Print-Electronic"><Journal><JournalIssue CitedMedium="Internet"><Volume>{source.volume}</Volume>
<Issue>{source.issue}</Issue><PubDate><Year>{(source.issued or "")[:4]}</Year><Month>{month}</Month></PubDate>
</JournalIssue><Title>{source.container_title}</Title><ISOAbbreviation>{source.container_title_short}</ISOAbbreviation>
</Journal><ArticleTitle>{source.title}.</ArticleTitle><Pagination><MedlinePgn>{source.pages}</MedlinePgn></Pagination>
<AuthorList CompleteYN="{complete}">{authors}</AuthorList>
<PublicationTypeList><PublicationType UI="D016428">{publication_type}</PublicationType></PublicationTypeList>
</Article></MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="pubmed">{source.pmid}</ArticleId>
<ArticleId IdType="doi">{source.doi}</ArticleId></ArticleIdList></PubmedData>
</PubmedArticle></PubmedArticleSet>
"""


def medline(source: Source) -> str:
    lines = [f"PMID- {source.pmid}", f"TI  - {source.title}.", f"VI  - {source.volume}", f"IP  - {source.issue}"]
    lines += [f"DP  - {(source.issued or '')[:4]} {_month(source).capitalize()}", f"PG  - {source.pages}"]
    lines += [f"LID - {source.doi} [doi]"]
    lines += [f"FAU - {a.family}, {a.given}" for a in source.authors]
    lines += ["PT  - Journal Article", f"TA  - {source.container_title_short}", f"JT  - {source.container_title}"]
    return "\n".join(lines) + "\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
