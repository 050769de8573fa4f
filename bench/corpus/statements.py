"""The `kb contradictions` pages: each page has sentences meant to give 10 statements on the bundled vocabulary's
detectable subjects (phrasings from `topics`, about 1% outliers by default; 70% led in by the page's own invented
clinic or town name or a stock phrase, so most sentences are unique) and 4-6 fillers, in paragraphs of 2-5
sentences, 100 pages per folder. One seeded `random.Random` per page: smaller runs are the first pages of larger ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from .topics import (
    FILLERS,
    HEDGES,
    LEAD_RATE,
    LEADS,
    NUMBER_WORDS,
    SUFFIXES,
    SYLLABLES,
    TITLES,
    TOPICS,
    TOWN_ENDS,
    Spec,
    Topic,
)

SEED = 20261122
STATEMENTS_PER_PAGE = 10
PAGES_PER_FOLDER = 100
OUTLIER_RATE = 0.01
TOPIC_WEIGHTS = [t.weight for t in TOPICS]


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
