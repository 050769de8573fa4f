"""One sentence being checked, with everything a rule may consult, and what a rule reports about it.

A rule never builds a `Finding` itself: it yields `Flag`s and its `Rule` stamps them with its own id, so a rule
cannot emit another rule's id.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from kb.check.known import KnownPages
from kb.fastclass import dataclass, field
from kb.language.cues import NEGATION
from kb.language.knowledge import ClaimInfo, Knowledge, SourceInfo
from kb.language.matching import Facts, Match, number_score
from kb.language.values import Statement
from kb.records import Finding, Severity
from kb.text.levels import LEVEL_RANK
from kb.text.normalise import loose
from kb.text.quantities import Quantity, digits

STATES_WORDING = 80.0  # a sentence states a claim by its wording alone when it shares most of it


@dataclass(frozen=True)
class Span:
    """Where a finding points: 1-based, end column exclusive, in the original file."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str


def overlap(a: Span | None, b: Span | None) -> bool:
    """Whether two spans share a character (False when either is unknown)."""
    if a is None or b is None:
        return False
    return (a.line, a.column) < (b.end_line, b.end_column) and (b.line, b.column) < (a.end_line, a.end_column)


@dataclass(frozen=True)
class Flag:
    """What a rule says about a sentence: the message, the claim it rests on, and where (default: the sentence)."""

    message: str
    match: Match | None = None
    span: Span | None = None


@dataclass
class Context:
    """One sentence being checked, with everything the rules may consult."""

    path: str
    span: Span
    facts: Facts
    matches: list[Match]
    view: Knowledge
    min_level: str
    recency_years: float
    lexicon: tuple[str, ...]
    locate: Callable[[str], Span | None]
    today: date = field(default_factory=lambda: date.today())  # the page's date where its head gives one
    statements: tuple[Statement, ...] = ()  # what the sentence states on each subject (kb.language.statements)
    known: KnownPages | None = None
    same_site: bool = False  # the page is one of the site's (configured `content`, or registered): compare pages
    following: str = ""  # the next sentence of the paragraph, as written ("For example, a 2016 case series …")
    preceding: str = ""  # the sentence before in the paragraph ("A 2021 survey of 500 patients asked …")
    page_sources: Callable[[], tuple[SourceInfo, ...]] = tuple  # the sources the page names anywhere
    page_figures: Callable[[], tuple[Quantity, ...]] = tuple  # every figure the page gives, as read
    in_scope: bool = True  # the sentence is about what the knowledge base's claims and sources apply to

    def words(self, folded: str) -> Span | None:
        """Where the sentence's own words for a folded or digit-form piece of it are, if they can be found."""
        sentence = self.span.text
        at = sentence.lower().find(folded.lower())
        if at >= 0:
            return self.locate(sentence[at : at + len(folded)])
        # Reading folds dashes to hyphens and joins hyphenated words ("long-term" is read "long term").
        found = re.search(loose(folded), sentence, re.IGNORECASE) if folded.strip() else None
        return self.locate(found.group(0)) if found else None

    def as_written(self, piece: str) -> tuple[Span | None, str]:
        """Where a piece of the sentence as read is, and the page's own words for it (the piece when not found)."""
        place = self.words(piece)
        return place, place.text if place else piece

    def finding(self, rule: str, severity: Severity, flag: Flag) -> Finding:
        where = flag.span or self.span
        match = flag.match
        claim = match.claim if match else None
        return Finding(
            self.path,
            where.line,
            where.column,
            where.end_line,
            where.end_column,
            rule,
            severity,
            flag.message,
            where.text,
            claim.id if claim else None,
            match.score if match else None,
            claim.level if claim else None,
            fix_for(claim, self.view) if claim else None,
            None if where.text == self.span.text else self.span.text,
        )


def fix_for(claim: ClaimInfo, view: Knowledge) -> str | None:
    """The approved wording of the best-sourced claim on the subject, with its short citation."""
    options = [claim] + [c for c in view.subject_claims(claim.subject) if c.id != claim.id]
    usable = [c for c in options if c.approved_wording and c.status != "do-not-use"]
    usable.sort(key=lambda c: (not c.sourced, -LEVEL_RANK[c.level]))
    if not usable:
        return None
    best = usable[0]
    cited = [view.sources[s].short for s in best.supporting if s in view.sources]
    return f"{best.approved_wording} ({'; '.join(cited[:2])})" if cited else best.approved_wording


def about_subject(ctx: Context, claim: ClaimInfo) -> bool:
    """The sentence names what the claim's subject is about (an alias or key term), or the subject declares none."""
    words = ctx.view.subject_words(claim.subject)
    if not words:
        return True
    return any(
        re.search(rf"(?<![\w-]){re.escape(form)}", text)
        for word in words
        for form, text in ((word, ctx.facts.folded), (digits(word), ctx.facts.digitised))
    )


def states(ctx: Context, match: Match) -> bool:
    """The sentence states the claim: it shares most of the claim's wording, or gives the claim's figure while
    talking about its subject (a shared figure and a few shared words are not enough)."""
    if match.mentions or match.wording >= STATES_WORDING:
        return True
    return number_score(ctx.facts, match.claim) == 1.0 and about_subject(ctx, match.claim)


@dataclass(frozen=True)
class StanceReading:
    """A stance the sentence takes on a subject, and the knowledge base's claims that take the same stance."""

    statement: Statement
    claims: tuple[ClaimInfo, ...]

    @property
    def backed(self) -> bool:
        """A sourced claim that is not do-not-use takes this stance: the sentence says what a source says."""
        return any(c.sourced and c.status != "do-not-use" for c in self.claims)

    @property
    def forbidden(self) -> ClaimInfo | None:
        return next((c for c in self.claims if c.status == "do-not-use"), None)


def stances_taken(ctx: Context) -> list[StanceReading]:
    """The stances the sentence takes (read by kb.language.statements), each with the claims that take it."""
    found = []
    for statement in ctx.statements:
        stance = statement.value.stance
        if stance is None:
            continue
        claims = tuple(
            c
            for c in ctx.view.subject_claims(statement.subject)
            if c.value.get("kind") == "stance" and c.value.get("stance") == stance
        )
        if claims:
            found.append(StanceReading(statement, claims))
    return found


def judged(ctx: Context) -> bool:
    """The knowledge base already judged this sentence (a curated mention): the rules leave it to that verdict."""
    return any(m.mentions for m in ctx.matches)


def same_polarity(claim: ClaimInfo, facts: Facts) -> bool:
    """ "X is not a cure" does not state the claim "X cures the condition"."""
    return bool(NEGATION.search(claim.statement.lower())) == bool(NEGATION.search(facts.folded))
