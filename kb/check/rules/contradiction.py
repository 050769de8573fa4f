"""contradiction: a stated value that conflicts with the source's value or with what the registered pages state
on the same subject, or a figure that conflicts with the subject's other, unsourced values."""

from __future__ import annotations

from collections.abc import Iterator

from kb.check.context import Context, Flag
from kb.check.rule import Rule
from kb.check.rules.figures import figure_verdict
from kb.language.compare import describe, disagree, hedged, source_as_value
from kb.records import Severity
from kb.text.normalise import fold

SHOWN = 3  # known pages named in one message


def cross_page(ctx: Context) -> Iterator[Flag]:
    """A statement that conflicts with the source's value or with registered pages: one flag per sentence."""
    known = ctx.known
    if known is None:
        return
    own_page = known.page_of(ctx.path)
    messages, said_in = [], []
    for statement in ctx.statements:
        spec = known.vocabulary.by_id[statement.subject]
        entity = statement.value.entity
        known_names = known.vocabulary.entity_names.get(spec.entity_type or "", {})
        if entity is not None and fold(entity) in known_names:
            continue  # a study put in a known wrong city or journal is the misattribution rule's finding
        parts: list[str] = []
        backed = False  # the source says what this page says: pages that disagree are theirs to fix, not this one's
        for source in [] if hedged(statement.value) else known.vocabulary.source_values(statement.subject):
            truth = source_as_value(source, spec)
            if truth is None:
                continue
            if not disagree(statement.value, truth):
                backed = True
            elif not parts:
                parts.append(f"the source ({source.cite}) says {describe(truth, statement.value)}")
        if backed and not parts:
            continue
        # Page against page only within one site (configured `content`, registered pages); across sites that is
        # `kb contradictions`' job, and an outside page is no authority here.
        clashes = [
            other
            for cls in (known.classes(statement.subject) if ctx.same_site else [])
            if disagree(statement.value, cls.value)
            for other in cls.statements
            if other.page != own_page
        ]
        if clashes:
            pages = sorted({c.page for c in clashes})
            listed = "; ".join(
                f"{c.page} line {c.line} says {describe(c.value, statement.value)}" for c in clashes[:SHOWN]
            )
            more = f" and {len(clashes) - SHOWN} more" if len(clashes) > SHOWN else ""
            parts.append(f"{len(pages)} known page(s) disagree: {listed}{more}")
        if parts:
            said = describe(statement.value, statement.value)
            words = ctx.as_written(statement.value.text)[1]  # the page's own words ("FDA-approved"), not as read
            messages.append(f"{spec.label}: this page says {said} (“{words}”); {'; '.join(parts)}")
            said_in.append(statement.value.text)
    if messages:
        # One finding per sentence (findings are keyed by place): a sentence on two subjects names both. On one
        # subject it points at the words that state it.
        yield Flag(" | ".join(messages), span=ctx.words(said_in[0]) if len(said_in) == 1 else None)


def figure_conflict(ctx: Context) -> Iterator[Flag]:
    """A figure that no source backs on its subject and that conflicts with the subject's recorded values."""
    verdict = figure_verdict(ctx)
    if verdict is not None and verdict[0] == "conflict":
        yield verdict[1]


def check(ctx: Context) -> Iterator[Flag]:
    yield from cross_page(ctx)
    yield from figure_conflict(ctx)


RULE = Rule(
    "contradiction",
    Severity.WARNING,
    "A stated value that conflicts with the knowledge base's value for the same subject, "
    "or with what the known pages say.",
    "Use the source's value, or record the new source behind this one; align the pages that disagree.",
    check,
    why=(
        "A value that disagrees with the source, or with the organisation's other pages, is an error on at "
        "least one of them and undermines every page that states it; a reviewer needs one answer."
    ),
    example="Each session lasts about 3 hours.",
    example_fix="Each session lasts about an hour (Author 2020).",
)
