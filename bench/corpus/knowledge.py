"""The generated knowledge base: `Generator(size).write(folder)` writes sources.yaml, claims.yaml, pages.yaml and
the page files of `size` synthetic claims, deterministic for the size (seeded `random.Random`).

Sources carry no DOI, PMID or other identifier, only title, authors, journal and year, verified as "synthetic
benchmark data", so nothing here looks like a real reference. Every mention quote is copied verbatim into the page
file it names, so the data passes `kb validate`. Also here: the edited version B of a claims.yaml (`version_b`,
for the writer in bench_faults).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

import yaml

from .wording import Wording
from .words import (
    CAVEATS,
    CONDITIONS,
    DESIGNS,
    FIELDS,
    GIVEN,
    MEASURES,
    NOTES,
    PAGE_LEADS,
    PAGE_TOPICS,
    POPULATIONS,
    REPORTING,
    SOURCE_TYPES,
    STUDIES,
    TREATMENTS,
    VERBS,
    VERDICTS,
    VERIFIED,
)

SEED = 20240601
PAGES = 50
CLAIMS_PER_SUBJECT = 20
CLAIMS_PER_SOURCE = 50
Dumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Record = dict[str, Any]


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def page_title(page: str) -> str:
    return page.split("-", 2)[2].replace("-", " ").title()


@dataclass
class Generator(Wording):
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
        return {
            "id": f"finding-{k + 1}",
            "quote": quote,
            "locator": "abstract, Results",
            "figures": [{"value": share, "unit": "percent"}],
        }

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
        claim: Record = {
            "id": f"{subject['id']}-{number}",
            "statement": statement + ".",
            "subject": subject["id"],
            "value": value,
        }
        links = [self._link() for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3)))]
        if links:
            claim["sources"] = links
        if rng.random() < 0.03:
            claim["evidence_override"] = {
                "level": rng.choice(("low", "very-low", "moderate")),
                "rationale": "The curators judge the derived level too generous here.",
            }
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
        return [
            {
                "id": page,
                "file": f"pages/{page}.txt",
                "seed_file": f"{page}.txt",
                "publisher": self._organisation(),
                "title": page_title(page),
            }
            for page in self.page_lines
        ]

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "pages").mkdir(exist_ok=True)
        sources = self.make_sources()
        subjects = self.make_subjects()
        claims = self.make_claims(subjects)
        for subject in subjects:
            del subject["_parts"]
        dump(folder / "sources.yaml", {"sources": sources})
        # "8 infusions": the thing a course is counted in is this knowledge base's own unit
        dump(folder / "claims.yaml", {"units": {"counted": ["infusions"]}, "subjects": subjects, "claims": claims})
        dump(folder / "pages.yaml", {"pages": self.pages()})
        write_page_files(folder / "pages", self.page_lines)


def dump(path: Path, data: Record) -> None:
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=120)


def write_page_files(folder: Path, page_lines: dict[str, list[str]]) -> None:
    for page, lines in page_lines.items():
        (folder / f"{page}.txt").write_text(f"{page_title(page)}\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


def load_yaml(path: Path) -> Record:
    with path.open(encoding="utf-8") as handle:
        loaded: Record = yaml.load(handle, Loader=Loader)
    return loaded


def version_b(text: str) -> str:
    """Version B of claims.yaml: every statement and every "In one study," approved wording edited; still valid."""
    edited = text.replace("\n  statement: ", "\n  statement: Version B says ")
    return edited.replace("\n  approved_wording: In one study, ", "\n  approved_wording: In one study (version B), ")
