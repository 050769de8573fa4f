"""Output of `kb contradictions`: `text` (rich, the two sides of each conflict side by side) and `json`.

Where the 61-patient study was done  [study-city]
  source: Philadelphia (Author 2017, …)
  error    page vs source  Boston vs Philadelphia for the same study; the source (…) says Philadelphia
           ┌ pages/clinic.txt:7:60  Boston   ┬ Author 2017 …  Philadelphia ┐
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from rich.table import Table
from rich.text import Text

from kb.contradictions.report import Conflict, ConflictKind, SubjectReport
from kb.formats.console import report_console
from kb.language.compare import ValueClass, describe
from kb.language.intervals import interval_text, unit_scale
from kb.language.values import StatedValue, Statement
from kb.language.vocabulary import SourceValue
from kb.records import InputError, Severity

KIND_LABEL = {ConflictKind.PAGE_VS_SOURCE: "page vs source", ConflictKind.PAGE_VS_PAGE: "page vs page"}
STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}
QUOTE_LIMIT = 240
SIDE_LIMIT = 4  # statements shown per side of a conflict in text; json lists them all


def value_text(value: StatedValue) -> str:
    """The value as read ("about 15 to 30 minutes") and, for quantities, normalised ("13.5–33 min")."""
    if value.entity is not None:
        return value.entity
    if value.stance is not None:
        return f"{value.stance} (“{value.text}”)"
    normalised = interval_text(value.low, value.high, value.dimension, unit_scale(value))
    said = f"{value.text} = {normalised}" if value.text != normalised else normalised
    return f"{said} ({value.basis})" if value.basis else said


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= QUOTE_LIMIT else flat[: QUOTE_LIMIT - 1] + "…"


def _where(statement: Statement) -> str:
    return f"{statement.path}:{statement.line}:{statement.column}"


def _side(cls: ValueClass) -> Text:
    text = Text()
    for i, statement in enumerate(cls.statements[:SIDE_LIMIT]):
        if i:
            text.append("\n")
        text.append(_where(statement) + "\n", style="bold")
        text.append(f"{value_text(statement.value)}\n", style="cyan")
        text.append(f"“{_quote(statement.quote)}”")
    hidden = len(cls.statements) - SIDE_LIMIT
    if hidden > 0:
        more = f"\n… and {hidden} more statement(s) of this value ({len(cls.pages)} page(s) in all; see --format json)"
        text.append(more, style="dim")
    return text


def _source_side(source: SourceValue) -> Text:
    text = Text()
    text.append(source.cite or ", ".join(source.sources), style="bold")
    text.append(f"  [{source.claim_id}]\n", style="dim")
    text.append(source.statement)
    return text


def _conflict_table(conflict: Conflict) -> Table:
    table = Table(show_header=False, expand=True, padding=(0, 1))
    table.add_column(ratio=1, overflow="fold")
    table.add_column(ratio=1, overflow="fold")
    other = _side(conflict.other) if conflict.other else _source_side(conflict.source) if conflict.source else Text()
    table.add_row(_side(conflict.pages), other)
    return table


def _subject_heading(report: SubjectReport) -> Text:
    heading = Text(report.subject.label, style="bold")
    heading.append(f"  [{report.subject.id}]", style="dim")
    pages = len({s.page for s in report.statements})
    heading.append(f"  {len(report.statements)} statement(s) on {pages} page(s)", style="dim")
    return heading


def render_text(reports: Sequence[SubjectReport], color: bool = False, show_all: bool = False, width: int = 120) -> str:
    console, out = report_console(color, width)
    for report in reports:
        if not report.conflicts and not show_all:
            continue
        console.print(_subject_heading(report))
        for source in report.source_values:
            said = _source_value_text(source)
            if said:
                console.print(Text(f"  source: {said} ({source.cite})", style="green"))
        if not report.conflicts:
            for statement in report.statements:
                console.print(f"  {_where(statement)}  {value_text(statement.value)}", highlight=False)
        for conflict in report.conflicts:
            line = Text("  ")
            line.append(f"{conflict.severity.label:<8}", style=STYLE[conflict.severity])
            line.append(f"{KIND_LABEL[conflict.kind]:<15}")
            line.append(conflict.reason)
            console.print(line)
            console.print(_conflict_table(conflict))
        console.print()
    return out.getvalue()


def _source_value_text(source: SourceValue) -> str:
    q = source.quantity
    if q is not None:
        return describe(StatedValue(q.text, q.low, q.high, q.dimension))
    if source.stance is None and source.entity is None:
        return ""
    return describe(StatedValue("", stance=source.stance, entity=source.entity))


def summary(reports: Sequence[SubjectReport], statements: int, files: int) -> str:
    conflicts = [c for r in reports for c in r.conflicts]
    against_source = sum(c.kind is ConflictKind.PAGE_VS_SOURCE for c in conflicts)
    subjects = sum(1 for r in reports if r.conflicts)
    return (
        f"{len(conflicts)} conflict(s) on {subjects} subject(s): {against_source} page vs source, "
        f"{len(conflicts) - against_source} page vs page ({statements} statement(s) in {files} file(s))"
    )


# ------------------------------------------------------------------------------------------------------------ json


def value_object(value: StatedValue) -> dict[str, Any]:
    data = value.as_dict()
    if value.is_quantity:
        data["normalised"] = interval_text(value.low, value.high, value.dimension, unit_scale(value))
    return data


def statement_object(statement: Statement) -> dict[str, Any]:
    data: dict[str, Any] = {
        "page": statement.page,
        "path": statement.path,
        "line": statement.line,
        "column": statement.column,
        "end_line": statement.end_line,
        "end_column": statement.end_column,
        "quote": statement.quote,
        "value": value_object(statement.value),
    }
    if statement.source:
        data["about_source"] = statement.source
    return data


def source_object(source: SourceValue) -> dict[str, Any]:
    data: dict[str, Any] = {
        "claim": source.claim_id,
        "statement": source.statement,
        "sources": list(source.sources),
        "cite": source.cite,
    }
    if source.entity is not None:
        data["entity"] = source.entity
    if source.stance is not None:
        data["stance"] = source.stance
    if source.quantity is not None:
        q = source.quantity
        data["quantity"] = {"text": q.text, "low": q.low, "high": q.high, "dimension": q.dimension}
    return data


def conflict_object(conflict: Conflict, value_ids: dict[int, int]) -> dict[str, Any]:
    """A conflict between two value classes (by id), or between one and the source's value. Statements are listed
    once per subject and values refer to them, so the report stays linear in statements however many pages agree."""
    against: dict[str, Any]
    if conflict.other is not None:
        against = {"value": value_ids[id(conflict.other)]}
    elif conflict.source is not None:
        against = {"source": source_object(conflict.source)}
    else:
        against = {}
    return {
        "kind": conflict.kind.value,
        "severity": conflict.severity.label,
        "reason": conflict.reason,
        "value": value_ids[id(conflict.pages)],
        "against": against,
    }


def subject_object(report: SubjectReport) -> dict[str, Any]:
    statement_ids = {id(statement): number for number, statement in enumerate(report.statements)}
    value_ids = {id(cls): number for number, cls in enumerate(report.classes)}
    return {
        "id": report.subject.id,
        "label": report.subject.label,
        "kind": report.subject.kind,
        "dimension": report.subject.dimension,
        "source_values": [source_object(s) for s in report.source_values],
        "statements": [{"id": n, **statement_object(s)} for n, s in enumerate(report.statements)],
        "values": [
            {
                "id": value_ids[id(cls)],
                "value": value_object(cls.value),
                "statements": [statement_ids[id(s)] for s in cls.statements],
                "pages": len(cls.pages),
            }
            for cls in report.classes
        ],
        "conflicts": [conflict_object(c, value_ids) for c in report.conflicts],
    }


def json_chunks(
    reports: Sequence[SubjectReport],
    statements: int,
    files: int,
    notes: Sequence[str],
    errors: Sequence[InputError] = (),
) -> Iterator[str]:
    """The json report in pieces, one subject at a time (one line each, through the C encoder), so a report on
    10,000 pages is never one object tree in memory; the envelope is indented for reading. `errors` lists the
    pages that could not be read (path, message, fix)."""
    conflicts = [c for r in reports for c in r.conflicts]
    summary = {
        "files": files,
        "statements": statements,
        "subjects": len(reports),
        "conflicts": len(conflicts),
        "page_vs_source": sum(c.kind is ConflictKind.PAGE_VS_SOURCE for c in conflicts),
        "page_vs_page": sum(c.kind is ConflictKind.PAGE_VS_PAGE for c in conflicts),
    }
    yield '{\n  "summary": ' + json.dumps(summary, ensure_ascii=False) + ',\n  "subjects": ['
    for number, report in enumerate(reports):
        yield ("," if number else "") + "\n    " + json.dumps(subject_object(report), ensure_ascii=False)
    unread = [{"path": e.path, "message": e.message, "fix": e.hint} for e in errors]
    yield ("\n  ]" if reports else "]") + ',\n  "notes": ' + json.dumps(list(notes), ensure_ascii=False)
    yield ',\n  "errors": ' + json.dumps(unread, ensure_ascii=False) + "\n}\n"


def render_json(
    reports: Sequence[SubjectReport],
    statements: int,
    files: int,
    notes: Sequence[str],
    errors: Sequence[InputError] = (),
) -> str:
    return "".join(json_chunks(reports, statements, files, notes, errors))
