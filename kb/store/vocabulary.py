"""The subject vocabulary, read from the index: subjects and treatment lists as stored, compiled by
`kb.language.vocabulary.compile_vocabulary` into the phrase tables sentences are read with."""

from __future__ import annotations

import json

from kb.language.vocabulary import SubjectRow, Vocabulary, compile_vocabulary
from kb.store.db import Database
from kb.store.knowledge import KnowledgeView


def load_vocabulary(db: Database, view: KnowledgeView | None = None) -> Vocabulary:
    view = view or KnowledgeView(db)
    rows = db.rows("SELECT id, label, kind, dimension, aliases, terms, vocabulary FROM kb_subject ORDER BY id")
    meta = dict(db.rows("SELECT key, value FROM kb_meta WHERE key IN ('treatment_names', 'other_treatments')"))
    subjects = [
        SubjectRow(ident, label, kind, dimension, json.loads(aliases), json.loads(terms), json.loads(vocab or "{}"))
        for ident, label, kind, dimension, aliases, terms, vocab in rows
    ]
    treatments = {key: json.loads(value) for key, value in meta.items()}
    return compile_vocabulary(subjects, treatments, view)
