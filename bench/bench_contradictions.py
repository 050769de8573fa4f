"""Benchmark `kb contradictions`: comparing 10,000 to 100,000 statements across 1,000 to 10,000 pages.

Not a test: run it by hand, on a quiet machine, and read the table.

    python bench/bench_contradictions.py                  # 10k, 30k, 100k statements; reading 10,000 pages
    python bench/bench_contradictions.py --quick          # 1k, 3k, 10k statements; reading 1,000 pages
    python bench/bench_contradictions.py --sizes 100000 --pages 0 --profile
    python bench/bench_contradictions.py --generate-only /tmp/pages --pages 500   # the page corpus only

Three stages, each measured in a fresh process (`--child`) so its peak RSS is its own:

1. Comparison (the target): N statements on about N/10 pages across the bundled vocabulary's detectable subjects,
   worded from realistic phrasings ("about an hour", "45 minutes to an hour", "2 to 4 hours", hedges, number words,
   stances, study cities and journals, about 1% outliers; 70% of sentences led in by the page's own clinic or town
   name or a stock phrase, so most sentences are unique), each distinct sentence read once by
   `kb.statements.sentence_statements` so the values are the engine's own, relative times resolved per page. Then
   `kb.conflicts.find_conflicts` is timed (median of 5), with the process's peak RSS and the tracemalloc peak of
   one more call. Target (the issue's): under 5 s and 500 MB at 100,000 statements; and how the time grows from
   10,000 to 100,000. One more row at the largest size has 10% outliers (more distinct values: the cost driver).
2. Reading (reported, no target): the same generator writes the pages (10 statements' worth of sentences and 4-6
   fillers each, 100 per folder) and `kb.reading.read_path` + `kb.statements.document_statements` read them in one
   process; the statements read must equal the synthesized ones. Then `kb contradictions FOLDERS --format json
   --jobs 2 --fail-on none` runs end to end on a tenth of the pages and on all of them, under a wrapper that caps
   its address space (8 GB) and reports wall time, CPU and the largest process's peak RSS.
3. Baseline: the naive comparison of every pair of statements within a subject (same `conflict_between`), timed at
   the smallest size and extrapolated by the number of pairs; it must find the same conflicting value pairs.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bench_check as bc
import bench_index as bi

PROJECT = Path(__file__).resolve().parent.parent
REAL_DATA = PROJECT / "data"
SEED = 20261122
DEFAULT_SIZES = (10_000, 30_000, 100_000)
QUICK_SIZES = (1_000, 3_000, 10_000)
DEFAULT_READ_PAGES = 10_000
QUICK_READ_PAGES = 1_000
STATEMENTS_PER_PAGE = 10
PAGES_PER_FOLDER = 100
RUNS = 5
SECONDS_TARGET = 5.0
MB_TARGET = 500.0
TARGET_SIZE = 100_000
LINEAR_SLACK = 1.25  # per-statement time at the largest size may exceed that at the smallest by 25%
OUTLIER_RATE = 0.01
STRESS_OUTLIER_RATE = 0.10
CLI_MEMORY_GB = 8.0
CLI_TIMEOUT_S = 400.0
Record = dict[str, Any]

# ---------------------------------------------------------------- phrasings

HEDGES = ("about ", "around ", "approximately ", "nearly ", "almost ", "up to ", "roughly ", "at least ", "over ")
NUMBER_WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    8: "eight",
    10: "ten",
    12: "twelve",
    15: "fifteen",
    20: "twenty",
    30: "thirty",
    40: "forty",
    45: "forty-five",
    60: "sixty",
    90: "ninety",
}
# A value: a literal phrase, (n, unit), (low, high, unit) or (low, unit, high, unit) ("45 minutes to an hour").
Spec = str | tuple[Any, ...]


@dataclass(frozen=True)
class Topic:
    """How pages word one subject: sentence templates around {v}, the values they give (repeats weigh), and the
    range outliers are drawn from."""

    subject: str
    weight: int
    templates: tuple[str, ...]
    values: tuple[Spec, ...]
    outlier: tuple[int, int, str] | None = None
    statements: int = 1  # statements a sentence is meant to give


TOPICS = (
    Topic(
        "infusion-session-length",
        16,
        (
            "Each infusion takes {v}.",
            "The infusion itself lasts {v}.",
            "Infusions typically last {v}.",
            "The ketamine infusion usually takes {v}.",
            "A single infusion runs for {v}.",
            "The infusion is expected to last {v}.",
        ),
        (
            (1, "hour"),
            (1, "hour"),
            (1, "hour"),
            (45, "minute"),
            (45, "minute"),
            (40, "minute"),
            (30, "minute"),
            (50, "minute"),
            (60, "minute"),
            (90, "minute"),
            (2, "hour"),
            (3, "hour"),
            (4, "hour"),
            (1.5, "hour"),
            (45, "minute", 1, "hour"),
            (45, "minute", 1, "hour"),
            (45, "minute", 1, "hour"),
            (40, 60, "minute"),
            (40, 45, "minute"),
            (30, 45, "minute"),
            (1, 2, "hour"),
            (2, 4, "hour"),
            (2, 4, "hour"),
            (2, 3, "hour"),
            (4, 6, "hour"),
        ),
        (5, 48, "hour"),
    ),
    Topic(
        "clinic-visit-length",
        6,
        (
            "A typical session lasts {v}.",
            "Plan for the whole visit to take {v}.",
            "The appointment takes {v} in total.",
            "Your visit will last {v} from start to finish.",
        ),
        (
            (2, "hour"),
            (2, "hour"),
            (90, "minute"),
            (3, "hour"),
            (1.5, "hour"),
            (2.5, "hour"),
            (2, 3, "hour"),
            (2, 3, "hour"),
            (1, 2, "hour"),
            (90, "minute", 2, "hour"),
            (3, 4, "hour"),
        ),
        (5, 10, "hour"),
    ),
    Topic(
        "recovery-time",
        8,
        (
            "Most patients return to feeling normal {v}.",
            "The dissociation typically resolves {v}.",
            "The effects of the drug usually wear off {v}.",
        ),
        (
            "within a few hours",
            "within a few hours",
            "within an hour",
            "within minutes",
            "within a couple of hours",
            ("after ", 30, "minute"),
            ("after ", 15, 30, "minute"),
            ("within ", 30, "minute"),
            ("within ", 15, 30, "minute"),
            ("within ", 10, 30, "minute"),
            ("within ", 1, 2, "hour"),
            ("in ", 20, "minute"),
            ("in ", 30, 60, "minute"),
            ("within ", 2, "hour"),
        ),
        (3, 24, "hour"),
    ),
    Topic(
        "relief-onset",
        10,
        (
            "Many patients feel relief {v}.",
            "Relief is often felt {v}.",
            "Patients typically start to feel better {v}.",
        ),
        (
            "within minutes",
            "within minutes",
            "within hours",
            "within a few days",
            "within 24 hours",
            "within 48 hours",
            "within 1 to 2 days",
            "as soon as the infusion is finished",
            "as soon as the infusion is finished",
            "by the end of the infusion",
            "immediately",
            ("within ", 1, "hour"),
            ("within ", 2, "hour"),
            ("within ", 4, "hour"),
            ("after ", 2, "infusion"),
            ("after ", 3, "infusion"),
            ("after ", 4, "infusion"),
            ("after ", 6, "infusion"),
        ),
        (3, 21, "day"),
    ),
    Topic(
        "relief-duration",
        10,
        (
            "The relief can last {v}.",
            "The beneficial effects can last {v}.",
            "For most patients the benefit lasts {v}.",
        ),
        (
            (30, 100, "day"),
            (30, 100, "day"),
            (3, "month"),
            (3, "month"),
            (6, "week"),
            (2, "week"),
            (4, "week"),
            (8, "week"),
            (1, "month"),
            (2, "month"),
            (6, "month"),
            (1, 3, "month"),
            (3, 6, "week"),
            (2, 4, "week"),
            "for several weeks or even months",
            "for several weeks or even months",
            "for several months",
            "for a few weeks",
        ),
        (1, 18, "month"),
    ),
    Topic(
        "jefferson-61-responder-share",
        8,
        (
            "In the study of 61 patients, {v} improved.",
            "A Jefferson study of 61 patients found that {v} responded.",
        ),
        (
            "almost 75 percent",
            "almost 75 percent",
            "almost 75 percent",
            "77%",
            "77 percent",
            "three out of four patients",
            "three out of four patients",
            "3 out of 4 patients",
            "48 of 61 patients",
            "nearly 80 percent",
            "about 75%",
            "more than 70 percent",
            "roughly three quarters",
        ),
        (20, 95, "percent"),
    ),
    Topic(
        "jefferson-61-study-city",
        3,
        (
            "A study out of {v} found almost 75 percent improved.",
            "A study out of {v} found that three out of four patients improved.",
        ),
        ("Philadelphia", "Philadelphia", "Philadelphia", "Philadelphia", "Boston"),
        statements=2,
    ),
    Topic(
        "jefferson-61-study-city",
        2,
        (
            "In {v}, scientists at Thomas Jefferson University Hospital conducted a study with 61 patients.",
            "The study of 61 patients was done in {v}.",
        ),
        ("Philadelphia", "Philadelphia", "Philadelphia", "Philadelphia", "Philadelphia", "Boston"),
    ),
    Topic(
        "jefferson-61-study-journal",
        3,
        ("The study of 61 patients was published in {v}.", "Results of the 61-patient study appeared in {v}."),
        (
            "Regional Anesthesia and Pain Medicine",
            "Regional Anesthesia and Pain Medicine",
            "Regional Anesthesia and Pain Medicine",
            "Regional Anesthesia and Pain Medicine",
            "The Journal of Headache and Pain",
            "Headache: The Journal of Head and Face Pain",
        ),
    ),
    Topic(
        "niesters-review-journal",
        2,
        ("A review by Niesters in the {v} found potent analgesia.",),
        (
            "British Journal of Clinical Pharmacology",
            "British Journal of Clinical Pharmacology",
            "British Journal of Pharmacology",
        ),
    ),
    Topic(
        "addiction-potential",
        12,
        ("{v}",),
        (
            "Ketamine is not addictive.",
            "Ketamine is not an addictive drug.",
            "Ketamine has a low potential for abuse.",
            "At these doses ketamine has a low risk of addiction.",
            "Ketamine is non-addictive when given in a clinic.",
            "Ketamine is not habit-forming.",
            "Ketamine is often abused as a street drug.",
            "Ketamine is a controlled substance.",
            "Ketamine can be habit-forming.",
            "Ketamine is sometimes used as a party drug.",
        ),
    ),
    Topic(
        "cure-or-not",
        10,
        ("{v}",),
        (
            "Ketamine is not a cure for migraines.",
            "Ketamine is not a cure for migraines.",
            "Ketamine treatment is no cure for migraine.",
            "It is important to note that ketamine therapy is not a cure.",
            "Ketamine infusions will not cure migraine.",
            "Ketamine infusions can cure your migraines.",
            "Ketamine infusions can fix your migraine.",
            "Ketamine treatment offers permanent relief from migraine.",
        ),
    ),
    Topic(
        "dose-vs-depression",
        10,
        ("{v}",),
        (
            "Ketamine therapy uses a low dose of ketamine.",
            "The doses are given low and slow.",
            "Our protocol uses a subanesthetic dose of ketamine.",
            "Patients receive small doses of ketamine.",
            "Doses for migraines tend to be higher than for mood disorders.",
        ),
    ),
    Topic(
        "evidence-settledness",
        6,
        ("{v}",),
        (
            "There is limited evidence for ketamine in migraine.",
            "Studies of ketamine for migraine are still relatively rare.",
            "More research is needed on ketamine for migraine.",
            "There is little evidence that ketamine helps every migraine patient.",
            "There is substantial evidence for ketamine in chronic pain.",
            "Ketamine is clinically proven to work for migraine.",
            "There is strong evidence supporting the use of ketamine for migraine.",
        ),
    ),
)
FILLERS = (
    "{name} is located in a quiet neighborhood of {town}.",
    "Call {name} today to schedule a consultation.",
    "{name} serves patients from {town} and the surrounding area.",
    "The team at {name} will answer all your questions.",
    "Our clinic is located in a quiet neighborhood.",
    "Call us today to schedule a consultation.",
    "Our staff will answer all your questions.",
    "We accept most major credit cards.",
    "Parking is available behind the building.",
    "Comfortable recliners and warm blankets are provided.",
    "Bring a friend or family member to drive you home.",
    "Every patient receives a personal care plan.",
    "Wear loose and comfortable clothing.",
    "Our nurses are trained in advanced life support.",
    "We work closely with your primary care physician.",
    "Read what our patients say about their experience.",
    "Migraine can make daily life hard.",
    "Many people have tried several medications without success.",
    "Ask your doctor whether this option is right for you.",
    "Our team has years of experience with migraine care.",
)
TITLES = (
    "Ketamine Infusion Therapy for Migraine",
    "Frequently Asked Questions",
    "What to Expect During Treatment",
    "Ketamine for Chronic Migraine",
    "Our Approach to Migraine Care",
    "New Patient Information",
)


def number(rng: random.Random, n: float) -> str:
    if float(n).is_integer() and int(n) in NUMBER_WORDS and rng.random() < 0.2:
        return NUMBER_WORDS[int(n)]
    return f"{n:g}"


def amount(rng: random.Random, n: float, unit: str) -> str:
    if n == 1 and unit == "hour":
        return rng.choice(("an hour", "an hour", "one hour", "1 hour"))
    return f"{number(rng, n)} {unit}{'' if n == 1 else 's'}"


def render(rng: random.Random, spec: Spec) -> str:
    """The words for one value: hedged about a third of the time when single, ranges in three forms."""
    if isinstance(spec, str):
        return spec
    lead = ""
    if isinstance(spec[0], str):
        lead, spec = spec[0], spec[1:]
    if len(spec) == 2:  # (n, unit)
        hedge = rng.choice(HEDGES) if rng.random() < 0.35 and lead == "" else ""
        return f"{lead}{hedge}{amount(rng, spec[0], spec[1])}"
    if len(spec) == 4:  # (low, unit, high, unit)
        low = amount(rng, spec[0], spec[1])
        form = rng.random()
        if form < 0.6:
            return f"{lead}{low} to {amount(rng, spec[2], spec[3])}"
        if form < 0.8:
            return f"{lead}between {low} and {amount(rng, spec[2], spec[3])}"
        return f"{lead}about {low} to {amount(rng, spec[2], spec[3])}"
    low, high, unit = spec
    form = rng.random()
    if form < 0.5:
        return f"{lead}{number(rng, low)} to {amount(rng, high, unit)}"
    if form < 0.7:
        return f"{lead}between {number(rng, low)} and {amount(rng, high, unit)}"
    if form < 0.85:
        return f"{lead}{low:g}-{high:g} {unit}s"
    return f"{lead}about {low:g} to {amount(rng, high, unit)}"


def outlier(rng: random.Random, topic: Topic) -> str:
    assert topic.outlier is not None
    low, high, unit = topic.outlier
    n = rng.randint(low, high)
    hedge = rng.choice(HEDGES) if rng.random() < 0.35 else ""
    if unit == "percent":
        return f"{hedge}{n}{rng.choice(('%', ' percent'))}"
    text = hedge + amount(rng, n, unit)
    return f"within {text}" if topic.subject in ("recovery-time", "relief-onset") else text


TOPIC_WEIGHTS = [t.weight for t in TOPICS]


# Lead-ins, some naming the page's clinic or town: sites word the same value each their own way, so most sentences
# are unique across pages (as kb's per-process sentence memo would otherwise see an unrealistic hit rate).
LEADS = (
    "At {name}, ",
    "Here at {name}, ",
    "Patients in {town} often ask us this, and ",
    "At our {town} office, ",
    "The doctors at {name} explain that ",
    "In our experience, ",
    "Our patients find that ",
    "Good news: ",
    "According to our team, ",
    "In short, ",
    "For most people, ",
    "As a rule, ",
)
LEAD_RATE = 0.7
SYLLABLES = ("val", "or", "en", "mar", "quin", "tes", "sol", "bra", "dey", "lon", "ver", "ash", "mel", "cor", "tri")
SUFFIXES = ("Wellness", "Health", "Medical Group", "Clinic", "Ketamine Center", "Integrative Care")
TOWN_ENDS = ("ville", "ton", " Falls", " Springs", "field", "bury")


def invented(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def statement_sentence(
    rng: random.Random, outlier_rate: float = OUTLIER_RATE, name: str = "Our clinic", town: str = "town"
) -> tuple[str, int]:
    """One sentence meant to state a value, and how many statements it is meant to give."""
    topic = rng.choices(TOPICS, TOPIC_WEIGHTS)[0]
    if topic.outlier is not None and rng.random() < outlier_rate:
        value = outlier(rng, topic)
    else:
        value = render(rng, rng.choice(topic.values))
    text = rng.choice(topic.templates).format(v=value)
    if rng.random() < LEAD_RATE:
        lead = rng.choice(LEADS).format(name=name, town=town)
        text = lead + text[0].lower() + text[1:]
    return text[0].upper() + text[1:], topic.statements


@dataclass
class Page:
    ident: str
    folder: str
    title: str
    paragraphs: list[list[tuple[str, bool]]]  # sentences, and whether each is meant to state a value

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.ident}.txt"

    def layout(self) -> tuple[str, list[tuple[str, int, int, int]]]:
        """The page's text, and for each statement sentence: the sentence, its line, start column, start offset."""
        lines, placed, offset = [self.title, ""], [], len(self.title) + 2
        for paragraph in self.paragraphs:
            column = 0
            for sentence, stating in paragraph:
                if column:
                    column += 1
                if stating:
                    placed.append((sentence, len(lines) + 1, column + 1, offset + column))
                column += len(sentence)
            lines += [" ".join(s for s, _ in paragraph), ""]
            offset += column + 2
        return "\n".join(lines), placed


def make_page(index: int, outlier_rate: float = OUTLIER_RATE) -> Page:
    """Page `index`: 10 statements' worth of sentences and 4-6 fillers, in paragraphs of 2-5 sentences. Each page
    has its own seeded generator, so the pages of a smaller run are the first pages of a larger one."""
    rng = random.Random(SEED * 1_000_003 + index)
    name, town = f"{invented(rng)} {rng.choice(SUFFIXES)}", invented(rng) + rng.choice(TOWN_ENDS)
    stating: list[tuple[str, bool]] = []
    meant = 0
    while meant < STATEMENTS_PER_PAGE:
        text, count = statement_sentence(rng, outlier_rate, name, town)
        if meant + count <= STATEMENTS_PER_PAGE:
            stating.append((text, True))
            meant += count
    fillers = [rng.choice(FILLERS).format(name=name, town=town) for _ in range(rng.randint(4, 6))]
    sentences = stating + [(filler, False) for filler in fillers]
    rng.shuffle(sentences)
    paragraphs = []
    while sentences:
        size = rng.randint(2, 5)
        paragraphs.append(sentences[:size])
        sentences = sentences[size:]
    return Page(f"page-{index:05d}", f"section-{index // PAGES_PER_FOLDER:02d}", rng.choice(TITLES), paragraphs)


def write_pages(folder: Path, count: int) -> tuple[int, int]:
    """Write pages 0..count-1 under `folder`; (files, bytes)."""
    total = 0
    for index in range(count):
        page = make_page(index)
        target = folder / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        text = page.layout()[0] + "\n"
        target.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return count, total


# ---------------------------------------------------------------- child processes (kb imported only here)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_vocabulary() -> Any:
    from kb import config, index, subjects

    return subjects.load_vocabulary(index.ready(config.resolve(None, None)))


def synthesize(
    vocabulary: Any, size: int | None = None, page_count: int | None = None, outlier_rate: float = OUTLIER_RATE
) -> tuple[list[Any], Record]:
    """`size` statements from pages 0, 1, ... in order (the last page cut short), or every statement of the first
    `page_count` pages; each distinct sentence read once by the engine, relative times resolved per page as
    `document_statements` does."""
    from kb.statements import Statement, resolve_relatives, sentence_statements

    cache: dict[str, list[tuple[str, Any]]] = {}
    made: list[Any] = []
    pages = meant = misread = 0
    while len(made) < (size or math.inf) and pages < (page_count or math.inf):
        page = make_page(pages, outlier_rate)
        pages += 1
        text, placed = page.layout()
        own = []
        for sentence, line, column, start in placed:
            found = cache.get(sentence)
            if found is None:
                found = cache[sentence] = sentence_statements(sentence, vocabulary)[0]
            misread += not found
            meant += 1
            quote = text[start : start + len(sentence)]  # a string of its own, as reading a page makes
            for subject, value in found:
                own.append(
                    Statement(subject, page.ident, page.path, line, column, line, column + len(quote), quote, value)
                )
        made += resolve_relatives(own, vocabulary)[: (size or len(made) + len(own)) - len(made)]
    facts = {"pages": pages, "sentences": meant, "distinct_sentences": len(cache), "misread": misread}
    return made, facts


def naive_conflicts(statements: Sequence[Any]) -> tuple[float, int, int, set[tuple[Any, Any]]]:
    """Every pair of statements within a subject, on different pages: seconds, pairs, conflicting pairs, and the
    conflicting pairs of value keys (to check the grouped comparison finds the same)."""
    from kb.conflicts import conflict_between, value_key

    groups: dict[str, list[Any]] = {}
    for statement in statements:
        groups.setdefault(statement.subject, []).append(statement)
    keyed = {subject: [value_key(s.value) for s in found] for subject, found in groups.items()}
    pairs = hits = 0
    found_keys: set[tuple[Any, Any]] = set()
    start = time.perf_counter()
    for subject, group in groups.items():
        keys = keyed[subject]
        for i, a in enumerate(group):
            for j in range(i + 1, len(group)):
                b = group[j]
                if a.page != b.page and conflict_between(a.value, b.value) is not None:
                    hits += 1
                    found_keys.add((subject, *sorted((keys[i], keys[j]), key=repr)))
        pairs += len(group) * (len(group) - 1) // 2
    return time.perf_counter() - start, pairs, hits, found_keys


def grouped_keys(reports: Sequence[Any]) -> set[tuple[Any, Any]]:
    from kb.conflicts import ConflictKind, value_key

    return {
        (c.subject, *sorted((value_key(c.pages.value), value_key(c.other.value)), key=repr))
        for r in reports
        for c in r.conflicts
        if c.kind is ConflictKind.PAGE_VS_PAGE and c.other is not None
    }


def shape(statements: Sequence[Any], reports: Sequence[Any]) -> Record:
    """Subjects, distinct values (the classes compared), value pairs, and conflicts by kind."""
    from kb.conflicts import ConflictKind, value_key

    classes: dict[str, set[Any]] = {}
    for statement in statements:
        classes.setdefault(statement.subject, set()).add(value_key(statement.value))
    conflicts = [c for r in reports for c in r.conflicts]
    return {
        "subjects": len(classes),
        "distinct": sum(len(v) for v in classes.values()),
        "largest_subject": max(((len(v), s) for s, v in classes.items()), default=(0, "")),
        "value_pairs": sum(len(v) * (len(v) - 1) // 2 for v in classes.values()),
        "statement_pairs": sum(
            n * (n - 1) // 2 for n in _counts(statements).values()
        ),  # what the naive comparison would make
        "vs_source": sum(c.kind is ConflictKind.PAGE_VS_SOURCE for c in conflicts),
        "vs_page": sum(c.kind is ConflictKind.PAGE_VS_PAGE for c in conflicts),
    }


def _counts(statements: Sequence[Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for statement in statements:
        counts[statement.subject] = counts.get(statement.subject, 0) + 1
    return counts


def profile_text(profiler: cProfile.Profile, title: str, top: int = 18) -> str:
    out = [f"==== {title}"]
    for sort, count in (("cumulative", top), ("tottime", 12)):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(sort).print_stats(count)
        out.append(f"---- top {count} by {sort}")
        out += [line for line in stream.getvalue().splitlines() if line.strip()][2:]
    return "\n".join(out)


def child_compare(size: int, naive: bool, profile: bool, outlier_rate: float) -> Record:
    from kb.conflicts import find_conflicts

    start = time.perf_counter()
    vocabulary = load_vocabulary()
    result: Record = {"size": size, "vocabulary_s": time.perf_counter() - start, "base_mb": rss_mb()}
    result["outlier_rate"] = outlier_rate
    start = time.perf_counter()
    statements, facts = synthesize(vocabulary, size, outlier_rate=outlier_rate)
    result |= facts | {"synth_s": time.perf_counter() - start, "statements": len(statements)}
    result["detectable"] = sum(s.detectable for s in vocabulary.subjects)
    times = []
    reports: list[Any] = []
    for _ in range(RUNS):
        reports = []  # the previous run's reports are freed before the next run, as in one command
        start = time.perf_counter()
        reports = find_conflicts(statements, vocabulary)
        times.append(time.perf_counter() - start)
    result |= {"times": times, "rss_mb": rss_mb()} | shape(statements, reports)
    grouped = grouped_keys(reports)
    del reports
    tracemalloc.start()
    find_conflicts(statements, vocabulary)
    result["traced_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    if naive:
        seconds, pairs, hits, keys = naive_conflicts(statements)
        result["naive"] = {"seconds": seconds, "pairs": pairs, "hits": hits, "agree": keys == grouped}
        if keys != grouped:
            result["naive"]["differ"] = [repr(k) for k in list(keys ^ grouped)[:5]]
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(find_conflicts, statements, vocabulary)
        result["profile"] = profile_text(profiler, f"cProfile of find_conflicts on {len(statements):,} statements")
    return result


def statement_keys(statements: Sequence[Any]) -> list[tuple[Any, ...]]:
    from kb.conflicts import value_key

    return sorted((s.page, s.line, s.subject, value_key(s.value)) for s in statements)


def child_read(folder: Path, profile: bool, memory_gb: float) -> Record:
    from kb.conflicts import find_conflicts
    from kb.formats.contradictions import render_json
    from kb.reading import read_path
    from kb.statements import document_statements

    vocabulary = load_vocabulary()
    files = sorted(folder.rglob("*.txt"))
    statements: list[Any] = []
    reading = stating = 0.0
    profiler = cProfile.Profile() if profile else None
    for number, path in enumerate(files):
        display = path.relative_to(folder).as_posix()
        if profiler is not None and number == 0:
            profiler.enable()
        start = time.perf_counter()
        doc = read_path(path, display)
        middle = time.perf_counter()
        statements += document_statements(doc, vocabulary, path.stem)
        reading, stating = reading + middle - start, stating + time.perf_counter() - middle
        if profiler is not None and number == 999:
            profiler.disable()
    start = time.perf_counter()
    reports = find_conflicts(statements, vocabulary)
    compare = time.perf_counter() - start
    result = {
        "pages": len(files),
        "statements": len(statements),
        "read_s": reading,
        "statements_s": stating,
        "compare_s": compare,
        "rss_mb": rss_mb(),
    } | shape(statements, reports)
    # The JSON report in-process (what the command adds after reading and comparing), under the same address-space
    # cap as the command end to end: an output that grows faster than the statements fails here, not the machine.
    limit = int(memory_gb * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        start = time.perf_counter()
        rendered = render_json(reports, len(statements), len(files), ())
        seconds = time.perf_counter() - start
        result["render"] = {"seconds": seconds, "mb": len(rendered.encode()) / 2**20, "rss_mb": rss_mb()}
        del rendered
    except MemoryError:
        result["render"] = {"failed": f"MemoryError at the {memory_gb:g} GB address-space cap", "rss_mb": rss_mb()}
    synthesized, _ = synthesize(vocabulary, page_count=len(files))
    ours, theirs = statement_keys(statements), statement_keys(synthesized)
    result["synthesized"] = len(synthesized)
    result["same_statements"] = ours == theirs
    if ours != theirs:
        result["differ"] = [repr(k) for k in sorted(set(ours) ^ set(theirs))[:5]]
    if profiler is not None:
        result["profile"] = profile_text(profiler, f"cProfile of reading the first {min(1000, len(files)):,} pages")
    return result


# ---------------------------------------------------------------- the parent

WRAPPER = """\
import json, os, resource, signal, subprocess, sys, time
command, out, limit, timeout = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
with open(out, "wb") as handle:
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=handle, stderr=subprocess.PIPE, preexec_fn=cap, start_new_session=True)
    try:
        err = proc.communicate(timeout=timeout)[1]
        rc = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        err, rc = proc.communicate()[1], "timeout"
    wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "maxrss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime,
                  "rc": rc, "stderr": err.decode("utf-8", "replace")[-3000:]}))
"""


@dataclass
class Setup:
    root: Path
    data: Path
    db: Path
    index_s: float

    def env(self) -> dict[str, str]:
        return bi.clean_env() | {"KB_DATA": str(self.data), "KB_DATABASE_URL": f"sqlite:///{self.db}"}


def run_child(setup: Setup, *arguments: str) -> Record:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *arguments]
    done = subprocess.run(command, cwd=setup.root, env=setup.env(), stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} exited {done.returncode}")
    result: Record = json.loads(done.stdout)
    return result


def prepare(root: Path, kb_cmd: str) -> Setup:
    """A snapshot of the bundled data (others may be editing data/) and its index, both in the work folder."""
    data = root / "data"
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(REAL_DATA, data)
    db = root / "index.sqlite"
    seconds = bi.run([kb_cmd, "index", "--data", str(data), "--db", str(db)], root)[0]
    return Setup(root, data, db, seconds)


def cli_help(kb_cmd: str, setup: Setup) -> str | None:
    """The help text of `kb contradictions`, or None while the command does not exist."""
    done = subprocess.run(
        [kb_cmd, "contradictions", "--help"], env=setup.env(), capture_output=True, text=True, check=False
    )
    return done.stdout if done.returncode == 0 else None


def run_cli(kb_cmd: str, help_text: str, folder: Path, pages: int, setup: Setup, memory_gb: float) -> Record:
    """`kb contradictions FOLDERS --format json [--jobs 2] [--fail-on none]` on the first `pages` pages, under a
    wrapper that caps its address space and time and reports wall time, CPU of the process tree and the largest
    single process's RSS."""
    sections = sorted(p for p in folder.iterdir() if p.is_dir())[: math.ceil(pages / PAGES_PER_FOLDER)]
    command = [kb_cmd, "contradictions", *map(str, sections), "--format", "json"]
    if "--jobs" in help_text:
        command += ["--jobs", "2"]
    if "--fail-on" in help_text:
        command += ["--fail-on", "none"]
    if "--data" in help_text and "--db" in help_text:
        command += ["--data", str(setup.data), "--db", str(setup.db)]
    out = setup.root / "contradictions.json"
    limit = int(memory_gb * 2**30)
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, json.dumps(command), str(out), str(limit), str(CLI_TIMEOUT_S)],
        cwd=setup.root,
        env=setup.env(),
        capture_output=True,
        text=True,
        check=True,
    )
    result: Record = json.loads(done.stdout)
    shown = [*command[1:2], f"<{len(sections)} folders>", *command[2 + len(sections) :]]
    result |= {"pages": pages, "command": " ".join(["kb", *shown]).replace(str(setup.root), "WORK")}
    result["out_mb"] = out.stat().st_size / 2**20 if out.exists() else 0.0
    try:
        summary = json.loads(out.read_text(encoding="utf-8")).get("summary", {})
    except (OSError, ValueError, AttributeError):
        summary = {}
    result["summary"] = summary
    out.unlink(missing_ok=True)
    return result


def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def compare_rows(results: Sequence[Record]) -> list[str]:
    header = (
        f"{'statements':>10} {'pages':>6} {'outl':>4} {'subj':>4} {'values':>6} {'val pairs':>9} {'conflicts':>9} "
        f"{'src/page':>11} {'median s':>8} {'min-max s':>11} {'us/stmt':>7} {'peak MB':>7} {'traced MB':>9}  target"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        seconds = median(r["times"])
        spread = f"{min(r['times']):.3f}-{max(r['times']):.3f}"
        target = ""
        if r["statements"] == TARGET_SIZE:
            ok = seconds < SECONDS_TARGET and r["rss_mb"] < MB_TARGET
            target = f"<{SECONDS_TARGET:g} s, <{MB_TARGET:g} MB {mark(ok)}"
        lines.append(
            f"{r['statements']:>10,} {r['pages']:>6,} {r['outlier_rate']:>4.0%} {r['subjects']:>4} {r['distinct']:>6,} "
            f"{r['value_pairs']:>9,} {r['vs_source'] + r['vs_page']:>9,} {r['vs_source']:>5,}/{r['vs_page']:<5,} "
            f"{seconds:>8.3f} {spread:>11} "
            f"{1e6 * seconds / r['statements']:>7.2f} {r['rss_mb']:>7.0f} {r['traced_mb']:>9.1f}  {target}"
        )
    return lines


def growth_rows(results: Sequence[Record]) -> list[str]:
    if len(results) < 2:
        return []
    small, large = results[0], results[-1]
    ratio_n = large["statements"] / small["statements"]
    ratio_t = median(large["times"]) / median(small["times"])
    per = [1e6 * median(r["times"]) / r["statements"] for r in (small, large)]
    return [
        f"growth {small['statements']:,} -> {large['statements']:,} statements (x{ratio_n:g}): time x{ratio_t:.2f} "
        f"(linear x{ratio_n:g}, all pairs x{ratio_n**2:g}); per statement {per[0]:.2f} -> {per[1]:.2f} us "
        f"(x{per[1] / per[0]:.2f}; near linear if <= x{LINEAR_SLACK:g}) {mark(per[1] / per[0] <= LINEAR_SLACK)}",
        f"  distinct values x{large['distinct'] / small['distinct']:.2f}, value pairs compared "
        f"x{large['value_pairs'] / max(small['value_pairs'], 1):.2f}, statement pairs (all pairs) "
        f"x{large['statement_pairs'] / small['statement_pairs']:.1f}; most values at {large['statements']:,}: "
        f"{large['largest_subject'][1]}, {large['largest_subject'][0]:,}",
    ]


def naive_rows(results: Sequence[Record]) -> list[str]:
    measured = next((r for r in results if "naive" in r), None)
    if measured is None:
        return []
    naive = measured["naive"]
    per_pair = naive["seconds"] / naive["pairs"]
    grouped = median(measured["times"])
    agree = "the same" if naive["agree"] else f"DIFFERENT (e.g. {naive.get('differ')})"
    lines = [
        "baseline, all pairs of statements within a subject (conflict_between on each pair on different pages), "
        f"measured at {measured['statements']:,} statements:",
        f"  {naive['pairs']:,} pairs in {naive['seconds']:.2f} s ({1e9 * per_pair:.0f} ns/pair), {naive['hits']:,} "
        f"conflicting statement pairs, {agree} conflicting value pairs as find_conflicts; grouping by value is "
        f"x{naive['seconds'] / grouped:,.0f} faster",
    ]
    for r in results:
        if r is not measured and r["outlier_rate"] == measured["outlier_rate"]:
            estimate = per_pair * r["statement_pairs"]
            lines.append(
                f"  {r['statements']:,} statements: {r['statement_pairs']:,} pairs, ~{estimate:,.0f} s extrapolated "
                f"(grouped: {median(r['times']):.3f} s, x{estimate / median(r['times']):,.0f} faster)"
            )
    return lines


def read_rows(read: Record) -> list[str]:
    total = read["read_s"] + read["statements_s"]
    conflicts = read["vs_source"] + read["vs_page"]
    lines = [
        f"reading {read['pages']:,} pages ({read['mb']:.1f} MB) in one process: {read['statements']:,} statements in "
        f"{total:.1f} s ({read['pages'] / total:,.0f} pages/s; read_path {read['read_s']:.1f} s, document_statements "
        f"{read['statements_s']:.1f} s), then find_conflicts {read['compare_s']:.3f} s: {conflicts:,} conflicts on "
        f"{read['distinct']:,} values; peak {read['rss_mb']:.0f} MB",
        f"  the same pages synthesized as in the comparison stage: {read['synthesized']:,} statements, "
        + (
            "identical (page, line, subject, value) to reading"
            if read["same_statements"]
            else f"DIFFERENT from reading, e.g. {read.get('differ')}"
        ),
    ]
    render = read.get("render") or {}
    if "failed" in render:
        lines.append(f"  render_json in-process: {render['failed']} (process peak {render['rss_mb']:,.0f} MB)")
    elif render:
        lines.append(
            f"  render_json in-process: {render['seconds']:.2f} s, {render['mb']:.1f} MB of JSON; process peak then "
            f"{render['rss_mb']:,.0f} MB"
        )
    return lines


def cli_rows(runs: Sequence[Record], note: str, memory_gb: float) -> list[str]:
    if not runs:
        return [note] if note else []
    lines = [f"kb contradictions end to end (address space capped at {memory_gb:g} GB, {CLI_TIMEOUT_S:.0f} s):"]
    for r in runs:
        summary = r["summary"]
        said = (
            f", {summary.get('statements', 0):,} statements, {summary.get('conflicts', 0):,} conflicts"
            if summary
            else ""
        )
        failed = ""
        if r["rc"] != 0 or not summary:  # --fail-on none: any exit but 0 is a failure
            last = [line for line in r["stderr"].splitlines() if line.strip()][-1:] or [""]
            failed = f" FAILED ({r['rc']}: {last[0][:120]})"
        lines.append(
            f"  {r['pages']:>6,} pages: {r['command']}: exit {r['rc']}, wall {r['wall']:.1f} s, cpu {r['cpu']:.1f} s, "
            f"peak {r['maxrss_kb'] / 1024:,.0f} MB (largest process), output {r['out_mb']:.1f} MB{said}{failed}"
        )
    return lines


def report(
    setup: Setup, results: Sequence[Record], read: Record | None, cli: Sequence[Record], note: str, memory_gb: float
) -> str:
    sources = list(dict.fromkeys([*(r["kb_source"] for r in [*results, *([read] if read else [])]), bc.kb_source()]))
    lines = [
        bi.machine(),
        f"kb source measured: {sources[0]}; data: a snapshot of data/, indexed in {setup.index_s:.1f} s "
        "(not in the figures)",
    ]
    if len(sources) > 1:
        lines.append(
            f"WARNING: kb/ changed during the run ({len(sources)} versions); rows are not comparable: {sources}"
        )
    main_rows = [r for r in results if r["outlier_rate"] == OUTLIER_RATE]
    if results:
        big = (main_rows or results)[-1]
        lines += [
            f"statements: {STATEMENTS_PER_PAGE} per page on {big['detectable']} detectable subjects, read by the "
            f"engine from {big['distinct_sentences']:,} distinct sentences ({big['misread']:,} of {big['sentences']:,} "
            f"sentences meant to state a value gave none); outl = share of outlier values; synthesis "
            f"{big['synth_s']:.1f} s at {big['statements']:,} (not in the figures)",
            f"find_conflicts: median of {RUNS} runs in one process; peak MB = that process's ru_maxrss (interpreter, "
            f"vocabulary, statements, runs; {results[0]['base_mb']:.0f} MB before the statements); traced MB = "
            "tracemalloc peak of one more call",
            "",
        ]
        lines += compare_rows(results)
        lines += ["", *growth_rows(main_rows), *naive_rows(results), ""]
    if read is not None:
        lines += read_rows(read)
    lines += cli_rows(cli, note, memory_gb)
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", type=bc.numbers, help="statements (default 10000,30000,100000)")
    parser.add_argument("--pages", type=int, help="pages to write and read in stage 2, 0 to skip (default 10000)")
    parser.add_argument("--quick", action="store_true", help="1,000, 3,000, 10,000 statements; 1,000 pages")
    parser.add_argument("--no-naive", action="store_true", help="skip the all-pairs baseline")
    parser.add_argument("--no-stress", action="store_true", help=f"skip the {STRESS_OUTLIER_RATE:.0%}%-outlier row")
    parser.add_argument(
        "--cli-pages",
        type=bc.numbers,
        help="page counts for kb contradictions end to end (default: --pages/10 and --pages; 0 to skip)",
    )
    parser.add_argument("--cli-memory-gb", type=float, default=CLI_MEMORY_GB, help="address-space cap (default 8)")
    parser.add_argument("--profile", action="store_true", help="cProfile find_conflicts (largest) and reading")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--generate-only", metavar="DIR", help="write the --pages corpus to DIR and exit")
    parser.add_argument("--child", choices=("compare", "read"), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--naive", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--outlier-rate", type=float, default=OUTLIER_RATE, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.sizes = sorted(args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES))
    if args.pages is None:
        args.pages = QUICK_READ_PAGES if args.quick else DEFAULT_READ_PAGES
    if args.cli_pages is None:
        args.cli_pages = sorted({args.pages // 10, args.pages} - {0})
    args.cli_pages = [n for n in args.cli_pages if 0 < n <= args.pages]
    return args


def child(args: argparse.Namespace) -> None:
    source = bc.kb_source()  # before kb is imported: others may be editing kb/ while this runs
    if args.child == "compare":
        result = child_compare(args.size, args.naive, args.profile, args.outlier_rate)
    else:
        result = child_read(Path(args.folder), args.profile, args.cli_memory_gb)
    result["kb_source"] = source
    print(json.dumps(result, default=str))


def compare_all(args: argparse.Namespace, setup: Setup) -> list[Record]:
    plan = [(size, OUTLIER_RATE) for size in args.sizes]
    if not args.no_stress:
        plan.append((args.sizes[-1], STRESS_OUTLIER_RATE))
    results = []
    for size, rate in plan:
        naive = not args.no_naive and size == args.sizes[0]
        profile = args.profile and size == args.sizes[-1] and rate == OUTLIER_RATE
        bi.log(
            f"comparison: {size:,} statements, {rate:.0%} outliers{' (and the all-pairs baseline)' if naive else ''}"
        )
        flags = [*(["--naive"] if naive else []), *(["--profile"] if profile else [])]
        results.append(run_child(setup, "compare", "--size", str(size), "--outlier-rate", str(rate), *flags))
        bi.log(f"  {median(results[-1]['times']):.3f} s, peak {results[-1]['rss_mb']:.0f} MB")
    return results


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        child(args)
        return
    if args.generate_only:
        files, size = write_pages(Path(args.generate_only), args.pages)
        print(f"{files:,} pages, {size / 2**20:.1f} MB in {args.generate_only}")
        return
    kb_cmd = bi.kb_command()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kb-contradictions-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    bi.BYTECODE["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
    try:
        bi.log(f"snapshot of data/ and its index in {root}")
        setup = prepare(root, kb_cmd)
        results = compare_all(args, setup)
        read, cli, note = None, [], ""
        if args.pages:
            folder = root / "corpus"
            shutil.rmtree(folder, ignore_errors=True)
            bi.log(f"writing {args.pages:,} pages in {folder}")
            size = write_pages(folder, args.pages)[1]
            bi.log("reading them in one process")
            flags = ["--cli-memory-gb", str(args.cli_memory_gb), *(["--profile"] if args.profile else [])]
            read = run_child(setup, "read", "--folder", str(folder), *flags)
            read["mb"] = size / 2**20
            help_text = cli_help(kb_cmd, setup) if args.cli_pages else None
            if not args.cli_pages:
                note = "kb contradictions end to end: skipped (--cli-pages 0)"
            elif help_text is None:
                note = "kb contradictions end to end: not measured (no `kb contradictions` command yet)"
            else:
                for pages in args.cli_pages:
                    bi.log(f"kb contradictions end to end on {pages:,} pages")
                    cli.append(run_cli(kb_cmd, help_text, folder, pages, setup, args.cli_memory_gb))
                    bi.log(
                        f"  {cli[-1]['wall']:.1f} s, exit {cli[-1]['rc']}, peak {cli[-1]['maxrss_kb'] / 1024:.0f} MB"
                    )
        print(report(setup, results, read, cli, note, args.cli_memory_gb), flush=True)
        for r in [*results, *([read] if read else [])]:
            if "profile" in r:
                print(r["profile"], flush=True)
        if args.json:
            Path(args.json).write_text(json.dumps({"compare": results, "read": read, "cli": cli}, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
