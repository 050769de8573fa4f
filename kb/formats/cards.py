"""Human output with rich. Only this module and the CLI import rich; the library returns records and dicts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kb.query.cards import ClaimCard
from kb.records import SearchHit

LEVEL_STYLE = {"high": "bold green", "moderate": "green", "low": "yellow", "very-low": "red", "no-evidence": "bold red"}
STATUS_STYLE = {"approved": "green", "use-with-caveat": "yellow", "do-not-use": "bold red"}
VERDICT_STYLE = {"accurate": "green", "understated": "yellow"}


def _styled(value: str | None, styles: dict[str, str], default: str = "red") -> Text:
    return Text(value or "-", style=styles.get(value or "", default))


def _wording(hit: SearchHit) -> Text:
    """The approved wording under the statement: what a writer may say, or that the claim is not to be used."""
    if hit.approved_wording:
        text = Text("approved wording: ", style="bold")
        text.append(hit.approved_wording)
        return text
    return Text("approved wording: none (do not use this claim)", style=STATUS_STYLE["do-not-use"])


def search_blocks(hits: Sequence[SearchHit]) -> Group:
    """The hits for a narrow terminal: a heading line per hit (score, claim, evidence, status), then the statement
    and the approved wording, each wrapped to the width; nothing is cropped."""
    parts: list[RenderableType] = [Text(f"{len(hits)} claim(s)", style="bold")]
    for hit in hits:
        head = Text(f"{hit.score:.0f}  ", style="bold")
        head.append(hit.claim_id, style="bold")
        head.append("  ")
        head.append_text(_styled(hit.evidence, LEVEL_STYLE))
        head.append("  ")
        head.append_text(_styled(hit.status, STATUS_STYLE))
        parts += [Text(""), head, Text(hit.statement), _wording(hit)]
        if hit.matched:
            parts.append(Text(f"matched: {hit.matched}", style="dim"))
    return Group(*parts)


def search_table(hits: Sequence[SearchHit]) -> Table:
    table = Table(title=f"{len(hits)} claim(s)", show_lines=True, expand=False)
    table.add_column("score", justify="right", no_wrap=True)
    # Nothing is cropped: on a narrow terminal the ids fold and the statement wraps (at 80 columns it keeps a third).
    table.add_column("claim", overflow="fold", min_width=10)
    table.add_column("evidence", overflow="fold")
    table.add_column("status", overflow="fold")
    table.add_column("statement", overflow="fold", ratio=1, min_width=16)
    for hit in hits:
        statement = Text(hit.statement)
        statement.append("\n").append_text(_wording(hit))
        if hit.matched:
            statement.append(f"\nmatched: {hit.matched}", style="dim")
        table.add_row(
            f"{hit.score:.0f}",
            hit.claim_id,
            _styled(hit.evidence, LEVEL_STYLE),
            _styled(hit.status, STATUS_STYLE),
            statement,
        )
    return table


def format_value(value: dict[str, Any] | None) -> str:
    if not value:
        return "-"
    if value.get("stance"):
        return f"stance: {value['stance']}"
    if value.get("entity"):
        return f"{value.get('entity_type') or 'entity'}: {value['entity']}"
    qualifier = value.get("qualifier", "exact")
    number = f"{value['value']:g}" if value.get("value") is not None else f"{value['low']:g}-{value['high']:g}"
    hedge = "" if qualifier == "exact" else qualifier.replace("-", " ") + " "
    return f"{hedge}{number} {value.get('unit', '')}".strip()


def _identifiers(source: dict[str, Any]) -> str:
    labels = (("doi", "DOI"), ("pmid", "PMID"), ("pmcid", "PMCID"), ("nct", "NCT"), ("url", "URL"))
    return "  ".join(f"{label} {source[key]}" for key, label in labels if source.get(key))


def claim_panel(card: ClaimCard, citations: dict[str, str]) -> RenderableType:
    claim = card.claim
    evidence = claim["evidence"]
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_row("statement", claim["statement"])
    head.add_row("subject", f"{card.subject['label']} ({card.subject['id']})")
    head.add_row("value", format_value(claim.get("value")))
    level = _styled(evidence["level"], LEVEL_STYLE)
    if evidence["level"] != evidence["derived"]:
        level.append(f"  (derived: {evidence['derived']}; curator override: {evidence['override_rationale']})")
    head.add_row("evidence", level)
    head.add_row("why", "\n".join(evidence["reasons"]) + f"\nOxford CEBM 2011 level: {evidence['cebm']}")
    head.add_row("status", _styled(claim["status"], STATUS_STYLE))
    head.add_row("approved wording", claim.get("approved_wording") or "- (do not use)")
    if claim.get("caveats"):
        head.add_row("caveats", "\n".join(f"- {c}" for c in claim["caveats"]))
    parts: list[RenderableType] = [head]
    parts.append(_sources_block(card, citations))
    parts.append(_mentions_block(card))
    if card.same_subject:
        others = Table(title="Other claims on this subject", title_justify="left", show_header=False, box=None)
        for other in card.same_subject:
            others.add_row(
                other["id"],
                _styled(other["level"], LEVEL_STYLE),
                _styled(other["status"], STATUS_STYLE),
                other["statement"],
            )
        parts.append(others)
    return Panel(Group(*parts), title=claim["id"], title_align="left")


def _sources_block(card: ClaimCard, citations: dict[str, str]) -> RenderableType:
    table = Table(title="Sources", title_justify="left", show_header=False, box=None, padding=(0, 1))
    links = card.claim.get("sources", [])
    if not links:
        return Text("Sources: none (no evidence)", style="bold red")
    for link in links:
        source = card.sources.get(link["source"], {})
        lines = [citations.get(link["source"], link["source"]), _identifiers(source)]
        published = ", ".join(str(p) for p in (source.get("container_title"), source.get("issued")) if p)
        if published:
            lines.append(f"published: {published}")
        where = ", ".join(p for p in (source.get("institution"), source.get("city")) if p)
        design = f"design: {source.get('design', '?')}, n={source.get('n', '?')}" + (f", {where}" if where else "")
        lines.append(f"{design}; level on its own: {source.get('level')}")
        if link.get("locator") or link.get("quote"):
            lines.append(f"{link.get('locator') or ''}: \u201c{link.get('quote') or ''}\u201d".strip(": "))
        if link.get("indirectness"):
            lines.append(f"indirect: {link['indirectness']}")
        table.add_row(Text(link.get("relation", "supports"), style="bold"), "\n".join(line for line in lines if line))
    return table


def _mentions_block(card: ClaimCard) -> RenderableType:
    mentions = card.claim.get("mentions", [])
    if not mentions:
        return Text("Page mentions: none")
    table = Table(title="Page mentions", title_justify="left", show_lines=True)
    for column in ("page", "verdict", "quote", "note"):
        table.add_column(column, overflow="fold")
    for mention in mentions:
        page = card.pages.get(mention["page"], {})
        where = f"{mention['page']}\n({page.get('seed_file', '?')})"
        quote = f"\u201c{mention['quote']}\u201d"
        if mention.get("attribution"):
            quote += f"\nattributed to: {mention['attribution']}"
        table.add_row(where, _styled(mention["verdict"], VERDICT_STYLE), quote, mention["note"])
    return table


def sources_table(rows: Sequence[dict[str, Any]]) -> Table:
    table = Table(title=f"{len(rows)} source(s)")
    for column in ("id", "design", "year", "title", "journal", "identifiers", "level", "claims"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            row["id"],
            row["design"],
            str(row["year"] or ""),
            row["title"],
            row["container_title"] or "",
            _identifiers(row),
            _styled(row["level"], LEVEL_STYLE),
            str(row["claims"]),
        )
    return table


def pages_table(rows: Sequence[dict[str, Any]]) -> Table:
    table = Table(title=f"{len(rows)} page(s)")
    for column in ("id", "publisher", "title", "location", "seed file", "mentions", "flagged"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            row["id"],
            row["publisher"],
            row["title"],
            row["location"] or "",
            row["seed_file"],
            str(row["mentions"]),
            str(row["flagged"]),
        )
    return table


SUBJECT_COUNTS = (
    ("claims", "total"),
    ("approved", "approved"),
    ("caveat", "use-with-caveat"),
    ("do-not-use", "do-not-use"),
)


def subjects_table(rows: Sequence[dict[str, Any]]) -> Table:
    """One row a subject: its id and kind with its label under them, and its claim counts by writer status. Nothing
    is cropped: ids fold and labels wrap."""
    table = Table(title=f"{len(rows)} subject(s)", show_lines=True)
    table.add_column("subject", overflow="fold", ratio=1, min_width=16)
    for header, _ in SUBJECT_COUNTS:
        table.add_column(header, justify="right", no_wrap=True)
    for row in rows:
        counts = [str(row["claims"][key]) for _, key in SUBJECT_COUNTS]
        table.add_row(_subject(row), *counts)
    return table


def subjects_blocks(rows: Sequence[dict[str, Any]]) -> Group:
    """The subjects for a narrow terminal: id and kind, the label, then the counts, each wrapped to the width."""
    parts: list[RenderableType] = [Text(f"{len(rows)} subject(s)", style="bold")]
    for row in rows:
        claims = row["claims"]
        counts = ", ".join(f"{claims[key]} {header}" for header, key in SUBJECT_COUNTS[1:])
        parts += [Text(""), _subject(row), Text(f"{claims['total']} claim(s): {counts}")]
    return Group(*parts)


def _subject(row: dict[str, Any]) -> Text:
    """The id and kind ("quantity (time)") on the first line, the label under them."""
    text = Text(row["id"], style="bold")
    kind = f"{row['kind']} ({row['dimension']})" if row.get("dimension") else str(row["kind"])
    text.append(f"  {kind}", style="dim")
    text.append(f"\n{row['label']}")
    return text
