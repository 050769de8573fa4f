"""The incremental update: when only claims changed, rewrite only those claims' rows.

An edit of claims.yaml's claims (added, removed, changed, moved) leaves everything else the index is compiled from
as it was: the frame hash (every input, with claims.yaml standing for its text without the claims) says so. Then the
changed claims alone are parsed, validated against the rest of the data and compiled; the rows of every claim whose
row ids did not move are kept, those of moved claims are copied with their new ids, and what is derived across all
claims is recomputed from every claim as a full build does: the vocabulary (document frequencies, idf, term ids),
each claim's weight, and the statements read from the registered pages (they read the claims through the
vocabulary). The result is the index a full build would write, table by table (tests/index/test_incremental.py).

Anything else (a source, subject, page, the frame, kb's code, the schema version), a layout kb.index.entries does not
read, data that is not valid, or more changed claims than an update is worth: None, and the caller rebuilds in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.data.dataset import Dataset
from kb.data.yamlload import MarkedList, decode, load_text, read_regular
from kb.errors import KBError
from kb.index.entries import KEY, Cut, agrees, cut, lone_item_text
from kb.index.files import index_identity, read_stamp
from kb.index.inputs import CLAIMS_FILE, content_hash
from kb.settings import Settings
from kb.store.db import Database, open_database, placeholder_chunks

CHILDREN = ("claim_source", "mention", "number")
NO_FRAME = "none"  # claims.yaml has a layout the cut does not read: no update, ever, until it does


def read_cut(data_dir: Path) -> Cut | None:
    path = data_dir / CLAIMS_FILE
    try:
        return cut(decode(read_regular(path, str(path)), str(path)))
    except KBError:
        return None


def entry_rows(data_dir: Path, dataset: Dataset) -> tuple[list[dict[str, Any]], str]:
    """For a full build: each claim's digest, and the frame hash, when the cut agrees with the parser."""
    found = read_cut(data_dir)
    outline = dataset.outline("claims")
    if found is None or dataset.claims is None or outline is None or not agrees(found, outline):
        return [], NO_FRAME
    ids = [claim.id for claim in dataset.claims.claims]
    digests = found.digests()
    rows = [
        {"claim_rowid": n, "claim_id": i, "digest": d}
        for n, (i, d) in enumerate(zip(ids, digests, strict=True), start=1)
    ]
    return rows, content_hash(data_dir, found.frame)


@dataclass
class Old:
    """What the current index holds about its claims."""

    ids: list[str]
    digests: list[str]
    statement_reads: str | None = None  # kb.index.reads: what reading the statements asked of the claims
    answers: list[Any] | None = None  # and what this index answers to it
    first_ids: dict[str, dict[int, tuple[int, int]]] = field(default_factory=dict)  # table -> rowid -> (min id, n)


def _read_old(settings: Settings, frame_hash: str) -> Old | None:
    if settings.is_sqlite:
        index = settings.sqlite_path
        if not index.is_file() or read_stamp(index).get("index") != index_identity(index):
            return None  # the stamp does not vouch for this file (changed behind kb's back): rebuild, not carry on
    try:
        db = open_database(settings)
        keys = "'claims_frame_hash', 'content_hash', 'statement_reads'"
        meta = dict(db.rows(f"SELECT key, value FROM kb_meta WHERE key IN ({keys})"))
        if meta.get("claims_frame_hash") != frame_hash or meta.get("content_hash") in (None, "changed-during-build"):
            return None
        entries = db.rows("SELECT claim_rowid, claim_id, digest FROM kb_entry ORDER BY claim_rowid")
        (claims,) = db.rows("SELECT count(*) FROM kb_claim")[0]
        if claims != len(entries) or [row[0] for row in entries] != list(range(1, claims + 1)):
            return None
        old = Old([row[1] for row in entries], [row[2] for row in entries], meta.get("statement_reads"))
        old.answers = answers(db, old.statement_reads)
        for name in CHILDREN:
            sql = f"SELECT claim_rowid, min(id), count(*) FROM {TABLES[name]} GROUP BY claim_rowid"
            old.first_ids[name] = {rowid: (low, count) for rowid, low, count in db.rows(sql)}
        return old
    except Exception:  # noqa: BLE001 - an index without these tables (or damaged): the full build decides
        return None


TABLES = {
    "claim": "kb_claim",
    "claim_source": "kb_claim_source",
    "mention": "kb_mention",
    "number": "kb_claim_number",
    "entry": "kb_entry",
}


@dataclass
class Plan:
    """The new claims in order: each either the old claim at `rowid` (kept or copied) or rows compiled afresh."""

    old: Old
    sources: list[int | dict[str, list[dict[str, Any]]]]  # per new claim: old rowid, or its compiled rows
    ids: list[str]
    digests: list[str]
    pages: list[dict[str, Any]]  # kb_page's rows, in file order: statements are numbered in it
    in_place: set[int] = field(default_factory=set)  # new rowids whose rows stay as they are


def _parse_changed(data_dir: Path, found: Cut, changed: list[int]) -> tuple[Dataset, list[Any]] | None:
    """The dataset with claims.yaml as its frame plus the changed claims, validated as a full build would."""
    from kb.data.dataset import load
    from kb.data.validate import check

    path = str(data_dir / CLAIMS_FILE)
    try:
        tree = load_text(found.frame, path)
        items = MarkedList()
        for index in changed:
            lone = load_text(lone_item_text(found.chunks[index]), path).get(KEY)
            if not isinstance(lone, MarkedList) or len(lone) != 1:
                return None
            items.append(lone[0])
            items.item_positions.append(lone.item_positions[0])
        if tree.get(KEY, "") is not None:
            return None  # the frame must hold `claims:` with nothing after it
        tree[KEY] = items
        dataset = load(data_dir, claims_tree=tree)
    except KBError:
        return None
    if dataset.claims is None or dataset.sources is None or dataset.pages is None or check(dataset):
        return None
    return dataset, list(dataset.claims.claims)


def answers(db: Database, stored: str | None) -> list[Any] | None:
    from kb.index.reads import replay
    from kb.store.knowledge import KnowledgeView

    try:
        return replay(KnowledgeView(db), stored)
    except Exception:  # noqa: BLE001 - a read that no longer replays: the statements are read again
        return None


def plan(settings: Settings) -> tuple[Plan, str] | None:
    """What an update would write, or None when the full build must run. Returns the plan and the frame hash."""
    from kb.index.compile import claim_rows, subject_search_texts

    found = read_cut(settings.data_dir)
    if found is None:
        return None
    frame_hash = content_hash(settings.data_dir, found.frame)
    old = _read_old(settings, frame_hash)
    if old is None:
        return None
    digests = found.digests()
    where = {d: rowid for rowid, d in enumerate(old.digests, start=1)}
    if len(where) != len(old.digests) or len(set(digests)) != len(digests):
        return None  # two claims with the same text: duplicate ids, which the full build reports
    changed = [index for index, d in enumerate(digests) if d not in where]
    if len(changed) > max(100, len(digests) // 4):
        return None  # a mass edit: the full build is as quick
    parsed = _parse_changed(settings.data_dir, found, changed)
    if parsed is None:
        return None
    dataset, claims = parsed
    assert dataset.sources is not None and dataset.claims is not None
    sources = {source.id: source for source in dataset.sources.sources}
    subject_texts = subject_search_texts(dataset.claims)
    fresh = dict(zip(changed, claims, strict=True))
    entries: list[int | dict[str, list[dict[str, Any]]]] = []
    ids = []
    for index, d in enumerate(digests):
        if index in fresh:
            claim = fresh[index]
            entries.append(claim_rows(index + 1, claim, sources, subject_texts[claim.subject]))
            ids.append(claim.id)
        else:
            entries.append(where[d])
            ids.append(old.ids[where[d] - 1])
    if len(set(ids)) != len(ids):
        return None  # a duplicate id: the full build reports it where it is
    assert dataset.pages is not None
    pages = [page.model_dump(exclude={"notes"}) for page in dataset.pages.pages]
    return Plan(old, entries, ids, digests, pages), frame_hash


def layout(update: Plan) -> dict[str, list[int]]:
    """The first id of each new claim's rows in each child table (ids run on in claim order, as a build numbers
    them), and which claims keep their rows in place (same row id, same first ids)."""
    starts: dict[str, list[int]] = {name: [] for name in CHILDREN}
    following = dict.fromkeys(CHILDREN, 1)
    for index, entry in enumerate(update.sources):
        rowid = index + 1
        same = isinstance(entry, int) and entry == rowid
        for name in CHILDREN:
            starts[name].append(following[name])
            if isinstance(entry, int):
                low, count = update.old.first_ids[name].get(entry, (following[name], 0))
                same = same and (count == 0 or low == following[name])
            else:
                count = len(entry[name])
            following[name] += count
        if same:
            update.in_place.add(rowid)
    return starts


def chunks(values: Sequence[int]) -> list[tuple[str, dict[str, Any]]]:
    return placeholder_chunks("r", list(values))
