"""SQLModel tables: the compiled index. The YAML stays the source of truth; these are rebuilt from it.

Imported only when the index is (re)built: `import sqlmodel` costs ~0.4 s, so the read path of a query
talks SQL through `db.py` instead (see README, "Design: a fast read path").
"""

from __future__ import annotations

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Meta(SQLModel, table=True):
    __tablename__ = "kb_meta"
    key: str = Field(primary_key=True)
    value: str


class SubjectRow(SQLModel, table=True):
    __tablename__ = "kb_subject"
    id: str = Field(primary_key=True)
    label: str
    kind: str
    dimension: str | None = None
    aliases: str = "[]"
    terms: str = "[]"
    vocabulary: str = "{}"  # JSON: cues, exclude, stances, about, entity_type, source, relative_to, detectable


class SourceRow(SQLModel, table=True):
    __tablename__ = "kb_source"
    id: str = Field(primary_key=True)
    type: str
    design: str
    title: str
    authors: str = ""
    container_title: str | None = None
    year: int | None = Field(default=None, index=True)
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = Field(default=None, index=True)
    pmid: str | None = None
    pmcid: str | None = None
    nct: str | None = None
    url: str | None = None
    n: int | None = None
    institution: str | None = None
    city: str | None = None
    level: str
    record: str = Field(description="the validated YAML entry as JSON, for cards and citations")


class ClaimRow(SQLModel, table=True):
    __tablename__ = "kb_claim"
    rowid: int | None = Field(default=None, primary_key=True)
    id: str = Field(unique=True, index=True)
    statement: str
    subject_id: str = Field(index=True, foreign_key="kb_subject.id")
    value_kind: str | None = None
    value_low: float | None = None
    value_high: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    stance: str | None = None
    entity: str | None = None
    level: str = Field(index=True)
    derived_level: str
    status: str = Field(index=True)
    approved_wording: str | None = None
    head_text: str
    search_text: str
    weight: float = Field(default=0.0, description="summed idf of the claim's distinct words, for match coverage")
    record: str


class ClaimSourceRow(SQLModel, table=True):
    __tablename__ = "kb_claim_source"
    id: int | None = Field(default=None, primary_key=True)
    claim_rowid: int = Field(index=True, foreign_key="kb_claim.rowid")
    source_id: str = Field(index=True, foreign_key="kb_source.id")
    relation: str
    finding: str | None = None
    locator: str | None = None
    quote: str | None = None


class PageRow(SQLModel, table=True):
    __tablename__ = "kb_page"
    id: str = Field(primary_key=True)
    file: str
    seed_file: str
    publisher: str
    title: str
    location: str | None = None
    url: str | None = None


class MentionRow(SQLModel, table=True):
    __tablename__ = "kb_mention"
    id: int | None = Field(default=None, primary_key=True)
    claim_rowid: int = Field(index=True, foreign_key="kb_claim.rowid")
    page_id: str = Field(index=True, foreign_key="kb_page.id")
    quote: str
    attribution: str | None = None
    verdict: str = Field(index=True)
    note: str


class TermRow(SQLModel, table=True):
    """The search vocabulary with inverse document frequencies (an inverted index that works on any SQL engine)."""

    __tablename__ = "kb_term"
    id: int = Field(primary_key=True)
    text: str = Field(unique=True, index=True)
    df: int
    idf: float


class ClaimTermRow(SQLModel, table=True):
    __tablename__ = "kb_claim_term"
    # On SQLite one b-tree keyed by (term, claim), not a rowid table plus that key's index: half the inserting
    # and the file; other engines ignore the option.
    __table_args__ = {"sqlite_with_rowid": False}
    term_id: int = Field(primary_key=True)
    claim_rowid: int = Field(primary_key=True)


class ClaimNumberRow(SQLModel, table=True):
    """Every figure a claim states, in base units, so searches compare numbers, not strings."""

    __tablename__ = "kb_claim_number"
    # Look-ups go by dimension, then by value for narrow figures and by lower bound for wide ones (ranges, bounds),
    # so finding the figures near one value reads a few index entries, not every figure of that dimension.
    __table_args__ = (
        Index("ix_kb_claim_number_narrow", "dimension", "wide", "value"),
        Index("ix_kb_claim_number_wide", "dimension", "wide", "low"),
    )
    id: int | None = Field(default=None, primary_key=True)
    claim_rowid: int = Field(index=True)
    dimension: str | None = None
    low: float
    high: float
    value: float
    text: str
    is_value: bool = False
    wide: bool = Field(default=False, description="a range or bound wider than a hedge: searched by its lower bound")


class StatementRow(SQLModel, table=True):
    """What a registered page states on a subject, read from its text at build time (kb.language.statements)."""

    __tablename__ = "kb_statement"
    id: int = Field(primary_key=True)
    subject_id: str = Field(index=True)
    page_id: str
    path: str
    line: int
    col: int  # "column" is reserved in PostgreSQL
    end_line: int
    end_col: int
    quote: str
    record: str  # JSON of the statement's value


class EntryRow(SQLModel, table=True):
    """The text digest of each claim as claims.yaml wrote it (kb.index.entries): what an incremental update diffs."""

    __tablename__ = "kb_entry"
    claim_rowid: int = Field(primary_key=True)
    claim_id: str
    digest: str
