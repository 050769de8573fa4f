"""stale-recency: "a recent / new / latest study" where the source is older than the recency window."""

from __future__ import annotations

from collections.abc import Iterator

from kb.check.context import Context, Flag, Span
from kb.check.rule import Rule
from kb.language.attribution import sources_named
from kb.language.cues import RECENT_STUDY
from kb.records import Severity


def _recent_words(ctx: Context) -> Span | None:
    """The word that calls the study recent: the finding's place, not the whole sentence."""
    said = RECENT_STUDY.search(ctx.facts.folded)
    word = next((said.group(i) for i in (1, 3, 6) if said.group(i)), None) if said else None
    return ctx.words(word) if word else None


def check(ctx: Context) -> Iterator[Flag]:
    if not (ctx.facts.says_recent and ctx.facts.cites_study):
        return
    for match in ctx.matches[:3]:
        years = [ctx.view.sources[s].year for s in match.claim.supporting if s in ctx.view.sources]
        newest = max((y for y in years if y), default=None)
        if newest and ctx.today.year - newest > ctx.recency_years:
            yield Flag(
                f"Calls a {newest} source recent ({ctx.today.year - newest} years old; "
                f"window {ctx.recency_years:g} years).",
                match,
                _recent_words(ctx),
            )
            return
    if ctx.matches:
        return  # the claim the sentence states decides which source is meant
    # No claim stated: the source the sentence names, or the one its next sentence names ("For example, …"), or
    # the one source the whole page names (a news story about one study names it once, paragraphs later).
    named = sources_named(ctx.view, ctx.span.text) or sources_named(ctx.view, ctx.following)
    if not named:
        on_page = {s.id: s for s in ctx.page_sources()}
        named = list(on_page.values()) if len(on_page) == 1 else []
    newest_source = max((s for s in named if s.year), key=lambda s: s.year or 0, default=None)
    if newest_source is not None and newest_source.year is not None:
        age = ctx.today.year - newest_source.year
        if age > ctx.recency_years:
            yield Flag(
                f"Calls a {newest_source.year} source recent: {newest_source.short} is {age} years old "
                f"(window {ctx.recency_years:g} years).",
                span=_recent_words(ctx),
            )


RULE = Rule(
    "stale-recency",
    Severity.WARNING,
    '"A recent / new / latest study" where the source is older than the recency window.',
    'Drop "recent" or give the year.',
    check,
    why=(
        "Calling an old study recent suggests the evidence is current when it may have been superseded; "
        "giving the year lets readers judge for themselves."
    ),
    example="A recent study found that method X works for most people.",
    example_fix="A 2012 study found that method X worked for most participants (Author 2012).",
)
