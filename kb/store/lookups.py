"""The two index look-ups that search and sentence matching share: claims by summed idf of their words, and stored
figures near a figure. Plain SQL over kb.store.db; nothing here knows the language layer, so `kb search` stays light."""

from __future__ import annotations

import math

from kb.store.db import Database, placeholder_chunks
from kb.text.quantities import Quantity, near


def summed_idf(db: Database, term_ids: list[int], limit: int) -> list[tuple[int, float]]:
    """The `limit` claims with the highest summed idf of the given terms, best first: (claim rowid, sum).

    One query when the ids fit one IN list; otherwise one per chunk, summed here, so any number of terms works."""
    chunks = placeholder_chunks("t", list(dict.fromkeys(term_ids)))
    select = (
        "SELECT ct.claim_rowid, SUM(t.idf) FROM kb_claim_term ct JOIN kb_term t ON t.id = ct.term_id "
        "WHERE ct.term_id IN ({}) GROUP BY ct.claim_rowid"
    )
    if not chunks:
        return []
    if len(chunks) == 1:  # the common case: SQL ranks and cuts
        sql, params = chunks[0]
        rows = db.rows(select.format(sql) + f" ORDER BY 2 DESC LIMIT {limit}", params)
        return [(row[0], float(row[1])) for row in rows]
    sums: dict[int, float] = {}
    for sql, params in chunks:
        for rowid, weight in db.rows(select.format(sql), params):
            sums[rowid] = sums.get(rowid, 0.0) + float(weight)
    return sorted(sums.items(), key=lambda item: -item[1])[:limit]


Figure = tuple[int, str | None, float, float, str, bool]  # claim rowid, dimension, low, high, text, is its value

_FIGURE_COLUMNS = "claim_rowid, dimension, low, high, text, is_value, value"


def figures_near(db: Database, quantity: Quantity, dimensions: list[str | None], limit: int) -> list[Figure]:
    """Stored figures whose interval overlaps `quantity`'s, the claims' own values and the closest first.

    Narrow figures are found through the (dimension, value) index around the query's value; wide ones (ranges,
    bounds) through the (dimension, low) index. Neither reads the figures of a dimension that are far away.
    """
    probe = _probe(quantity)
    pad = 0.03 * max(abs(probe.value), 1e-9)
    lo, hi = probe.low - pad, probe.high + pad
    near_low, near_high = near(probe)
    found: list[tuple[int, str | None, float, float, str, bool, float]] = []
    for dimension in dimensions:
        where = "dimension = :dim" if dimension is not None else "dimension IS NULL"
        params = {"dim": dimension, "lo": lo, "hi": hi, "a": near_low - pad, "b": near_high + pad, "v": probe.value}
        params |= {"narrow": False, "wide": True}  # parameters, not 0/1: PostgreSQL's boolean is not an integer
        # The nearest narrow figures on each side of the value, read in index order: no sort, `limit` rows each.
        for side, order in (("value >= :v AND value <= :b", "ASC"), ("value < :v AND value >= :a", "DESC")):
            found += db.rows(
                f"SELECT {_FIGURE_COLUMNS} FROM kb_claim_number WHERE {where} AND wide = :narrow AND {side} "
                f"AND low <= :hi AND high >= :lo ORDER BY value {order} LIMIT {limit}",
                params,
            )
        found += db.rows(
            f"SELECT {_FIGURE_COLUMNS} FROM kb_claim_number WHERE {where} AND wide = :wide "
            f"AND low <= :hi AND high >= :lo ORDER BY low DESC LIMIT {limit}",
            params,
        )
    found.sort(key=lambda row: (not row[5], abs(row[6] - probe.value)))
    return [(row[0], row[1], row[2], row[3], row[4], bool(row[5])) for row in found[:limit]]


def _probe(quantity: Quantity) -> Quantity:
    """The interval to look up: an open bound ("more than 10%") probes just above its bound, not to infinity."""
    if quantity.high != math.inf:
        return quantity
    top = quantity.low * 1.5 if quantity.low > 0 else quantity.low + 1
    return Quantity(quantity.low, quantity.low, top, quantity.dimension, quantity.qualifier, quantity.text)
