"""Benchmark the index and `kb search` on generated knowledge bases of 1,000, 10,000 and 100,000 claims.

Not a test: run it by hand and read the table.

    python bench/bench_index.py                    # 1k, 10k and 100k claims
    python bench/bench_index.py --sizes 1000,10000  # fewer sizes
    python bench/bench_index.py --sizes 100000 --profile --keep /tmp/kb-bench

For each size it reports the first build (`kb index`, one run), a no-op refresh (in-process median of 20, and
`kb index` end to end, median of 5) and `kb search` end to end for three queries (median and p90 of 10 after a
warm-up), beside `python -c pass` and `python -c "import kb.cli"` on the same machine.
Targets (from the issue, at 100,000 claims): `kb search` < 250 ms end to end, no-op refresh < 50 ms.

The data is synthetic and deterministic (seeded `random.Random`). Sources carry no DOI, PMID or other identifier,
only title, authors, journal and year, verified as "synthetic benchmark data", so nothing here looks like a real
reference. Every mention quote is copied verbatim into the page file it names, so the data passes `kb validate`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

import yaml

SEED = 20240601
DEFAULT_SIZES = (1_000, 10_000, 100_000)
QUERIES = ("three out of four", "30 to 100 days", "infusion length about an hour")
SEARCH_TARGET_MS = 250.0
REFRESH_TARGET_MS = 50.0
REFRESH_RUNS = 20
INDEX_RUNS = 5
SEARCH_RUNS = 10
BASELINE_RUNS = 10
PAGES = 50
CLAIMS_PER_SUBJECT = 20
CLAIMS_PER_SOURCE = 50
Dumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
Record = dict[str, Any]

# ---------------------------------------------------------------- word lists

CONDITIONS = (
    "migraine", "chronic migraine", "cluster headache", "treatment-resistant depression", "fibromyalgia",
    "complex regional pain syndrome", "PTSD", "neuropathic pain", "postoperative pain", "bipolar depression",
    "obsessive-compulsive disorder", "suicidal ideation", "phantom limb pain", "tinnitus", "chronic back pain",
    "medication-overuse headache", "trigeminal neuralgia", "generalised anxiety", "alcohol use disorder",
    "post-herpetic neuralgia",
)
TREATMENTS = (
    "ketamine infusion", "esketamine nasal spray", "lidocaine infusion", "occipital nerve block",
    "botulinum toxin injection", "magnesium infusion", "transcranial magnetic stimulation",
    "electroconvulsive therapy", "psilocybin session", "sphenopalatine ganglion block", "dihydroergotamine infusion",
    "nitrous oxide inhalation", "stellate ganglion block", "intranasal lidocaine", "oral ketamine",
)
POPULATIONS = (
    "adults", "children", "older adults", "veterans", "adolescents", "women", "outpatients", "inpatients",
    "emergency patients", "clinic patients",
)
PAGE_TOPICS = ("ketamine clinic", "pain centre", "headache clinic", "wellness spa", "infusion lounge", "health blog")
SYLLABLES = (
    "mar", "vel", "tor", "bri", "an", "ka", "lo", "ven", "sta", "quin", "rel", "dor", "mi", "sa", "thal", "bek",
    "ro", "wen", "gal", "ith", "cor", "na", "pel", "shu", "tam", "ori", "fen", "dal", "us", "ber", "kin", "zo",
)
GIVEN = ("A.", "B. K.", "C.", "D. M.", "E.", "F. J.", "G.", "H. L.", "I.", "J. R.", "K.", "L. S.", "M.", "N. T.")
FIELDS = ("Pain", "Headache", "Anaesthesia", "Psychiatry", "Neurology", "Pain Medicine", "Clinical Pharmacology")
HEDGE_WORDS = ("", "", "", "about ", "almost ", "up to ", "nearly ", "around ", "more than ", "at least ")
QUALIFIER_OF = {
    "": "exact", "about ": "about", "around ": "about", "almost ": "almost", "nearly ": "almost",
    "up to ": "up-to", "more than ": "more-than", "at least ": "at-least",
}
NUMBER_WORDS = {
    1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten",
    12: "twelve", 20: "twenty", 30: "thirty", 45: "forty-five", 60: "sixty", 61: "sixty-one", 90: "ninety",
}
RATIOS = ((1, 2), (1, 3), (2, 3), (1, 4), (3, 4), (1, 5), (2, 5), (3, 5), (4, 5), (1, 10), (9, 10))
LONG_RANGES = ((30, 100, "day"), (3, 6, "week"), (2, 4, "month"), (7, 14, "day"), (6, 12, "week"), (10, 30, "day"),
               (1, 3, "month"))
SHORT_RANGES = ((1, 2, "hour"), (40, 60, "minute"), (4, 8, "hour"), (30, 45, "minute"), (2, 3, "hour"))
VERBS = ("improved", "responded", "reported relief", "had fewer attacks", "went into remission", "felt better")
STANCES = ("not-addictive", "safe", "unsafe", "effective", "ineffective", "well-tolerated", "addictive")
STANCE_TEXT = {
    "not-addictive": "is not addictive", "safe": "is safe", "unsafe": "is not safe", "effective": "works",
    "ineffective": "does not work", "well-tolerated": "is well tolerated", "addictive": "can be addictive",
}
VERDICTS = ("accurate", "accurate", "overstated", "understated", "misattributed", "misquoted", "unsupported",
            "contradicted")
NOTES = (
    "The page rounds the figure up.", "The study was smaller than the page suggests.",
    "No source gives this figure.", "The source says the opposite.", "Matches the source.",
    "The page credits the wrong institution.", "The quote drops the study's hedge.",
)
PAGE_LEADS = ("", "Our patients know that ", "Research shows ", "Many people ask us. ", "In short, ", "Good news: ")
CAVEATS = ("retrospective and uncontrolled", "single centre", "small sample", "industry funded", "short follow-up")
SOURCE_TYPES = ("article-journal", "article-journal", "article-journal", "report", "webpage", "paper-conference")
DESIGNS = (
    "systematic-review-of-rcts", "systematic-review-of-observational", "rct", "prospective-cohort",
    "retrospective-cohort", "case-series", "consensus-guideline", "narrative-review", "expert-opinion",
    "conference-abstract", "press-release", "news-article", "organisation-fact-sheet",
)
REPORTING = ("conference-abstract", "press-release", "news-article")
STUDIES = ("rct", "prospective-cohort", "retrospective-cohort", "case-series")
VERIFIED = {"issued": "synthetic benchmark data"}

# measure -> (subject label template, kind, dimension)
MEASURES: dict[str, tuple[str, str, str | None]] = {
    "response-rate": ("share of {pop} with {cond} who respond to {treat}", "quantity", "percent"),
    "remission-rate": ("share of {pop} with {cond} in remission after {treat}", "quantity", "percent"),
    "relief-duration": ("how long relief from {treat} lasts in {pop} with {cond}", "quantity", "time"),
    "session-length": ("length of one {treat} session for {pop} with {cond}", "quantity", "time"),
    "course-size": ("number of {treat} sessions in a course for {cond} in {pop}", "quantity", "count"),
    "study-size": ("{pop} with {cond} treated with {treat} in one study", "quantity", "count"),
    "session-price": ("price of one {treat} session for {cond} in {pop}", "quantity", "money"),
    "safety": ("whether {treat} is safe for {pop} with {cond}", "stance", None),
    "addiction": ("addiction potential of {treat} in {pop} with {cond}", "stance", None),
    "first-use": ("who first used {treat} for {cond} in {pop}", "entity", None),
}


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


# ---------------------------------------------------------------- the generator


@dataclass
class Generator:
    """Writes one deterministic synthetic data folder of `size` claims."""

    size: int
    rng: random.Random = field(init=False)
    names: list[str] = field(init=False)
    page_lines: dict[str, list[str]] = field(init=False)
    sources: list[Record] = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(SEED + self.size)
        # Vocabulary grows with the knowledge base, roughly as real text does (Heaps' law).
        pool = int(20 * self.size**0.5) + 50
        self.names = sorted({self._name() for _ in range(pool)})
        self.page_lines = {f"page-{i:02d}-{slug(PAGE_TOPICS[i % len(PAGE_TOPICS)])}": [] for i in range(PAGES)}
        self.sources = []

    def _name(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).capitalize()

    def _place(self) -> str:
        return self.rng.choice(self.names)

    def _organisation(self) -> str:
        kind = self.rng.choice(("Clinic", "Pain Institute", "University Hospital", "Medical Center", "Health"))
        return f"{self._place()} {kind}"

    # ------------------------------------------------------------ sources

    def make_sources(self) -> list[Record]:
        count = max(5, self.size // CLAIMS_PER_SOURCE)
        self.sources = []
        for index in range(count):
            self.sources.append(self._source(index))
        return self.sources

    def _source(self, index: int) -> Record:
        rng = self.rng
        authors = [{"family": self._place(), "given": rng.choice(GIVEN)} for _ in range(rng.randint(1, 5))]
        year = rng.randint(1995, 2024)
        design = rng.choice(DESIGNS)
        treat, cond, pop = rng.choice(TREATMENTS), rng.choice(CONDITIONS), rng.choice(POPULATIONS)
        record: Record = {
            "id": f"{slug(authors[0]['family'])}-{year}-{index}",
            "type": rng.choice(SOURCE_TYPES),
            "design": design,
            "title": f"{treat.capitalize()} for {cond} in {pop}: {design.replace('-', ' ')}",
            "authors": authors,
        }
        if rng.random() < 0.2:
            record["authors_incomplete"] = True
        record["container_title"] = f"{self._place()} Journal of {rng.choice(FIELDS)}"
        record["issued"] = f"{year}-{rng.randint(1, 12):02d}" if rng.random() < 0.6 else str(year)
        if design in STUDIES:
            record["n"] = rng.choice((8, 24, 61, 120, 450, 2300))
        if design in REPORTING and index and rng.random() < 0.6:
            record["reports"] = self.sources[rng.randrange(index)]["id"]
        record["verified_at"] = dict(VERIFIED)
        findings = [self._finding(k, treat, cond, pop) for k in range(rng.choice((0, 0, 1, 2, 3)))]
        if findings:
            record["findings"] = findings
        return record

    def _finding(self, k: int, treat: str, cond: str, pop: str) -> Record:
        share = self.rng.randint(5, 95)
        quote = f"Of the {pop} with {cond} given {treat}, {share}% {self.rng.choice(VERBS)} at follow-up."
        return {"id": f"finding-{k + 1}", "quote": quote, "locator": "abstract, Results",
                "figures": [{"value": share, "unit": "percent"}]}

    # ------------------------------------------------------------ subjects

    def make_subjects(self) -> list[Record]:
        count = max(1, self.size // CLAIMS_PER_SUBJECT)
        combos = list(product(range(len(TREATMENTS)), range(len(CONDITIONS)), range(len(POPULATIONS)), MEASURES))
        self.rng.shuffle(combos)
        subjects = []
        for index in range(count):
            t, c, p, measure = combos[index % len(combos)]
            treat, cond, pop = TREATMENTS[t], CONDITIONS[c], POPULATIONS[p]
            label, kind, dimension = MEASURES[measure]
            ident = slug(f"{treat} {cond} {pop} {measure}") + (f"-{index}" if index >= len(combos) else "")
            subject: Record = {"id": ident, "label": label.format(treat=treat, cond=cond, pop=pop), "kind": kind}
            if dimension:
                subject["dimension"] = dimension
            if self.rng.random() < 0.3:
                subject["aliases"] = [f"{slug(treat).split('-')[0]} {measure.replace('-', ' ')}"]
            subject["_parts"] = (treat, cond, pop, measure)
            subjects.append(subject)
        return subjects

    # ------------------------------------------------------------ wording

    def figure(self, measure: str) -> tuple[str, Record]:
        """A phrase stating a figure of this measure, and the structured value it states."""
        dimension = MEASURES[measure][2]
        if dimension == "percent":
            return self._percent()
        if dimension == "time":
            return self._duration(SHORT_RANGES if measure == "session-length" else LONG_RANGES)
        if dimension == "count":
            return self._count(*(("infusion", (3, 4, 6, 8, 10, 12)) if measure == "course-size" else
                                 ("patient", (6, 8, 12, 20, 61, 90, 120, 450, 1200, 2400))))
        return self._price()

    def _percent(self) -> tuple[str, Record]:
        rng = self.rng
        if rng.random() < 0.4:
            num, den = rng.choice(RATIOS)
            words = rng.random() < 0.7
            text = f"{NUMBER_WORDS[num]} out of {NUMBER_WORDS[den]}" if words else f"{num} in {den}"
            return text, {"kind": "quantity", "value": round(100 * num / den, 1), "unit": "percent",
                          "qualifier": "about"}
        if rng.random() < 0.3:
            total = rng.randint(12, 400)
            part = rng.randint(1, total)
            return f"{part} of {total}", {"kind": "quantity", "value": round(100 * part / total, 1),
                                                    "unit": "percent"}
        hedge, value = rng.choice(HEDGE_WORDS), rng.randint(3, 97)
        unit = rng.choice(("percent", "%", "per cent"))
        text = f"{hedge}{value}{unit} of" if unit == "%" else f"{hedge}{value} {unit} of"
        return text, {"kind": "quantity", "value": value, "unit": "percent", "qualifier": QUALIFIER_OF[hedge]}

    def _duration(self, ranges: Sequence[tuple[int, int, str]]) -> tuple[str, Record]:
        rng = self.rng
        low, high, unit = rng.choice(ranges)
        roll = rng.random()
        if roll < 0.45:
            joiner = rng.choice((" to ", "-", " and "))
            prefix = "between " if joiner == " and " else ""
            return f"{prefix}{low}{joiner}{high} {unit}s", {"kind": "quantity", "low": low, "high": high, "unit": unit}
        if roll < 0.6:
            hedge = rng.choice(("about ", "almost ", "up to ", ""))
            return f"{hedge}an {unit}" if unit == "hour" else f"{hedge}a {unit}", {
                "kind": "quantity", "value": 1, "unit": unit, "qualifier": QUALIFIER_OF[hedge]}
        hedge, value = rng.choice(HEDGE_WORDS), rng.choice((low, high))
        spoken = NUMBER_WORDS.get(value, str(value)) if rng.random() < 0.5 else str(value)
        return f"{hedge}{spoken} {unit}s", {"kind": "quantity", "value": value, "unit": unit,
                                           "qualifier": QUALIFIER_OF[hedge]}

    def _count(self, unit: str, values: Sequence[int]) -> tuple[str, Record]:
        rng = self.rng
        hedge, value = rng.choice(HEDGE_WORDS), rng.choice(values)
        spoken = NUMBER_WORDS.get(value, f"{value:,}") if rng.random() < 0.4 else f"{value:,}"
        return f"{hedge}{spoken} {unit}s", {"kind": "quantity", "value": value, "unit": unit,
                                            "qualifier": QUALIFIER_OF[hedge]}

    def _price(self) -> tuple[str, Record]:
        hedge, value = self.rng.choice(HEDGE_WORDS), self.rng.choice((350, 400, 450, 500, 650, 800, 1200))
        return f"{hedge}${value:,}", {"kind": "quantity", "value": value, "unit": "usd",
                                      "qualifier": QUALIFIER_OF[hedge]}

    def sentence(self, parts: tuple[str, str, str, str]) -> tuple[str, Record]:
        """A claim-like sentence about a subject, and the value it states."""
        treat, cond, pop, measure = parts
        label, kind, dimension = MEASURES[measure]
        if kind == "stance":
            stance = self.rng.choice(STANCES)
            return f"{treat.capitalize()} {STANCE_TEXT[stance]} for {pop} with {cond}", {
                "kind": "stance", "stance": stance}
        if kind == "entity":
            organisation = self._organisation()
            return f"{treat.capitalize()} was first used for {cond} at {organisation} in {self._place()}", {
                "kind": "entity", "entity": organisation, "entity_type": "organisation"}
        phrase, value = self.figure(measure)
        return self._quantity_sentence(measure, phrase, treat, cond, pop), value

    def _quantity_sentence(self, measure: str, phrase: str, treat: str, cond: str, pop: str) -> str:
        verb = self.rng.choice(VERBS)
        templates = {
            "response-rate": f"{phrase} {pop} with {cond} {verb} after {treat}",
            "remission-rate": f"After {treat}, {phrase} {pop} with {cond} went into remission",
            "relief-duration": f"Relief from {treat} for {cond} lasted {phrase} in {pop}",
            "session-length": f"One {treat} for {cond} takes {phrase}",
            "course-size": f"A course of {treat} for {cond} in {pop} is {phrase}",
            "study-size": f"The {self._place()} study of {treat} for {cond} enrolled {phrase}",
            "session-price": f"One {treat} session for {cond} costs {phrase} at {self._organisation()}",
        }
        text = templates[measure]
        return text[0].upper() + text[1:]

    # ------------------------------------------------------------ claims

    def make_claims(self, subjects: list[Record]) -> list[Record]:
        order = list(range(len(subjects)))
        counters = [0] * len(subjects)
        claims = []
        for index in range(self.size):
            if index % len(subjects) == 0:
                self.rng.shuffle(order)
            position = order[index % len(subjects)]
            counters[position] += 1
            claims.append(self._claim(subjects[position], counters[position]))
        return claims

    def _claim(self, subject: Record, number: int) -> Record:
        rng = self.rng
        statement, value = self.sentence(subject["_parts"])
        claim: Record = {"id": f"{subject['id']}-{number}", "statement": statement + ".", "subject": subject["id"],
                         "value": value}
        links = [self._link() for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3)))]
        if links:
            claim["sources"] = links
        if rng.random() < 0.03:
            claim["evidence_override"] = {"level": rng.choice(("low", "very-low", "moderate")),
                                          "rationale": "The curators judge the derived level too generous here."}
        status = rng.choice(("approved", "approved", "use-with-caveat", "do-not-use"))
        if status == "approved" and not any(link.get("relation", "supports") == "supports" for link in links):
            status = "use-with-caveat"  # kb validate: an approved claim must rest on a supporting source
        claim["status"] = status
        if status != "do-not-use":
            wording = statement if rng.random() < 0.5 else self.sentence(subject["_parts"])[0]
            claim["approved_wording"] = f"In one study, {wording[0].lower()}{wording[1:]}."
        if status == "use-with-caveat":
            claim["caveats"] = rng.sample(CAVEATS, rng.randint(1, 2))
        mentions = [self._mention(subject["_parts"]) for _ in range(rng.choice((0, 0, 0, 1, 1, 1, 2, 2, 3)))]
        if mentions:
            claim["mentions"] = mentions
        if rng.random() < 0.2:
            claim["tags"] = [subject["_parts"][3], slug(subject["_parts"][1])]
        return claim

    def _link(self) -> Record:
        rng = self.rng
        source = rng.choice(self.sources)
        link: Record = {"source": source["id"]}
        findings = source.get("findings", [])
        if findings and rng.random() < 0.5:
            finding = rng.choice(findings)
            link["finding"] = finding["id"]
            link["quote"] = finding["quote"]
        link["relation"] = rng.choice(("supports", "supports", "supports", "contradicts", "context"))
        if rng.random() < 0.05:
            link["indirectness"] = "studied a different population"
        return link

    def _mention(self, parts: tuple[str, str, str, str]) -> Record:
        rng = self.rng
        quote, _ = self.sentence(parts)
        page = rng.choice(list(self.page_lines))
        lead = rng.choice(PAGE_LEADS)
        if lead and not lead.endswith(". ") and quote[1:2].islower():
            quote = quote[0].lower() + quote[1:]  # a quote from mid-sentence, verbatim as on the page
        self.page_lines[page].append(f"{lead}{quote}.")
        mention: Record = {"page": page, "quote": quote}
        if rng.random() < 0.3:
            mention["attribution"] = f"a recent study out of {self._place()}"
        mention["verdict"] = rng.choice(VERDICTS)
        mention["note"] = rng.choice(NOTES)
        return mention

    # ------------------------------------------------------------ files

    def pages(self) -> list[Record]:
        return [{"id": page, "file": f"pages/{page}.txt", "seed_file": f"{page}.txt",
                 "publisher": f"{self._organisation()}", "title": f"{page.split('-', 2)[2].replace('-', ' ').title()}"}
                for page in self.page_lines]

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "pages").mkdir(exist_ok=True)
        sources = self.make_sources()
        subjects = self.make_subjects()
        claims = self.make_claims(subjects)
        for subject in subjects:
            del subject["_parts"]
        dump(folder / "sources.yaml", {"sources": sources})
        dump(folder / "claims.yaml", {"subjects": subjects, "claims": claims})
        dump(folder / "pages.yaml", {"pages": self.pages()})
        for page, lines in self.page_lines.items():
            title = page.split("-", 2)[2].replace("-", " ").title()
            (folder / "pages" / f"{page}.txt").write_text(f"{title}\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


def dump(path: Path, data: Record) -> None:
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=120)


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------- measuring


def kb_command() -> str:
    """The installed console script: on PATH, else beside the running interpreter."""
    found = shutil.which("kb") or str(Path(sys.executable).parent / "kb")
    if not Path(found).is_file():
        sys.exit("bench: the `kb` console script is not installed (pip install -e .)")
    return found


BYTECODE: dict[str, str] = {}  # set by main(): PYTHONPYCACHEPREFIX, unless --no-bytecode-cache


def clean_env() -> dict[str, str]:
    """The caller's environment without kb settings; with a bytecode cache outside the project unless disabled.

    An environment with PYTHONDONTWRITEBYTECODE=1 and no `kb/__pycache__` recompiles every kb module on every
    start, which a user's install does not; PYTHONPYCACHEPREFIX keeps the cache out of the source tree.
    """
    skip = ("KB_DATA", "KB_DATABASE_URL", *(("PYTHONDONTWRITEBYTECODE",) if BYTECODE else ()))
    return {key: value for key, value in os.environ.items() if key not in skip} | BYTECODE


def run(command: Sequence[str], cwd: Path) -> tuple[float, str]:
    """Wall time of one process, start to exit, and its stdout. Fails loudly on a non-zero exit."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=clean_env(), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench: {' '.join(command)} exited {done.returncode}\n{done.stderr[-3000:]}")
    return elapsed, done.stdout


def times(command: Sequence[str], cwd: Path, runs: int, warmup: int = 0) -> list[float]:
    for _ in range(warmup):
        run(command, cwd)
    return [run(command, cwd)[0] for _ in range(runs)]


def median_ms(samples: Sequence[float]) -> float:
    return 1000 * statistics.median(samples)


def p90_ms(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    return 1000 * ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class SizeResult:
    size: int
    generate_s: float = 0.0
    data_mb: float = 0.0
    build_s: float = 0.0
    refresh_ms: float = 0.0
    index_ms: float = 0.0
    search: dict[str, tuple[float, float, int]] = field(default_factory=dict)  # query -> (median, p90, hits)


def settings_for(data: Path, db: Path) -> Any:
    from kb.config import resolve

    return resolve(str(data), str(db))


def refresh_in_process(data: Path, db: Path) -> list[float]:
    from kb.index import refresh

    settings = settings_for(data, db)
    samples = []
    for _ in range(REFRESH_RUNS):
        start = time.perf_counter()
        state = refresh(settings)
        samples.append(time.perf_counter() - start)
        if state != "fresh":
            sys.exit(f"bench: no-op refresh returned {state!r}, expected 'fresh'")
    return samples


def measure_size(size: int, root: Path, kb: str) -> SizeResult:
    result = SizeResult(size)
    data, db = root / f"kb-{size}" / "data", root / f"kb-{size}" / "index.sqlite"
    where = ["--data", str(data), "--db", str(db)]
    log(f"{size:,} claims: generating data in {data}")
    start = time.perf_counter()
    Generator(size).write(data)
    result.generate_s = time.perf_counter() - start
    result.data_mb = folder_size(data) / 1e6
    log(f"{size:,} claims: {result.data_mb:.1f} MB in {result.generate_s:.1f} s; first build (kb index)...")
    db.unlink(missing_ok=True)
    result.build_s = run([kb, "index", *where], root)[0]
    log(f"{size:,} claims: first build {result.build_s:.1f} s; no-op refresh...")
    result.refresh_ms = median_ms(refresh_in_process(data, db))
    result.index_ms = median_ms(times([kb, "index", *where], root, INDEX_RUNS))
    for query in QUERIES:
        log(f"{size:,} claims: kb search {query!r}")
        command = [kb, "search", query, "--format", "json", *where]
        hits = len(json.loads(run(command, root)[1]))  # also the warm-up
        samples = times(command, root, SEARCH_RUNS)
        result.search[query] = (median_ms(samples), p90_ms(samples), hits)
    return result


def baselines(root: Path) -> dict[str, float]:
    log("baselines: python -c pass, python -c 'import kb.cli'")
    python = sys.executable
    return {
        "python -c pass": median_ms(times([python, "-c", "pass"], root, BASELINE_RUNS, warmup=1)),
        "python -c 'import kb.cli'": median_ms(times([python, "-c", "import kb.cli"], root, BASELINE_RUNS, warmup=1)),
    }


# ---------------------------------------------------------------- report


def mark(value: float, target: float) -> str:
    return "PASS" if value < target else "MISS"


def report(results: list[SizeResult], base: dict[str, float]) -> str:
    sizes = [f"{r.size:>12,}" for r in results]
    lines = [f"{'metric':<46} {'target':>8} " + " ".join(sizes), "-" * (56 + 13 * len(results))]

    def row(name: str, target: str, cells: list[str]) -> None:
        lines.append(f"{name:<46} {target:>8} " + " ".join(f"{cell:>12}" for cell in cells))

    row("data on disk (MB)", "", [f"{r.data_mb:.1f}" for r in results])
    row("generate data (s)", "", [f"{r.generate_s:.1f}" for r in results])
    row("first build: kb index (s, 1 run)", "", [f"{r.build_s:.2f}" for r in results])
    row(f"no-op refresh in-process (ms, median {REFRESH_RUNS})", f"<{REFRESH_TARGET_MS:.0f}",
        [f"{r.refresh_ms:.1f} {mark(r.refresh_ms, REFRESH_TARGET_MS)}" for r in results])
    row(f"no-op kb index end to end (ms, median {INDEX_RUNS})", "", [f"{r.index_ms:.0f}" for r in results])
    for query in QUERIES:
        row(f"kb search {query!r}"[:46], "", ["" for _ in results])
        row(f"  median of {SEARCH_RUNS} (ms)", f"<{SEARCH_TARGET_MS:.0f}",
            [f"{r.search[query][0]:.0f} {mark(r.search[query][0], SEARCH_TARGET_MS)}" for r in results])
        row("  p90 (ms)", "", [f"{r.search[query][1]:.0f}" for r in results])
        row("  hits returned", "", [str(r.search[query][2]) for r in results])
    lines.append("-" * (56 + 13 * len(results)))
    for name, value in base.items():
        row(f"{name} (ms, median {BASELINE_RUNS})", "", [f"{value:.0f}"] + [""] * (len(results) - 1))
    lines.append("Targets are the issue's, defined at 100,000 claims; smaller sizes are marked against the same bar.")
    return "\n".join(lines)


def machine() -> str:
    return (f"machine: {platform.machine()}, {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
            f"{platform.system()} {platform.release()}; Python {platform.python_version()} "
            f"({platform.python_implementation()}) at {sys.executable}")


def bytecode_note() -> str:
    if BYTECODE:
        return f"bytecode cache: on (PYTHONPYCACHEPREFIX={BYTECODE['PYTHONPYCACHEPREFIX']}, warmed by the first run)"
    flag = os.environ.get("PYTHONDONTWRITEBYTECODE")
    return f"bytecode cache: as the environment has it (PYTHONDONTWRITEBYTECODE={flag or 'unset'})"


# ---------------------------------------------------------------- profiling (--profile)


def importtime(kb: str, data: Path, db: Path, root: Path, top: int = 20) -> str:
    """`python -X importtime` of one `kb search`: the heaviest imports by cumulative and by self time."""
    command = [sys.executable, "-X", "importtime", kb, "search", QUERIES[0], "--format", "json",
               "--data", str(data), "--db", str(db)]
    done = subprocess.run(command, cwd=root, env=clean_env(), capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self [us]" not in line:
            own, cumulative, name = line.removeprefix("import time:").split("|")
            rows.append((int(own), int(cumulative), name.rstrip()))
    total = sum(own for own, _, _ in rows)
    out = [f"total import time {total / 1000:.0f} ms over {len(rows)} modules",
           "top by cumulative (ms, self ms, module):"]
    out += [f"  {c / 1000:8.1f} {o / 1000:8.1f}  {n}" for o, c, n in sorted(rows, key=lambda r: -r[1])[:top]]
    out.append("top by self time (ms, module):")
    out += [f"  {o / 1000:8.1f}  {n.strip()}" for o, _, n in sorted(rows, key=lambda r: -r[0])[:top]]
    return "\n".join(out)


def profile_text(profiler: cProfile.Profile, top: int, sort: str = "cumulative") -> str:
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(sort).print_stats(top)
    return "\n".join(line for line in stream.getvalue().splitlines() if line.strip())


def search_profile(data: Path, db: Path, top: int = 25) -> str:
    """In-process timings of the search phases, and a cProfile of `kb.search.search` per query."""
    from kb.db import open_database
    from kb.search import search

    settings = settings_for(data, db)
    out = []
    for query in QUERIES:
        database = open_database(settings)
        start = time.perf_counter()
        search(database, query)  # first call on a fresh connection, as the CLI makes it
        first = time.perf_counter() - start
        warm = [timed(lambda d=database, q=query: search(d, q)) for _ in range(5)]
        out.append(f"search({query!r}): first call {1000 * first:.1f} ms, warm median {median_ms(warm):.1f} ms")
        profiler = cProfile.Profile()
        profiler.runcall(search, open_database(settings), query)
        out.append(profile_text(profiler, top))
    return "\n".join(out)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


PHASE_SCRIPT = """\
import time; t0 = time.perf_counter()
import kb.cli; t1 = time.perf_counter()
import kb.index, kb.search, kb.db; t2 = time.perf_counter()
from kb.config import resolve; s = resolve(DATA, DB)
kb.index.refresh(s); t3 = time.perf_counter()
db = kb.db.open_database(s); hits = kb.search.search(db, QUERY); t4 = time.perf_counter()
import json, sys; json.dumps([h.to_dict() for h in hits]); t5 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, flush=True)
"""
PHASES = ("import kb.cli", "import kb.index, kb.search, kb.db (lazy, inside the command)", "no-op refresh",
          "search", "JSON")


def startup_phases(data: Path, db: Path, root: Path, bare_ms: float, runs: int = 7) -> str:
    """Where one search process goes, without typer: medians of `runs` processes, phase by phase.

    A second variant ends with `os._exit(0)`: the difference is the interpreter's finalisation (module teardown).
    """
    script = PHASE_SCRIPT.replace("DATA", repr(str(data))).replace("DB", repr(str(db))).replace(
        "QUERY", repr(QUERIES[0]))
    samples: list[list[float]] = []
    for _ in range(runs):
        total, stdout = run([sys.executable, "-c", script], root)
        samples.append([1000 * total, *(1000 * float(x) for x in stdout.split())])
    quick = times([sys.executable, "-c", script + "import os; os._exit(0)\n"], root, runs)
    medians = [statistics.median(column) for column in zip(*samples, strict=True)]
    total, phases = medians[0], medians[1:]
    out = [f"query {QUERIES[0]!r}, medians of {runs} processes without typer: total {total:.0f} ms",
           f"  interpreter start + finalisation (rest)          {total - sum(phases):6.0f}"
           f"   (python -c pass alone: {bare_ms:.0f})"]
    out += [f"  {name:<48} {value:6.1f}" for name, value in zip(PHASES, phases, strict=True)]
    out.append(f"  same script ending in os._exit(0): total {median_ms(quick):.0f} ms "
               f"(finalisation ~ {total - median_ms(quick):.0f} ms)")
    return "\n".join(out)


PROFILE_SCRIPT = """\
import cProfile, json, os, sys
argv, out = json.loads(sys.argv[1]), sys.argv[2]
sys.argv = argv


def leave(code):  # kb.entry.main ends in os._exit, which would skip writing the profile
    raise SystemExit(code)


os._exit = leave
profiler = cProfile.Profile()
profiler.enable()
try:
    from kb.entry import main
    main()
except SystemExit:
    pass
finally:
    profiler.disable()
    profiler.dump_stats(out)
"""


def process_profile(kb: str, data: Path, db: Path, root: Path, top: int = 30) -> str:
    """cProfile of one whole `kb search` process (imports and typer included), top by cumulative time."""
    target = root / "search.prof"
    argv = [kb, "search", QUERIES[0], "--format", "json", "--data", str(data), "--db", str(db)]
    command = [sys.executable, "-c", PROFILE_SCRIPT, json.dumps(argv), str(target)]
    run(command, root)
    stream = io.StringIO()
    pstats.Stats(str(target), stream=stream).strip_dirs().sort_stats("cumulative").print_stats(top)
    target.unlink(missing_ok=True)
    return "\n".join(line for line in stream.getvalue().splitlines() if line.strip())


@contextmanager
def stopwatch(phases: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    phases[name] = time.perf_counter() - start


def build_phases(data: Path, root: Path, sample: int = 10_000) -> str:
    """The phases of `kb.index.build`, timed one by one in this process (imports excluded).

    compile_rows is timed unprofiled; its cProfile is taken on the first `sample` claims only.
    """
    import kb.index
    import kb.tables  # noqa: F401 - import cost outside the timings
    from kb.compile import compile_rows
    from kb.dataset import FILES, Dataset
    from kb.schema import ClaimsFile, PagesFile, SourcesFile
    from kb.validate import check
    from kb.yamlload import load_file

    phases: dict[str, float] = {}
    with stopwatch(phases, "yaml load (3 files, kb.yamlload.load_file)"):
        trees = {name: load_file(data / filename) for name, filename in FILES.items()}
    with stopwatch(phases, "pydantic validate (model_validate x3)"):
        models = (SourcesFile.model_validate(trees["sources"]), ClaimsFile.model_validate(trees["claims"]),
                  PagesFile.model_validate(trees["pages"]))
    dataset = Dataset(data, *models, trees=trees, paths={name: str(data / f) for name, f in FILES.items()})
    with stopwatch(phases, "validate.check"):
        problems = check(dataset)
    assert not problems, problems[:3]
    with stopwatch(phases, "compile_rows"):
        rows = compile_rows(*models)
    target = root / "phases.sqlite"
    original = kb.index.load_rows
    kb.index.load_rows = lambda settings: rows  # time only the SQL side of build()
    try:
        with stopwatch(phases, "insert (create tables + executemany, SQLAlchemy)"):
            kb.index.build(settings_for(data, target), {"schema_version": kb.index.SCHEMA_VERSION})
    finally:
        kb.index.load_rows = original
        target.unlink(missing_ok=True)
    part = ClaimsFile.model_construct(subjects=models[1].subjects, claims=models[1].claims[:sample])
    profiler = cProfile.Profile()
    profiler.runcall(compile_rows, models[0], part, models[2])
    counts = ", ".join(f"{name} {len(value):,}" for name, value in rows.items())
    out = [f"rows: {counts}"] + [f"  {name:<50} {seconds:8.2f} s" for name, seconds in phases.items()]
    out += [f"compile_rows cProfile on the first {sample:,} claims (top by cumulative):", profile_text(profiler, 25)]
    return "\n".join(out)


def profile(size: int, root: Path, kb: str, bare_ms: float) -> str:
    data, db = root / f"kb-{size}" / "data", root / f"kb-{size}" / "index.sqlite"
    log(f"profiling at {size:,} claims")
    sections = [
        f"==== profile at {size:,} claims",
        "---- end to end, by phase", startup_phases(data, db, root, bare_ms),
        "---- cProfile of one whole kb search process", process_profile(kb, data, db, root),
        "---- python -X importtime, kb search", importtime(kb, data, db, root),
        "---- kb.search.search in-process", search_profile(data, db),
    ]
    log("profiling the build phases (a full in-process build)")
    sections += ["---- kb.index.build phases, in-process", build_phases(data, root)]
    return "\n".join(sections)


# ---------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated claim counts (default 1000,10000,100000)")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it (default: a removed temp dir)")
    parser.add_argument("--profile", action="store_true",
                        help="after the table, profile kb search and the build at the largest size")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="run processes with the environment as it is (by default a .pyc cache is kept in the "
                             "work folder via PYTHONPYCACHEPREFIX, as a normal install has)")
    parser.add_argument("--generate-only", metavar="DIR", help="write one data folder (the first size) to DIR; exit")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    sizes = [int(part.replace("_", "")) for part in args.sizes.split(",") if part.strip()]
    if args.generate_only:
        Generator(sizes[0]).write(Path(args.generate_only))
        return
    kb = kb_command()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kb-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    if not args.no_bytecode_cache:
        BYTECODE["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
    try:
        base = baselines(root)
        results = [measure_size(size, root, kb) for size in sizes]
        print(machine())
        print(bytecode_note(), flush=True)
        print(report(results, base), flush=True)
        if args.json:
            Path(args.json).write_text(json.dumps({"machine": machine(), "baselines": base,
                                                   "results": [r.__dict__ for r in results]}, indent=2))
        if args.profile:
            print(profile(max(sizes), root, kb, base["python -c pass"]), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
