"""Applying an incremental update (kb.index.delta's plan) inside the write's transaction.

Order matters on a server, whose foreign keys are enforced: the rows of moved claims are read first, then the rows
of every claim that does not stay in place are deleted (children before claims), then the new rows are inserted
(claims before children), then what is derived across all claims is recomputed: terms, links, weights, statements.
"""

from __future__ import annotations

from typing import Any

from kb.index.delta import CHILDREN, TABLES, Plan, chunks, layout
from kb.index.sql import Writer
from kb.index.terms import recompute
from kb.settings import Settings

Row = dict[str, Any]


def _rows_of(writer: Writer, name: str, rowids: list[int]) -> dict[int, list[Row]]:
    """The rows of those claims in one table, by claim, in id order."""
    key = "rowid" if name == "claim" else "claim_rowid"
    order = "rowid" if name == "claim" else "id"
    found: dict[int, list[Row]] = {}
    for marks, params in chunks(rowids):
        sql = f"SELECT * FROM {TABLES[name]} WHERE {key} IN ({marks}) ORDER BY {order}"
        for record in writer.records(sql, params):
            found.setdefault(record[key], []).append(record)
    return found


def _delete(writer: Writer, rowids: list[int]) -> None:
    for table, key in [(TABLES[n], "claim_rowid") for n in CHILDREN] + [
        ("kb_claim_term", "claim_rowid"),
        ("kb_entry", "claim_rowid"),
        ("kb_claim", "rowid"),
    ]:
        for marks, params in chunks(rowids):
            writer.run(f"DELETE FROM {table} WHERE {key} IN ({marks})", params)


def update(settings: Settings, meta: dict[str, str]) -> bool:
    """Apply an incremental update when one fits (kb.index.delta); False when the full build must run."""
    from kb.index.delta import plan
    from kb.index.writer import write_index

    planned = plan(settings)
    if planned is None:
        return False
    write_index(settings, meta, fill_for(settings, planned[0]), update=True)
    return True


def fill_for(settings: Settings, update: Plan) -> Any:
    """The function kb.index.writer.write_index runs to apply `update`."""

    def fill(writer: Writer) -> None:
        starts = layout(update)
        moved = [e for i, e in enumerate(update.sources) if isinstance(e, int) and i + 1 not in update.in_place]
        copied = {name: _rows_of(writer, name, moved) for name in ("claim", *CHILDREN)}
        gone = [rowid for rowid in range(1, len(update.old.ids) + 1) if rowid not in update.in_place]
        _delete(writer, gone)
        new: dict[str, list[Row]] = {name: [] for name in ("claim", *CHILDREN, "entry")}
        for index, entry in enumerate(update.sources):
            rowid = index + 1
            if rowid in update.in_place:
                continue
            if isinstance(entry, int):
                claim = copied["claim"][entry][0] | {"rowid": rowid}
                children = {name: copied[name].get(entry, []) for name in CHILDREN}
            else:
                claim = entry["claim"][0] | {"weight": 0.0}
                children = {name: entry[name] for name in CHILDREN}
            new["claim"].append(claim)
            for name in CHILDREN:
                first = starts[name][index]
                new[name] += [row | {"id": first + n, "claim_rowid": rowid} for n, row in enumerate(children[name])]
            new["entry"].append({"claim_rowid": rowid, "claim_id": update.ids[index], "digest": update.digests[index]})
        for name in ("claim", *CHILDREN, "entry"):
            writer.insert(TABLES[name], new[name])
        recompute(writer, new["claim"], len(update.sources))
        _recompute_statements(settings, writer, update)

    return fill


def _recompute_statements(settings: Settings, writer: Writer, update: Plan) -> None:
    """Kept when the claims answer the extraction's reads as before (kb.index.reads), else read again."""
    from kb.index.delta import answers
    from kb.index.statements import write_statements

    before = update.old.answers
    if before is not None and answers(writer, update.old.statement_reads) == before:
        return
    writer.run("DELETE FROM kb_statement")
    write_statements(settings, writer, update.pages)
