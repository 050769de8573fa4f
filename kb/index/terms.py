"""The vocabulary after an incremental update: term ids, document frequencies, idf, links and claim weights as a
full build derives them (kb.index.compile), computed from the links the index already holds plus the words of the
claims just written, so the search text of unchanged claims is not read and split again.

Term ids number the words in order of first appearance (kb.index.compile._terms), so a claim added at the end
renumbers nothing: its new words take the next ids. Removing or moving claims can change which claim a word first
appears in; then the links are renumbered. Every added or removed claim changes the number of claims, so every idf
and every claim's weight changes: the weights are recomputed from every link (a few hundred thousand at 10,000
claims, summed in the build's order, term id by term id, so that the floats come out bit for bit the same).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kb.index.sql import Writer

Row = dict[str, Any]
Link = tuple[int, int]  # (term id, claim rowid)
LINK_COLUMNS = ("term_id", "claim_rowid")  # kb_claim_term's, in a Link's order


def recompute(writer: Writer, written: list[Row], total: int) -> None:
    """`written`: the claim rows just inserted (their links are not in kb_claim_term yet; every other claim's are)."""
    from kb.index.compile import claim_words, first_seen_order, term_row

    old_terms = writer.rows("SELECT id, text, df, idf FROM kb_term ORDER BY id")
    text_of = {term_id: word for term_id, word, _, _ in old_terms}
    kept: list[Link] = writer.rows("SELECT term_id, claim_rowid FROM kb_claim_term ORDER BY term_id, claim_rowid")
    fresh = {row["rowid"]: claim_words(row["search_text"]) for row in written}
    df: Counter[str] = Counter()
    first: dict[str, int] = {}  # each word's first claim: where it is numbered
    for term_id, claims, lowest in writer.rows(
        "SELECT term_id, count(*), min(claim_rowid) FROM kb_claim_term GROUP BY term_id"
    ):
        df[text_of[term_id]], first[text_of[term_id]] = claims, lowest
    for rowid, found in fresh.items():
        for word in found:
            df[word] += 1
            if rowid < first.get(word, total + 1):
                first[word] = rowid
    order = first_seen_order(first)
    ids = {word: n for n, word in enumerate(order, start=1)}
    terms = [term_row(ids[word], word, df[word], total) for word in order]
    if [tuple(term.values()) for term in terms] != old_terms:
        writer.run("DELETE FROM kb_term")
        writer.insert("kb_term", terms)
    renumbered = {old: ids[word] for old, word in text_of.items() if word in ids and ids[word] != old}
    if renumbered:  # rewritten whole, in the build's order: cheaper than moving most rows of its primary key
        kept = sorted((renumbered.get(term_id, term_id), rowid) for term_id, rowid in kept)
        added = sorted((ids[word], rowid) for rowid, found in fresh.items() for word in found)
        writer.run("DELETE FROM kb_claim_term")
        writer.insert_values("kb_claim_term", LINK_COLUMNS, sorted(kept + added))
    else:
        added = sorted((ids[word], rowid) for rowid, found in fresh.items() for word in found)
        writer.insert_values("kb_claim_term", LINK_COLUMNS, added)
    idf = {term["id"]: term["idf"] for term in terms}
    # The claims kept in place have only old links, the claims just written only new ones: each claim's idf is
    # summed over its own links in term id order, as the build sums them.
    weights = _summed(kept, idf)
    weights.update(_summed(added, idf))
    _write_weights(writer, weights)


def _summed(links: list[Link], idf: dict[int, float]) -> dict[int, float]:
    weights: dict[int, float] = {}
    for term_id, rowid in links:
        weights[rowid] = weights.get(rowid, 0.0) + idf[term_id]
    return weights


def _write_weights(writer: Writer, weights: dict[int, float]) -> None:
    old = writer.rows("SELECT rowid, weight FROM kb_claim")
    changed = [{"w": weights.get(r, 0.0), "r": r} for r, weight in old if weight != weights.get(r, 0.0)]
    if changed:
        writer.run("UPDATE kb_claim SET weight = :w WHERE rowid = :r", changed)
