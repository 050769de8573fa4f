"""The vocabulary after an incremental update: term ids, document frequencies, idf, links and claim weights as a
full build derives them (kb.index.compile), computed from the links the index already holds plus the words of the
claims just written, so the search text of unchanged claims is not read and split again.

Every added or removed claim changes the number of claims, so every idf and every claim's weight changes: the
weights are recomputed from every link (a few hundred thousand at 10,000 claims, summed in the build's order, term id
by term id, so that the floats come out bit for bit the same). A word that appears or disappears shifts the ids of
the words after it; the links of unchanged claims are renumbered in place.
"""

from __future__ import annotations

from collections import Counter
from operator import itemgetter
from typing import Any

Row = dict[str, Any]


def fetch(connection: Any, sql: str) -> list[tuple[Any, ...]]:
    """Rows as the driver gives them (tuples), inside the write's transaction: SQLAlchemy's Row objects cost
    several times more to build and compare, which the links of every claim would pay a few hundred thousand times."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


def _table(name: str) -> Any:
    from sqlmodel import SQLModel

    return SQLModel.metadata.tables[name]


def recompute(connection: Any, written: list[Row], total: int) -> None:
    """`written`: the claim rows just inserted (their links are not in kb_claim_term yet; every other claim's are)."""
    from sqlalchemy import bindparam

    from kb.index.compile import claim_words, term_row

    old_terms = fetch(connection, "SELECT id, text, df, idf FROM kb_term ORDER BY id")
    text_of = {term_id: word for term_id, word, _, _ in old_terms}
    kept = fetch(connection, "SELECT term_id, claim_rowid FROM kb_claim_term ORDER BY term_id, claim_rowid")
    fresh = {row["rowid"]: claim_words(row["search_text"]) for row in written}
    df = Counter({text_of[term_id]: n for term_id, n in Counter(map(itemgetter(0), kept)).items()})
    df.update(word for found in fresh.values() for word in found)
    ids = {word: n for n, word in enumerate(sorted(df), start=1)}
    terms = [term_row(ids[word], word, df[word], total) for word in sorted(df)]
    if [tuple(term.values()) for term in terms] != old_terms:
        table = _table("kb_term")
        connection.execute(table.delete())
        if terms:
            connection.execute(table.insert(), terms)
    links = _table("kb_claim_term")
    moved = [{"o": old, "n": -ids[word]} for old, word in text_of.items() if word in ids and ids[word] != old]
    if moved:  # through negative ids: renumbering in place never meets a (term, claim) pair still to be moved
        renumber = links.update().where(links.c.term_id == bindparam("o")).values(term_id=bindparam("n"))
        connection.execute(renumber, moved)
        connection.execute(links.update().where(links.c.term_id < 0).values(term_id=-links.c.term_id))
    added = sorted((ids[word], rowid) for rowid, found in fresh.items() for word in found)
    if added:
        connection.execute(links.insert(), [{"term_id": t, "claim_rowid": r} for t, r in added])
    idf = {term["id"]: term["idf"] for term in terms}
    by_old_id = {old: idf[ids[word]] for old, word in text_of.items() if word in ids}
    # The claims kept in place have only old links, the claims just written only new ones: each claim's idf is
    # summed over its own links in term id order, as the build sums them (renumbering keeps that order).
    weights = _summed(kept, by_old_id)
    weights.update(_summed(added, idf))
    _write_weights(connection, weights)


def _summed(links: list[tuple[int, int]], idf: dict[int, float]) -> dict[int, float]:
    weights: dict[int, float] = {}
    for term_id, rowid in links:
        weights[rowid] = weights.get(rowid, 0.0) + idf[term_id]
    return weights


def _write_weights(connection: Any, weights: dict[int, float]) -> None:
    old = fetch(connection, "SELECT rowid, weight FROM kb_claim")
    changed = [(weights.get(r, 0.0), r) for r, weight in old if weight != weights.get(r, 0.0)]
    if changed:  # the driver's own executemany: SQLAlchemy's per-row parameter handling costs more than the update
        mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        cursor = connection.connection.cursor()
        try:
            cursor.executemany(f"UPDATE kb_claim SET weight = {mark} WHERE rowid = {mark}", changed)
        finally:
            cursor.close()
