"""Every `kb check` rule, one sentence at a time, against a made-up sleep aid ("Lullora") held in memory: for each
rule a sentence it flags and near misses it must leave alone, and the curated-verdict pre-pass. Nothing here comes
from the bundled data: the rules are read through the `Knowledge` protocol only (tests/fakes.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kb.check.context import judged
from kb.check.curated import curated
from kb.check.registry import RULES
from kb.language.knowledge import SourceInfo, SourceRecord
from kb.language.values import StatedValue, Statement
from kb.language.vocabulary import SubjectRow
from kb.records import Finding
from tests.fakes import FakeKnowledge, claim_record, context, known_pages

MINUTE = 1 / 1440  # time values are in days
DATA_DIR = Path("/kb-data")  # where the fake's registered pages live (never read)
OKAFOR = "Okafor 2019, J Sleep Stud"

SOURCES = [
    SourceInfo("okafor-2019", 2019, "Leeds", "Northfield University", "Journal of Sleep Studies", OKAFOR),
    SourceInfo("brandt-2024", 2024, "Bristol", None, "Sleep Medicine Letters", "Brandt 2024, Sleep Med Lett"),
]
RECORDS = [
    SourceRecord("okafor-2019", 120, "Northfield University", "Okafor", None),
    SourceRecord("brandt-2024", 11, None, "Brandt", None),
]


def _mention(quote: str, verdict: str, note: str, attribution: str | None = None) -> dict[str, Any]:
    return {"page": "sleep-blog", "quote": quote, "verdict": verdict, "note": note, "attribution": attribution}


def _minutes(value: float, unit: str = "minute", qualifier: str = "exact") -> dict[str, Any]:
    return {"kind": "quantity", "value": value, "unit": unit, "qualifier": qualifier}


CLAIMS = [
    claim_record(
        "onset-12-min",
        "Lullora shortened the time to fall asleep by 12 minutes.",
        "sleep-onset",
        value=_minutes(12),
        supported_by=["okafor-2019"],
        quote="Sleep onset was 12 minutes shorter with Lullora.",
        approved_wording="In one trial, Lullora shortened the time to fall asleep by about 12 minutes.",
        mentions=[_mention("Lullora halves the time it takes to fall asleep", "overstated", "12 minutes, not half.")],
    ),
    claim_record(
        "cures-insomnia",
        "Lullora cures chronic insomnia.",
        "insomnia-cure",
        value={"kind": "stance", "stance": "cures"},
        status="do-not-use",
        level="no-evidence",
        mentions=[_mention("Lullora ends insomnia for good", "overstated", "No trial followed sleepers for long.")],
    ),
    claim_record(
        "vivid-dreams",
        "Lullora makes dreams more vivid.",
        "dreams",
        status="use-with-caveat",
        level="very-low",
        supported_by=["brandt-2024"],
        caveats=["reported by eleven volunteers in an unblinded pilot"],
        mentions=[
            _mention("Lullora gives everyone vivid dreams", "overstated", "Eleven volunteers, not everyone."),
            _mention("some volunteers said their dreams felt more vivid", "accurate", "As the pilot reports."),
        ],
    ),
    claim_record(
        "take-30-min-before-bed",
        "Take Lullora 30 minutes before bed.",
        "dose-timing",
        value=_minutes(30),
        status="use-with-caveat",
        level="no-evidence",
        mentions=[_mention("Lullora works best half an hour before bed", "unsupported", "No source times the dose.")],
    ),
    claim_record(
        "trial-in-leeds",
        "The Lullora trial was run in Leeds.",
        "trial-city",
        value={"kind": "entity", "entity": "Leeds", "entity_type": "city"},
        supported_by=["okafor-2019"],
    ),
    claim_record(
        "trial-in-york",
        "The Lullora trial was run in York.",
        "trial-city",
        value={"kind": "entity", "entity": "York", "entity_type": "city"},
        status="do-not-use",
        level="no-evidence",
        mentions=[
            _mention(
                "Lullora was tested at York Sleep Clinic", "misattributed", "It ran in Leeds.", "York Sleep Clinic"
            )
        ],
    ),
    claim_record(
        "asleep-in-5-min",
        "Lullora puts you to sleep in 5 minutes.",
        "sleep-speed",
        value=_minutes(5),
        status="do-not-use",
        level="no-evidence",
        mentions=[_mention("Lullora knocks you out in five minutes flat", "contradicted", "Sleepers took 20 minutes.")],
    ),
]


def _stated(subject: str, line: int, quote: str, text: str, minutes: float) -> Statement:
    value = StatedValue(text, minutes * MINUTE, minutes * MINUTE, "time")
    return Statement(subject, "sleep-guide", "pages/sleep-guide.md", line, 1, line, len(quote) + 1, quote, value)


# What another registered page, sleep-guide, states (the contradiction rule compares with it).
STORED = [
    _stated("sleep-onset", 3, "Lullora cuts the time to fall asleep by 40 minutes.", "40 minutes", 40),
    _stated("dose-timing", 7, "Take it 30 minutes before bed.", "30 minutes", 30),
]
KB = FakeKnowledge(
    CLAIMS, SOURCES, RECORDS, STORED, [("sleep-guide", "pages/sleep-guide.md"), ("sleep-blog", "pages/sleep-blog.md")]
)
SITE_PAGE = str(DATA_DIR / "pages" / "sleep-blog.md")  # a page of the same site: compared with sleep-guide
SUBJECTS = [
    SubjectRow(
        "sleep-onset", "time to fall asleep", "quantity", "time", ["time to fall asleep"], [], {"detectable": True}
    ),
    SubjectRow("dose-timing", "when to take it", "quantity", "time", ["before bed"], [], {"detectable": True}),
]
KNOWN = known_pages(KB, SUBJECTS, DATA_DIR)


def run(rule: str, text: str, **overrides: Any) -> list[Finding]:
    return list(RULES[rule].run(context(text, KB, **overrides)))


def test_the_registry_holds_the_rules_tested_here() -> None:
    assert list(RULES) == [
        "unsupported-claim",
        "figure-mismatch",
        "misattribution",
        "disallowed-claim",
        "weak-evidence",
        "stale-recency",
        "contradiction",
        "unverified-statistic",
    ]


# (rule, sentence, context overrides, what the message says, the claim it rests on)
FLAGGED: list[tuple[str, str, dict[str, Any], str, str | None]] = [
    (
        "unsupported-claim",
        "Take Lullora 30 minutes before bed each night.",
        {},
        "States what the knowledge base records with no source behind it (“Take Lullora 30 minutes before bed.”)",
        "take-30-min-before-bed",
    ),
    (
        "unverified-statistic",
        "A study of the new pillow found 64% of sleepers liked it.",
        {},
        "The page says “64%”, and no source in the knowledge base gives this figure",
        None,
    ),
    (
        "unverified-statistic",
        "Some 64% of sleepers liked the new pillow.",  # a statistic with no study word is checked too
        {},
        "The page says “Some 64%”, and no source in the knowledge base gives this figure",
        None,
    ),
    (
        "unverified-statistic",
        "The pillow was tested on 240 sleep-deprived volunteers.",  # a count, the noun a word away
        {},
        "The page says “240 sleep-deprived volunteers”",
        None,
    ),
    (
        "figure-mismatch",
        "Lullora shortened the time to fall asleep by about an hour.",  # the page's words, in minutes
        {},
        "The page says “about an hour” (54–66 min); Okafor 2019, J Sleep Stud gives 12 min",
        "onset-12-min",
    ),
    (
        "unverified-statistic",
        "About eleven volunteers liked the new pillow.",  # approximate: a source's n in its band is no backing
        {},
        "The page says “About eleven volunteers”",
        None,
    ),
    (
        "unverified-statistic",
        "Take 0.3 mg (300 mcg) of it nightly.",  # the same figure again in brackets is one figure
        {},
        "The page says “0.3 mg”",
        None,
    ),
    (
        "unverified-statistic",
        "The calm lasts at least one day after the pillow spray.",  # quoted as the page writes it
        {},
        "The page says “at least one day”",
        None,
    ),
    (
        "figure-mismatch",
        "Lullora shortened the time to fall asleep by 30 minutes.",
        {},
        f"The page says “30 minutes” (30 min); {OKAFOR} gives 12 min: "
        "“Sleep onset was 12 minutes shorter with Lullora.”",
        "onset-12-min",
    ),
    (
        "misattribution",
        "The Lullora trial was run in York.",
        {},
        f"Names York; the knowledge base gives Leeds ({OKAFOR}).",
        "trial-in-leeds",
    ),
    (
        "misattribution",
        "A study in Bristol found Lullora shortened the time to fall asleep by 12 minutes.",
        {},
        f"Credits the finding to “Bristol”; {OKAFOR} gives the city as Leeds.",
        "onset-12-min",
    ),
    (
        "misattribution",
        "Sleep Medicine Letters reported that Lullora shortened the time to fall asleep by 12 minutes.",
        {},
        f"Credits the finding to “Sleep Medicine Letters”; {OKAFOR} gives the journal as Journal of Sleep Studies.",
        "onset-12-min",
    ),
    (
        "misattribution",
        "A 2015 study found Lullora shortened the time to fall asleep by 12 minutes.",
        {},
        f"Credits the finding to a 2015 study; {OKAFOR} is from 2019.",
        "onset-12-min",
    ),
    (
        "misattribution",
        "Researchers at the Mayo Clinic found Lullora shortened the time to fall asleep by 12 minutes.",
        {},
        "Credits the finding to “Mayo Clinic”; Okafor 2019, J Sleep Stud gives the institution as Northfield",
        "onset-12-min",
    ),
    (
        "disallowed-claim",
        "Lullora cures chronic insomnia in most adults.",
        {},
        "States what the knowledge base marks do-not-use: “Lullora cures chronic insomnia.”",
        "cures-insomnia",
    ),
    (
        "disallowed-claim",
        "Lullora puts you to sleep in 5 minutes.",
        {},
        "States what the knowledge base marks do-not-use: “Lullora puts you to sleep in 5 minutes.”",
        "asleep-in-5-min",
    ),
    (
        "disallowed-claim",
        "This pillow spray is completely safe for everyone.",
        {},
        "Risky wording (absolute safety): “completely safe”. Name the known side effects and risks",
        None,
    ),
    (
        "disallowed-claim",
        "This pillow spray feels like magic every night.",
        {"lexicon": ("like magic",)},
        "Risky wording (configured phrase): “like magic”.",
        None,
    ),
    (
        "weak-evidence",
        "Lullora makes dreams more vivid.",
        {},
        "Stated as established, but the evidence behind it is very-low (Brandt 2024, Sleep Med Lett), below the low "
        "minimum",
        "vivid-dreams",
    ),
    (
        "weak-evidence",
        "Lullora shortened the time to fall asleep by 12 minutes.",
        {"min_level": "high"},
        f"Stated as established, but the evidence behind it is moderate ({OKAFOR}), below the high minimum",
        "onset-12-min",
    ),
    (
        "stale-recency",
        "A recent study found Lullora shortened the time to fall asleep by 12 minutes.",
        {},
        "The page calls the study “recent”; its source, Okafor 2019",
        "onset-12-min",
    ),
    (
        "stale-recency",
        "Recently, researchers found Lullora shortened the time to fall asleep by 12 minutes.",
        {},
        "is 6 years old (the recency window is 3 years).",
        "onset-12-min",
    ),
    (
        "stale-recency",
        "Scientists recently reported that Lullora shortened the time to fall asleep by 12 minutes.",
        {},
        "is 6 years old (the recency window is 3 years).",
        "onset-12-min",
    ),
    (
        "stale-recency",
        "A recent study found Lullora shortened the time to fall asleep by 12 minutes.",
        {"today": date(2021, 3, 1), "recency_years": 1},
        "is 2 years old (the recency window is 1 year).",
        "onset-12-min",
    ),
    (
        "contradiction",
        "Take Lullora 2 hours before bed.",
        {},
        "The page says “2 hours”; the knowledge base records otherwise, with no source behind either: “Take Lullora 30 "
        "minutes before bed”.",
        "take-30-min-before-bed",
    ),
    (
        "contradiction",
        "Lullora shortened the time to fall asleep by 30 minutes.",
        {"known": KNOWN, "path": SITE_PAGE},
        f"time to fall asleep: this page says 30 min (“30 minutes”); the source ({OKAFOR}) says 12 min; "
        "1 known page(s) disagree: sleep-guide line 3 says 40 min",
        None,
    ),
]

# (rule, sentence, context overrides, the claim the sentence matches first, or None for no match)
NEAR_MISSES: list[tuple[str, str, dict[str, Any], str | None]] = [
    ("unsupported-claim", "Lullora shortened the time to fall asleep by 12 minutes.", {}, "onset-12-min"),
    ("unsupported-claim", "Lullora cures chronic insomnia in most adults.", {}, "cures-insomnia"),  # do-not-use
    ("unsupported-claim", "Some 64% of sleepers liked the new pillow.", {}, None),  # unverified-statistic's
    ("unverified-statistic", "Lullora shortened the time to fall asleep by 12 minutes.", {}, "onset-12-min"),
    ("unverified-statistic", "Lullora shortened the time to fall asleep by about 11 minutes.", {}, "onset-12-min"),
    ("unverified-statistic", "It was reported by eleven volunteers in an unblinded pilot.", {}, None),  # a source's n
    ("unverified-statistic", "In 2019 the Lullora trial was run in Leeds.", {}, "trial-in-leeds"),  # a year
    ("unverified-statistic", "Read more at https://example.org/news/2024/64-sleep-tips today.", {}, None),
    ("unverified-statistic", "Two years ago the clinic moved to a new building.", {}, None),  # a date
    ("unverified-statistic", "Save 20% on the pillow spray when you subscribe.", {}, "asleep-in-5-min"),  # an offer
    ("unverified-statistic", "Arrive at least one day before your first visit.", {}, None),  # a visit's lead time
    ("unverified-statistic", "I knew I would only get 4 hours of sleep.", {}, None),  # the writer's own night
    ("unverified-statistic", "The amount of light you get in a day matters.", {}, None),  # a rate's unit
    ("unverified-statistic", "Lullora shortened the time to fall asleep by 30 minutes.", {}, "onset-12-min"),
    ("figure-mismatch", "Lullora shortened the time to fall asleep by 12 minutes.", {}, "onset-12-min"),
    ("figure-mismatch", "Lullora shortened the time to fall asleep by about 11 minutes.", {}, "onset-12-min"),
    # another study's figure: the sentence names Brandt's pilot, and the subject's figure rests on Okafor's trial
    (
        "figure-mismatch",
        "In Brandt's pilot, Lullora shortened the time to fall asleep by 20 minutes.",
        {},
        "onset-12-min",
    ),
    ("figure-mismatch", "Take Lullora 2 hours before bed.", {}, "take-30-min-before-bed"),  # no source: contradiction
    ("misattribution", "The Lullora trial was run in Leeds.", {}, "trial-in-leeds"),
    (
        "misattribution",
        "A 2020 study found Lullora shortened the time to fall asleep by 12 minutes.",  # a year's slack
        {},
        "onset-12-min",
    ),
    (
        "misattribution",
        "A study in Leeds found Lullora shortened the time to fall asleep by 12 minutes.",
        {},
        "onset-12-min",
    ),
    ("disallowed-claim", "Lullora does not cure chronic insomnia.", {}, "cures-insomnia"),
    ("disallowed-claim", "Some makers claim that pillow sprays are completely safe.", {}, None),  # reported
    ("disallowed-claim", "Some clinics claim Lullora cures chronic insomnia in most adults.", {}, "cures-insomnia"),
    ("disallowed-claim", "We cannot promise that the pillow spray is completely safe.", {}, None),
    ("disallowed-claim", "Lullora puts you to sleep in 45 minutes.", {}, "asleep-in-5-min"),  # not the claim's figure
    ("disallowed-claim", "The Lullora trial was run in York.", {}, "trial-in-york"),  # a wrong name: misattribution
    ("disallowed-claim", "This pillow spray is not completely safe for everyone.", {}, None),
    ("disallowed-claim", "This pillow spray feels like magic every night.", {}, None),  # not in the default lexicon
    ("weak-evidence", "Lullora may make dreams more vivid.", {}, "vivid-dreams"),
    ("weak-evidence", "Lullora does not make dreams more vivid.", {}, "vivid-dreams"),
    (
        "weak-evidence",
        "Lullora makes dreams more vivid, as reported by eleven volunteers in an unblinded pilot.",
        {},
        "vivid-dreams",
    ),
    ("weak-evidence", "Lullora makes dreams more vivid.", {"min_level": "very-low"}, "vivid-dreams"),
    ("weak-evidence", "Lullora cures chronic insomnia in most adults.", {}, "cures-insomnia"),  # do-not-use's rule
    (
        "stale-recency",
        "A 2019 study found Lullora shortened the time to fall asleep by 12 minutes.",
        {},
        "onset-12-min",
    ),
    (
        "stale-recency",
        "A recent study found Lullora shortened the time to fall asleep by 12 minutes.",
        {"recency_years": 10},
        "onset-12-min",
    ),
    (
        "stale-recency",
        "A recent study found Lullora shortened the time to fall asleep by 12 minutes.",
        {"today": date(2021, 3, 1)},
        "onset-12-min",
    ),
    ("stale-recency", "A recent study found Lullora makes dreams more vivid.", {}, "vivid-dreams"),  # a 2024 source
    ("contradiction", "Take Lullora 30 minutes before bed.", {}, "take-30-min-before-bed"),
    ("contradiction", "Lullora shortened the time to fall asleep by 30 minutes.", {}, "onset-12-min"),  # sourced
    # The source backs the page; that sleep-guide says 40 minutes is sleep-guide's to fix.
    ("contradiction", "Lullora shortened the time to fall asleep by 12 minutes.", {"known": KNOWN}, "onset-12-min"),
]


def _id(value: object) -> str:
    if isinstance(value, dict):
        return ",".join(f"{key}={_id(item)}" for key, item in value.items())
    return "known" if value is KNOWN else str(value)


@pytest.mark.parametrize(("rule", "text", "overrides", "message", "claim"), FLAGGED, ids=_id)
def test_rule_flags(rule: str, text: str, overrides: dict[str, Any], message: str, claim: str | None) -> None:
    found = run(rule, text, **overrides)
    assert [(f.rule, f.claim_id) for f in found] == [(rule, claim)]
    assert message in found[0].message
    # The finding points at the sentence, or at the figure or words it is about.
    assert found[0].line == 1 and found[0].text in text
    assert text[found[0].column - 1 : found[0].end_column - 1] == found[0].text
    assert found[0].severity == RULES[rule].severity


@pytest.mark.parametrize(("rule", "text", "overrides", "first"), NEAR_MISSES, ids=_id)
def test_rule_leaves_near_miss_alone(rule: str, text: str, overrides: dict[str, Any], first: str | None) -> None:
    ctx = context(text, KB, **overrides)
    assert (ctx.matches[0].claim.id if ctx.matches else None) == first  # near: it states (or misses) that claim
    assert list(RULES[rule].run(ctx)) == []


def test_every_rule_flags_something_and_misses_something() -> None:
    assert {rule for rule, *_ in FLAGGED} == set(RULES) == {rule for rule, *_ in NEAR_MISSES}


def test_a_finding_offers_the_best_sourced_approved_wording() -> None:
    (found,) = run("figure-mismatch", "Lullora shortened the time to fall asleep by 30 minutes.")
    assert found.fix == f"In one trial, Lullora shortened the time to fall asleep by about 12 minutes. ({OKAFOR})"
    assert found.evidence == "moderate"


def test_one_figure_is_reported_by_one_figure_rule() -> None:
    """A sourced subject's wrong figure is figure-mismatch's; an unsourced subject's is contradiction's."""
    wrong_sourced = "Lullora shortened the time to fall asleep by 30 minutes."
    wrong_unsourced = "Take Lullora 2 hours before bed."
    assert [f.rule for f in run("figure-mismatch", wrong_sourced) + run("contradiction", wrong_sourced)] == [
        "figure-mismatch"
    ]
    assert [f.rule for f in run("figure-mismatch", wrong_unsourced) + run("contradiction", wrong_unsourced)] == [
        "contradiction"
    ]


def test_a_page_is_not_compared_with_itself() -> None:
    """sleep-guide, edited to say 50 minutes, disagrees with the source and with the 40 minutes it said before; only
    the source counts against it, while another page saying 50 minutes also disagrees with sleep-guide."""
    text = "Lullora cuts the time to fall asleep by 50 minutes."
    # Against the source alone, the figure is figure-mismatch's (and no contradiction with the page's own past).
    assert run("contradiction", text, known=KNOWN, path=str(DATA_DIR / "pages" / "sleep-guide.md")) == []
    (own,) = run("figure-mismatch", text, known=KNOWN, path=str(DATA_DIR / "pages" / "sleep-guide.md"))
    assert "12 min" in own.message and "known page" not in own.message
    (other,) = run("contradiction", text, known=KNOWN, path=SITE_PAGE)
    assert "1 known page(s) disagree: sleep-guide line 3 says 40 min" in other.message
    assert f"the source ({OKAFOR}) says 12 min" in other.message
    # A page outside the knowledge base's own site is held to the source only; across sites is kb contradictions'.
    assert run("contradiction", text, known=KNOWN, path="elsewhere.md") == []


def test_contradiction_reports_pages_and_figures_separately() -> None:
    """Today's behaviour: a figure that other pages and the subject's unsourced value both contradict gives two
    contradiction findings on one sentence, one with no claim (the pages) and one on the claim."""
    found = run("contradiction", "Take Lullora 2 hours before bed.", known=KNOWN, path=SITE_PAGE)
    assert [f.claim_id for f in found] == [None, "take-30-min-before-bed"]
    assert "1 known page(s) disagree: sleep-guide line 7 says 30 min" in found[0].message
    assert found[1].message == (
        "The page says “2 hours”; the knowledge base records otherwise, with no source behind either: “Take Lullora 30 "
        "minutes before bed”. Find the source that settles it, or remove the figure."
    )


def test_a_do_not_use_value_is_what_a_figure_contradicts() -> None:
    """Today's behaviour: with no sourced value on the subject, the do-not-use claim's own figure is the value
    a different figure "conflicts with" (disallowed-claim stays quiet, as the figure is not the claim's)."""
    text = "Lullora puts you to sleep in 45 minutes."
    assert run("disallowed-claim", text) == []
    (found,) = run("contradiction", text)
    assert (found.claim_id, found.message) == (
        "asleep-in-5-min",
        "The page says “45 minutes”; the knowledge base records otherwise, with no source behind either: “Lullora "
        "puts you to sleep in 5 minutes”. Find the source that settles it, or remove the figure.",
    )


# The curated pre-pass: (sentence, the quote it holds, rule, message, claim)
CURATED = [
    (
        "Honestly, Lullora halves the time it takes to fall asleep.",
        "Lullora halves the time it takes to fall asleep",
        "figure-mismatch",  # overstated, on a claim with a figure
        "Overstated: 12 minutes, not half.",
        "onset-12-min",
    ),
    (
        "Fans say Lullora ends insomnia for good.",
        "Lullora ends insomnia for good",
        "disallowed-claim",  # overstated, on a do-not-use claim
        "Overstated: No trial followed sleepers for long.",
        "cures-insomnia",
    ),
    (
        "Lullora gives everyone vivid dreams, the ad says.",
        "Lullora gives everyone vivid dreams",
        "weak-evidence",  # overstated, on a claim with no figure
        "Overstated: Eleven volunteers, not everyone.",
        "vivid-dreams",
    ),
    (
        "Lullora was tested at York Sleep Clinic last spring.",
        "Lullora was tested at York Sleep Clinic",
        "misattribution",
        "Misattributed (York Sleep Clinic): It ran in Leeds.",
        "trial-in-york",
    ),
    (
        "Lullora works best half an hour before bed.",
        "Lullora works best half an hour before bed",
        "unsupported-claim",
        "Unsupported: No source times the dose.",
        "take-30-min-before-bed",
    ),
    (
        "Lullora knocks you out in five minutes flat.",
        "Lullora knocks you out in five minutes flat",
        "contradiction",
        "Contradicted: Sleepers took 20 minutes.",
        "asleep-in-5-min",
    ),
]


@pytest.mark.parametrize(("text", "quote", "rule", "message", "claim"), CURATED)
def test_a_curated_mention_gets_its_verdict_and_the_rules_leave_it(
    text: str, quote: str, rule: str, message: str, claim: str
) -> None:
    ctx = context(text, KB)
    (found,) = curated(ctx)
    assert (found.rule, found.message, found.claim_id, found.severity) == (rule, message, claim, RULES[rule].severity)
    at = text.index(quote) + 1
    assert (found.column, found.end_column, found.text) == (at, at + len(quote), quote)  # points at the quote
    assert judged(ctx)
    assert {rule_id: list(r.run(ctx)) for rule_id, r in RULES.items()} == {rule_id: [] for rule_id in RULES}


def test_an_unjudged_sentence_gets_no_curated_verdict() -> None:
    ctx = context("Lullora shortened the time to fall asleep by 30 minutes.", KB)
    assert not judged(ctx)
    assert list(curated(ctx)) == []


def test_an_accurate_mention_has_no_verdict_but_its_weak_claim_is_still_checked() -> None:
    """An accurate quote is judged (the other rules leave it), yet weak-evidence still asks for the caveat."""
    ctx = context("As the pilot found, some volunteers said their dreams felt more vivid.", KB)
    assert judged(ctx)
    assert list(curated(ctx)) == []
    found = {rule_id: [f.claim_id for f in r.run(ctx)] for rule_id, r in RULES.items()}
    assert found == {rule_id: (["vivid-dreams"] if rule_id == "weak-evidence" else []) for rule_id in RULES}


def test_rules_that_do_not_ask_judged_still_fire_on_a_curated_sentence() -> None:
    """Today's behaviour: the lexicon half of disallowed-claim and stale-recency do not consult `judged`, so a
    curated sentence can get their finding beside its verdict."""
    lexicon = context("Guaranteed: Lullora ends insomnia for good.", KB)
    assert [f.rule for f in curated(lexicon)] == ["disallowed-claim"]
    assert [f.message for f in RULES["disallowed-claim"].run(lexicon)] == [
        "Risky wording (guarantees): “Guaranteed”. No health outcome can be guaranteed: remove the guarantee."
    ]
    recent = context("A recent study says Lullora halves the time it takes to fall asleep.", KB)
    assert [f.rule for f in curated(recent)] == ["figure-mismatch"]
    assert [f.claim_id for f in RULES["stale-recency"].run(recent)] == ["onset-12-min"]


SENTENCES = [(text, {}) for text, *_ in CURATED] + list(
    {(text, _id(o)): (text, o) for _, text, o, *_ in FLAGGED + NEAR_MISSES}.values()
)


@pytest.mark.parametrize("rule", list(RULES))
@pytest.mark.parametrize(("text", "overrides"), SENTENCES, ids=_id)
def test_a_rule_reports_under_its_own_id_only(rule: str, text: str, overrides: dict[str, Any]) -> None:
    assert {f.rule for f in run(rule, text, **overrides)} <= {rule}


def test_contractions_count_as_negation() -> None:
    """ "doesn't" and "won't" deny a claim as "does not" and "will not" do."""
    assert run("disallowed-claim", "Lullora does not cure chronic insomnia.") == []
    assert run("disallowed-claim", "Lullora doesn't cure chronic insomnia.") == []
    assert run("weak-evidence", "Lullora will not make dreams more vivid.") == []
    assert run("weak-evidence", "Lullora won't make dreams more vivid.") == []


def test_figures_of_one_statement_are_one_finding_spanning_their_words() -> None:
    """A study's size and length in one clause are one statistic to source: one finding, naming both."""
    text = "The pillow was tested on 240 volunteers over 6 weeks."
    found = run("unverified-statistic", text)
    assert [f.text for f in found] == ["240 volunteers over 6 weeks"]
    assert "“240 volunteers” and “over 6 weeks”" in found[0].message
    assert "these figures" in found[0].message
    assert all(f.sentence == text for f in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a list of figures of one kind: each is its own statistic
        ("The pillow helps 20% of sleepers and up to 30% of snorers.", ["20%", "up to 30%"]),
        # joined by "and": two statements
        ("The pillow was tested on 240 volunteers and lasts 6 weeks.", ["240 volunteers", "6 weeks"]),
        # in different sentences of a paragraph each is found on its own
        ("In 2017 we had 700 calls.", ["700 calls"]),
    ],
)
def test_listed_figures_stay_separate_findings(text: str, expected: list[str]) -> None:
    assert [f.text for f in run("unverified-statistic", text)] == expected


def test_a_hedged_number_without_its_noun_is_still_a_count() -> None:
    """ "we had over 1,800" (calls, said in the sentence before) is a figure someone has to source."""
    assert [f.text for f in run("unverified-statistic", "And last year, we had over 1,800.")] == ["over 1,800"]
    assert run("unverified-statistic", "And in 2021 the clinic moved to Elm Street.") == []


def test_a_bare_number_in_a_list_takes_the_unit_of_the_figure_before_it() -> None:
    text = "Nights awake dropped by 2.7 days with the pillow, 2.2 with a towel, and 1.2 for no pillow."
    found = run("unverified-statistic", text)
    assert [f.text for f in found] == ["2.7 days", "2.2", "1.2"]


def test_risky_words_of_one_category_in_one_sentence_are_one_finding() -> None:
    text = "Trials have shown that the pillow spray is clinically proven and highly effective."
    found = run("disallowed-claim", text)
    assert len(found) == 1 and "proven or established" in found[0].message


def test_risky_words_of_two_categories_are_two_findings() -> None:
    found = run("disallowed-claim", "The pillow spray is clinically proven and very safe.")
    assert sorted(f.message.split(")")[0] for f in found) == [
        "Risky wording (absolute safety",
        "Risky wording (efficacy stated as proven or established",
    ]


def test_a_vague_figure_at_odds_with_its_source_is_a_figure_mismatch() -> None:
    """No number, still a figure: "several hours" on a subject whose source gives 12 minutes (the statement reader
    reads it; the figure comparison finds no number to compare)."""
    text = "Lullora cuts the time to fall asleep by several hours."
    assert run("contradiction", text, known=KNOWN, path="elsewhere.md") == []
    (found,) = run("figure-mismatch", text, known=KNOWN, path="elsewhere.md")
    assert found.message == (
        f"time to fall asleep: this page says 3–9 h (“several hours”); the source ({OKAFOR}) says 12 min"
    )
    assert found.text == "several hours"


def test_a_figure_some_claim_happens_to_give_is_backed_only_on_that_claims_subject() -> None:
    """12 minutes is the sourced onset figure; a sentence about something else that gives 12 minutes is still an
    unverified statistic, while the onset sentence is backed."""
    worded = FakeKnowledge(CLAIMS, SOURCES, RECORDS, subject_words={"sleep-onset": ("fall asleep",)})
    elsewhere = "Wait 12 minutes after the pillow spray before lying down."
    (found,) = RULES["unverified-statistic"].run(context(elsewhere, worded))
    assert "“12 minutes”" in found.message
    assert (
        list(
            RULES["unverified-statistic"].run(
                context("Lullora shortened the time to fall asleep by 12 minutes.", worded)
            )
        )
        == []
    )


def test_a_figure_in_another_clause_is_not_the_subjects() -> None:
    """Two figures of one kind on two subjects: the one in the clause that names the subject is compared."""
    worded = FakeKnowledge(CLAIMS, SOURCES, RECORDS, subject_words={"sleep-onset": ("fall asleep",)})
    text = "A pillow lasts about 2 years, while Lullora shortened the time to fall asleep by 12 minutes."
    assert list(RULES["figure-mismatch"].run(context(text, worded))) == []
    wrong = "A pillow lasts about 2 years, while Lullora shortened the time to fall asleep by 40 minutes."
    (found,) = RULES["figure-mismatch"].run(context(wrong, worded))
    assert "“40 minutes”" in found.message
