"""What `kb add source`, `kb add claim` and `kb add mention` add, as writer additions (`kb.data.write`).

Identifiers and the bibliographic fields `kb validate` asks a record for (`validate.VERIFIABLE`: DOI, PMID, PMCID,
NCT, volume, issue, pages, URL, date) enter only with `verified_at`: the record the curator checked them against.
Without it they are dropped, listed under the source's `unverified`, and the caller says so in one line; the rest
of the record (title, authors, journal) enters, since a claim can rest on it and the citation shows what is known.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kb.data.dataset import Dataset
from kb.data.enums import Design
from kb.data.imports.record import Record
from kb.data.validate import VERIFIABLE
from kb.data.write.transaction import Addition
from kb.errors import NotFound, UsageError
from kb.text.suggest import did_you_mean

ORDER = (
    "id",
    "type",
    "design",
    "title",
    "authors",
    "authors_incomplete",
    "organisation",
    "container_title",
    "container_title_short",
    "issued",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "pmcid",
    "nct",
    "issn",
    "url",
)
RECORDED = ("title", "authors", "container_title", "container_title_short")  # verified with the record when given


@dataclass(frozen=True)
class Prepared:
    """A source ready to add, and the identifying fields left out for want of `verified_at`."""

    entry: dict[str, Any]
    dropped: tuple[str, ...]


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def default_id(record: Record) -> str:
    """`family-year` as the bundled data names sources (`schwenk-2018`), else the title's first words."""
    fields = record.fields
    authors = fields.get("authors") or []
    year = str(fields.get("issued") or "")[:4]
    head = slug(authors[0]["family"]) if authors else "-".join(slug(fields.get("title", "source")).split("-")[:3])
    return "-".join(part for part in (head or "source", year) if part)


def free_id(ident: str, taken: Iterable[str]) -> str:
    used = set(taken)
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if f"{ident}{letter}" not in used:
            return f"{ident}{letter}"
    return f"{ident}-new"


def refuse_taken(kind: str, ident: str, taken: Iterable[str]) -> None:
    taken = list(taken)
    if ident in taken:
        raise UsageError(
            f"{kind} id {ident!r} exists already", hint=f"choose another id with --id, e.g. {free_id(ident, taken)!r}"
        )


def findings_from(specs: Sequence[str]) -> list[dict[str, str]]:
    """`--finding "ID=the source's words"` as findings (verbatim quotes a claim's `quote` may then cite)."""
    found = []
    for spec in specs:
        ident, equals, quote = spec.partition("=")
        if not equals or not ident.strip() or not quote.strip():
            raise UsageError(f"cannot read --finding {spec!r}", hint='write --finding "finding-id=the verbatim words"')
        found.append({"id": ident.strip(), "quote": quote.strip()})
    return found


def prepare_source(
    record: Record, ident: str, design: str | None, verified_at: str | None, findings: Sequence[str] = ()
) -> Prepared:
    fields = dict(record.fields)
    chosen = design or record.design
    if chosen is None:
        designs = ", ".join(d.value for d in Design)
        raise UsageError(
            f"{record.where or 'the record'} states no publication type that names a study design",
            hint=f"pass --design, one of: {designs}",
        )
    dropped = tuple(name for name in VERIFIABLE if name in fields and verified_at is None)
    for name in dropped:
        del fields[name]
    entry: dict[str, Any] = {"id": ident, "type": fields.pop("type", "article"), "design": chosen}
    for name in ORDER[3:]:
        if name in fields:
            entry[name] = fields.pop(name)
    entry.update(fields)
    if "title" not in entry:
        raise UsageError(f"{record.where or 'the record'} has no title", hint="pass --title")
    if verified_at is not None:
        checked = [name for name in (*RECORDED, *VERIFIABLE) if name in entry]
        entry["verified_at"] = dict.fromkeys(checked + (["findings"] if findings else []), verified_at)
    if dropped:
        entry["unverified"] = list(dropped)
    if findings:
        entry["findings"] = findings_from(findings)
    return Prepared(entry, dropped)


def source_additions(prepared: Sequence[Prepared]) -> list[Addition]:
    return [Addition("sources", ("sources",), item.entry, f"source {item.entry['id']}") for item in prepared]


def _claim_index(dataset: Dataset, claim_id: str) -> int:
    assert dataset.claims is not None
    ids = [claim.id for claim in dataset.claims.claims]
    if claim_id not in ids:
        raise NotFound(f"unknown claim {claim_id!r}", hint=did_you_mean(claim_id, ids) or "see `kb search`")
    return ids.index(claim_id)


def claim_addition(dataset: Dataset, claim: Mapping[str, Any], new_subjects: Iterable[str] = ()) -> Addition:
    if dataset.claims is None:
        raise UsageError("claims.yaml does not validate", hint="run `kb validate` and fix it first")
    ident = str(claim.get("id", ""))
    refuse_taken("claim", ident, (c.id for c in dataset.claims.claims))
    subjects = [subject.id for subject in dataset.claims.subjects] + list(new_subjects)
    subject = str(claim.get("subject", ""))
    if subject not in subjects:
        raise NotFound(
            f"unknown subject {subject!r}",
            hint=did_you_mean(subject, subjects)
            or "add the subject first (`kb add claim --from-yaml` takes subjects:)",
        )
    return Addition("claims", ("claims",), dict(claim), f"claim {ident}")


def subject_addition(dataset: Dataset, subject: Mapping[str, Any]) -> Addition:
    assert dataset.claims is not None
    ident = str(subject.get("id", ""))
    refuse_taken("subject", ident, (s.id for s in dataset.claims.subjects))
    return Addition("claims", ("subjects",), dict(subject), f"subject {ident}")


def mention_addition(dataset: Dataset, claim_id: str, mention: Mapping[str, Any]) -> Addition:
    index = _claim_index(dataset, claim_id)
    assert dataset.pages is not None
    pages = [page.id for page in dataset.pages.pages]
    page = str(mention.get("page", ""))
    if page not in pages:
        raise NotFound(f"unknown page {page!r}", hint=did_you_mean(page, pages) or "register it in pages.yaml")
    return Addition("claims", ("claims", index, "mentions"), dict(mention), f"mention of {claim_id} on {page}")


VALUE = re.compile(r"^\s*(?P<low>-?\d+(?:\.\d+)?)\s*(?:(?:-|–|to)\s*(?P<high>-?\d+(?:\.\d+)?))?\s*(?P<unit>\S.*?)?\s*$")


def _number(text: str) -> int | float:
    number = float(text)
    return int(number) if number.is_integer() else number


def parse_value(
    text: str | None, qualifier: str | None, stance: str | None, entity: str | None
) -> dict[str, Any] | None:
    """`--value "77 percent"`, `"30-100 day"`, `--stance not-addictive` or `--entity Philadelphia` as a claim value."""
    given = [name for name, option in (("--value", text), ("--stance", stance), ("--entity", entity)) if option]
    if len(given) > 1:
        raise UsageError(f"{' and '.join(given)} exclude each other", hint="a claim has one value")
    if stance:
        return {"kind": "stance", "stance": stance}
    if entity:
        return {"kind": "entity", "entity": entity}
    if not text:
        return None
    match = VALUE.match(text)
    if match is None or not match["unit"]:
        raise UsageError(
            f"cannot read --value {text!r}", hint='write a number or range and a unit: "77 percent", "30-100 day"'
        )
    value: dict[str, Any] = {"kind": "quantity"}
    if match["high"]:
        value |= {"low": _number(match["low"]), "high": _number(match["high"])}
    else:
        value["value"] = _number(match["low"])
    value["unit"] = match["unit"]
    if qualifier:
        value["qualifier"] = qualifier
    return value
