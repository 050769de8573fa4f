"""The figure comparison two rules share: a figure against the sourced value of its subject (figure-mismatch) or,
when no source gives one, against the subject's other recorded values (contradiction); and the statements a sentence
makes on the knowledge base's subjects against their sources and the site's pages (`stated_conflicts`: a figure at
odds with its source alone is figure-mismatch's, the rest contradiction's). The first match that gives
a verdict decides, so one figure is reported by one rule."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Literal

from kb.check.context import Context, Flag, about_subject, judged
from kb.check.rules.wordsof import figure_words
from kb.language.attribution import credited_year, other_study, sources_named, sources_sized
from kb.language.compare import describe, disagree, hedged, share_or_change_alike, source_as_value
from kb.language.effects import Interval, differ, read_effects
from kb.language.knowledge import ClaimInfo
from kb.language.matching import Match
from kb.language.sentence import STATEMENT_BREAK
from kb.language.values import StatedValue
from kb.language.vocabulary import SourceValue
from kb.text.normalise import fold
from kb.text.quantities import Quantity, digits

Verdict = tuple[Literal["mismatch", "conflict"], Flag]


def natural(quantity: Quantity, *shown_with: Quantity) -> str:
    """A figure in the units a reader would use ("40–60 min", not "0.0278–0.0417 days")."""
    values = [StatedValue(q.text, q.low, q.high, q.dimension, q.qualifier) for q in (quantity, *shown_with)]
    return describe(values[0], *values[1:])


def mismatch_message(ctx: Context, stated: Quantity, truth: ClaimInfo) -> str:
    """What the page says, what the source says (with its words), and how they differ, in one line."""
    assert truth.quantity is not None
    said, known = natural(stated, truth.quantity), natural(truth.quantity, stated)
    place = figure_words(ctx, stated)
    words = place.text if place is not None else stated.text  # "about an hour", as the page writes it
    quoted = next(((source, quote) for source, quote in truth.quotes if quote and source in ctx.view.sources), None)
    if quoted is not None:
        source, quote = quoted
        return f"The page says “{words}” ({said}); {ctx.view.sources[source].short} gives {known}: “{quote}”"
    cited = next((ctx.view.sources[s].short for s in truth.supporting if s in ctx.view.sources), "the source")
    return f"The page says “{words}” ({said}); {cited} gives {known}: {truth.statement}"


def _described(ctx: Context) -> set[str]:
    """The sources the sentence names as the study it reports (not the page's: a page's wrong journal is
    misattribution's to report, and the figures after it are still the study's), or describes by its sample ("6 of
    6 patients" in a study of six)."""
    named = {source.id for source in sources_named(ctx.view, ctx.span.text)}
    return named | sources_sized(ctx.view, ctx.facts.digitised, ctx.facts.measured)


def another_study(ctx: Context, sources: list[str], by_year: bool = True, described: set[str] | None = None) -> bool:
    """The sentence reports a study none of `sources` is, by its own words or, when it names no study itself, by
    the sentence before ("A 2021 survey of 500 patients asked … Forty percent said it helped"). `described`: the
    sentence's `_described`, when the caller has it."""
    # The page's own patients make another study of an outcome ("40 percent of our patients improved"); how long
    # its sessions last is still held to the studied treatment.
    outcome = any(q.dimension == "percent" for q in ctx.facts.measured)
    if other_study(ctx.view, ctx.span.text, ctx.facts.digitised, sources, by_year, own_patients=outcome):
        return True
    if not ctx.preceding or credited_year(ctx.span.text) or (_described(ctx) if described is None else described):
        return False
    return other_study(ctx.view, ctx.preceding, digits(ctx.preceding), sources, by_year, own_patients=False)


def _in_subject_clause(ctx: Context, claim: ClaimInfo) -> list[Quantity]:
    """The sentence's figures that stand in a clause naming the claim's subject (all of them when the subject
    declares no words, or no clause names it: the sentence as a whole is then about it)."""
    words = ctx.view.subject_words(claim.subject)
    text = ctx.facts.digitised
    bounds = [0, *(m.end() for m in STATEMENT_BREAK.finditer(text)), len(text)]
    if not words or len(bounds) == 2:
        return list(ctx.facts.measured)
    pieces = [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    named = [any(re.search(rf"(?<![\w-]){re.escape(fold(w))}", piece) for w in words) for piece in pieces]
    if not any(named):
        return list(ctx.facts.measured)
    return [
        q
        for q in ctx.facts.measured
        if (at := text.find(q.text)) < 0 or named[max(i for i, start in enumerate(bounds[:-1]) if start <= at)]
    ]


APART = 10_000  # this many times its source's figure is another measure ("$450 a visit", "$20 billion a year")


def same_order(stated: Quantity, source: Quantity) -> bool:
    """Whether the two could be one measure misstated: within APART times of each other."""
    tops = [abs(q.high if math.isfinite(q.high) else q.low) for q in (stated, source)]
    small, big = sorted(tops)
    return small == 0 or big <= APART * small


def _stated_rightly(ctx: Context, figure: Quantity) -> bool:
    """The figure is a sourced claim's the sentence also matches ("rose 530%" is the rise in ingestions, not the
    share of them the closer match gives): it states that claim, rightly, and is no mismatch of another."""
    return any(
        match.claim.sourced
        and (value := match.claim.quantity) is not None
        and value.dimension == figure.dimension
        and figure.overlaps(value)
        for match in ctx.matches[:3]
    )


def figure_verdict(ctx: Context) -> Verdict | None:
    if judged(ctx) or not ctx.facts.measured:
        return None
    described: set[str] | None = None  # the study the sentence names: read only when a sourced figure is compared
    for match in ctx.matches[:2]:
        if not about_subject(ctx, match.claim):
            continue  # a figure of the right kind near shared words is not a figure on the claim's subject
        subject = ctx.view.subject_claims(match.claim.subject)
        sourced = [c for c in subject if c.sourced and c.quantity is not None]
        if sourced and described is None:
            described = _described(ctx)
        if described and sourced and not any(described & set(c.supporting) for c in sourced):
            continue  # the sentence reports another study's figure: not one to hold against this subject's source
        if sourced and another_study(ctx, [s for c in sourced for s in c.supporting], described=described):
            continue  # dated, sized or placed as a study none of this subject's sources is
        measured = [q for q in _in_subject_clause(ctx, match.claim) if not _stated_rightly(ctx, q)]
        stated = [
            q
            for q in measured
            for c in sourced
            if c.quantity is not None
            and q.dimension == c.quantity.dimension
            and same_order(q, c.quantity)
            and (q.dimension != "percent" or share_or_change_alike(q.low, c.quantity.low))
        ]
        if sourced and stated and not any(q.overlaps(c.quantity) for q in stated for c in sourced if c.quantity):
            truth = sourced[0]
            place = ctx.as_written(stated[0].text)[0]  # the figure's own words, not the whole sentence
            return "mismatch", Flag(mismatch_message(ctx, stated[0], truth), Match(truth, match.score), place)
        others = [c for c in subject if c.quantity is not None]
        comparable = [q for q in measured if any(q.dimension == c.quantity.dimension for c in others if c.quantity)]
        if (
            not sourced
            and comparable
            and not any(q.overlaps(c.quantity) for q in comparable for c in others if c.quantity)
        ):
            listed = "; ".join(f"“{c.statement.rstrip('.')}”" for c in others[:2])
            place = figure_words(ctx, comparable[0])
            said = place.text if place else comparable[0].text
            message = (
                f"The page says “{said}”; the knowledge base records otherwise, with no source behind either: "
                f"{listed}. Find the source that settles it, or remove the figure."
            )
            return "conflict", Flag(message, match, place)
    return None


def _said(intervals: list[Interval]) -> str:
    named = [("the 95% CI " if i.measure == "ci" else f"{i.measure.upper()} ") + i.shown() for i in intervals]
    return " and ".join(named)


def interval_mismatch(ctx: Context) -> Flag | None:
    """An effect size or 95% confidence interval the page gives for a sourced claim it states, sized otherwise in
    the source's own quote ("SMD = -0.36" where the paper gives 0.22). Sizes are compared, not signs."""
    if judged(ctx):
        return None
    stated = read_effects(ctx.span.text)
    if not stated:
        return None
    for match in ctx.matches[:3]:
        claim = match.claim
        if not claim.sourced or claim.status == "do-not-use" or not about_subject(ctx, claim):
            continue
        for source, quote in claim.quotes:
            known = read_effects(quote)
            wrong = [
                (given, same[0])
                for given in stated
                if (same := [k for k in known if k.measure == given.measure]) and all(differ(given, k) for k in same)
            ]
            if not wrong:
                continue
            cited = ctx.view.sources[source].short if source in ctx.view.sources else "the source"
            page = " and ".join(f"“{given.text}”" for given, _ in wrong)
            given, truth = _said([g for g, _ in wrong]), _said([k for _, k in wrong])
            message = f"The page gives {given} ({page}); {cited} gives {truth}: “{quote}”"
            return Flag(message, Match(claim, match.score), span=ctx.words(wrong[0][0].text))
    return None


SHOWN = 3  # known pages named in one message


def stated_conflicts(ctx: Context) -> list[tuple[str, str, bool]]:
    """Each statement that conflicts with the source's value or with registered pages: (message, the words that
    state it, whether it is a figure at odds with its source alone, which is figure-mismatch's to report)."""
    known = ctx.known
    if known is None:
        return []
    own_page = known.page_of(ctx.path)
    found = []
    described: set[str] | None = None  # the studies the sentence reports: read once, only for a figure
    for statement in ctx.statements:
        spec = known.vocabulary.by_id[statement.subject]
        entity = statement.value.entity
        known_names = known.vocabulary.entity_names.get(spec.entity_type or "", {})
        if entity is not None and fold(entity) in known_names:
            continue  # a study put in a known wrong city or journal is the misattribution rule's finding
        parts: list[str] = []
        backed = False  # the source says what this page says: pages that disagree are theirs to fix, not this one's
        values = [] if hedged(statement.value) else known.vocabulary.source_values(statement.subject)
        if values and statement.value.dimension is not None:
            described = _described(ctx) if described is None else described
            if described and not any(described & set(source.sources) for source in values):
                values = []  # the sentence reports another study's figure: not one to hold against this source
            elif another_study(ctx, [s for source in values for s in source.sources], described=described):
                values = []
        for source in values:
            truth = source_as_value(source, spec)
            if truth is None:
                continue
            if not disagree(statement.value, truth):
                backed = True
            elif not parts:
                parts.append(f"the source ({source.cite}) says {_source_says(source, truth, statement.value)}")
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
        figure = bool(parts) and not clashes and statement.value.dimension is not None
        if clashes:
            pages = sorted({c.page for c in clashes})
            listed = "; ".join(
                f"{c.page} line {c.line} says {_says(c.value, statement.value)}" for c in clashes[:SHOWN]
            )
            more = f" and {len(clashes) - SHOWN} more" if len(clashes) > SHOWN else ""
            parts.append(f"{len(pages)} known page(s) disagree: {listed}{more}")
        if parts:
            words = ctx.as_written(statement.value.text)[1]  # the page's own words ("FDA-approved"), not as read
            said = (
                f"“{words}”" if statement.value.stance else f"{describe(statement.value, statement.value)} (“{words}”)"
            )
            found.append((f"{spec.label}: this page says {said}; {'; '.join(parts)}", words, figure))
    return found


def _says(value: StatedValue, shown_with: StatedValue) -> str:
    """A stance in the words that took it ("“off-label”"), not its id; a figure or a name as `describe` gives it."""
    return f"“{value.text}”" if value.stance is not None and value.text else describe(value, shown_with)


def _source_says(source: SourceValue, truth: StatedValue, shown_with: StatedValue) -> str:
    """A source's stance in its own quoted words, or its claim's statement; its figure or name as `describe` gives."""
    if truth.stance is None:
        return describe(truth, shown_with)
    return f"“{source.quote}”" if source.quote else f"that {source.statement[0].lower()}{source.statement[1:]}"


def one_flag(ctx: Context, conflicts: list[tuple[str, str, bool]]) -> Iterator[Flag]:
    """One finding per sentence (findings are keyed by place): a sentence on two subjects names both. On one
    subject it points at the words that state it."""
    if conflicts:
        span = ctx.words(conflicts[0][1]) if len(conflicts) == 1 else None
        yield Flag(" | ".join(message for message, _, _ in conflicts), span=span)
