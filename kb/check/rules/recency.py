"""stale-recency: "a recent / new / latest study" where the source is older than the recency window."""

from __future__ import annotations

from collections.abc import Iterator

from kb.check.context import Context, Flag, Span
from kb.check.rule import Rule
from kb.language.attribution import credited_year, sources_named, sources_sized
from kb.language.cues import RECENT_STUDY
from kb.language.knowledge import SourceInfo
from kb.records import Severity


def _recent_words(ctx: Context) -> Span | None:
    """The word that calls the study recent: the finding's place, not the whole sentence."""
    said = RECENT_STUDY.search(ctx.facts.folded)
    word = next((said.group(i) for i in (1, 3, 6) if said.group(i)), None) if said else None
    return ctx.words(word) if word else None


def _sized(ctx: Context) -> list[SourceInfo]:
    """The sources whose sample the sentence gives ("a recent study of 61 patients")."""
    sized = sources_sized(ctx.view, ctx.facts.digitised, ctx.facts.measured)
    return [ctx.view.sources[source] for source in sorted(sized) if source in ctx.view.sources]


def check(ctx: Context) -> Iterator[Flag]:
    if not (ctx.facts.says_recent and ctx.facts.cites_study):
        return
    dated = False
    for match in ctx.matches[:3]:
        cited = [ctx.view.sources[s] for s in match.claim.supporting if s in ctx.view.sources]
        newest = max((s for s in cited if s.year), key=lambda s: s.year or 0, default=None)
        dated = dated or newest is not None
        if newest is not None and newest.year is not None and ctx.today.year - newest.year > ctx.recency_years:
            yield Flag(_message(ctx, newest), match, _recent_words(ctx))
            return
    if dated:
        return  # the claim the sentence states decides which source is meant
    # No dated claim stated: the source the sentence names, or the one its next sentence names ("For example, …"),
    # or the study whose sample it gives ("a recent study of 61 patients"), or the one source the whole page names
    # (a news story about one study names it once, paragraphs later).
    named = sources_named(ctx.view, ctx.span.text) or sources_named(ctx.view, ctx.following) or _sized(ctx)
    if not named:
        on_page = {s.id: s for s in ctx.page_sources()}
        named = list(on_page.values()) if len(on_page) == 1 else []
    newest_source = max((s for s in named if s.year), key=lambda s: s.year or 0, default=None)
    if newest_source is not None and newest_source.year is not None:
        if ctx.today.year - newest_source.year > ctx.recency_years:
            yield Flag(_message(ctx, newest_source), span=_recent_words(ctx))
        return
    # No source the knowledge base holds: the year the page itself gives the study ("a recent 2018 study").
    dated_by_page = credited_year(ctx.span.text)
    if dated_by_page is not None and ctx.today.year - dated_by_page[0] > ctx.recency_years:
        yield Flag(_dated_message(ctx, dated_by_page[0]), span=_recent_words(ctx))


def _years(count: float) -> str:
    return f"{count:g} year{'' if count == 1 else 's'}"


def _called(ctx: Context) -> str:
    said = _recent_words(ctx)
    return f"“{said.text}”" if said is not None else "recent"


def _message(ctx: Context, source: SourceInfo) -> str:
    age = ctx.today.year - (source.year or ctx.today.year)
    return (
        f"The page calls the study {_called(ctx)}; its source, {source.short}, is {_years(age)} old "
        f"(the recency window is {_years(ctx.recency_years)})."
    )


def _dated_message(ctx: Context, year: int) -> str:
    return (
        f"The page calls the study {_called(ctx)} but dates it to {year}, {_years(ctx.today.year - year)} ago "
        f"(the recency window is {_years(ctx.recency_years)}): drop “recent” or cite a current source."
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
